/**
 * NORM004: a normalization's per-channel parameters do not match the channels it receives.
 * PyTorch raises "running_mean should contain 4 elements not 3" (train and eval); ONNX Runtime
 * rejects the model. Reads a PyTorch layer's `num_features` against the producing Conv/Linear's
 * output channels, and an ONNX scale length against the input's channel dim or the producing
 * Conv/Gemm's output channels.
 */
import type { NormSite } from '../model';
import type { OnnxSiteContext } from '../onnx/index';
import { pythonContext } from '../python/index';
import { replaceLiteral, singleEditFix } from './edits';
import { knownDim, numberParam, onnxContext, siteProducer } from './site-facts';
import type { Rule, RuleHit } from './types';

/** ONNX ops whose scale is per channel (GroupNormalization-18 is per group: see NORM012). */
const PER_CHANNEL_OPS = new Set(['BatchNormalization', 'InstanceNormalization']);

export const normFeaturesMismatch: Rule = {
  id: 'norm-features-mismatch',
  catalogId: 'NORM004',
  title: 'Normalization parameters do not match the number of channels',
  defaultSeverity: 'error',
  appliesTo: ['pytorch', 'onnx'],
  thresholds: [],
  check(site): readonly RuleHit[] {
    if (site.framework === 'pytorch') {
      return pytorchHits(site);
    }
    const context = onnxContext(site);
    const length = context?.scaleShape?.length === 1 ? context.scaleShape[0] : undefined;
    if (!context || context.decomposed || length === undefined) {
      return [];
    }
    // BN-1..8 with spatial=0 has per-element parameters (C × D1 × … × Dn), not per channel.
    if (site.params['spatial']?.value === 0) {
      return [];
    }
    const channels = expectedChannels(context);
    if (!channels) {
      return [];
    }
    const expected = expectedLength(context, channels.value, numberParam(site, 'num_groups'));
    if (expected === undefined || expected.includes(length)) {
      return [];
    }
    return [
      {
        message:
          `${context.op}: scale has ${length} values but ${channels.source} has ` +
          `${channels.value} channels.`,
        related: context.producer
          ? [
              {
                message: `${context.producer.op} '${context.producer.node}'`,
                nodes: [context.producer.node],
              },
            ]
          : [],
      },
    ];
  },
};

/** C from the declared input shape, else from the producing Conv/ConvTranspose/Gemm weight. */
function expectedChannels(
  context: OnnxSiteContext,
): { readonly value: number; readonly source: string } | undefined {
  const declared = knownDim(context, 1);
  if (declared !== undefined) {
    return { value: declared, source: `input '${context.input?.name ?? ''}'` };
  }
  const produced = context.producer?.outputChannels;
  return produced === undefined
    ? undefined
    : {
        value: produced,
        source: `${context.producer?.op ?? ''} '${context.producer?.node ?? ''}'`,
      };
}

/** Scale lengths the op accepts for C channels. */
function expectedLength(
  context: OnnxSiteContext,
  channels: number,
  groups: number | undefined,
): readonly number[] | undefined {
  if (PER_CHANNEL_OPS.has(context.op)) {
    return [channels];
  }
  if (context.op === 'GroupNormalization') {
    // Version 18 wants one value per group; NORM012 reports a per-channel scale there.
    return context.opVersion === 18
      ? groups === undefined
        ? undefined
        : [groups, channels]
      : [channels];
  }
  return undefined;
}

/**
 * `num_features` (or GroupNorm's `num_channels`) against the producer's output channels.
 * InstanceNorm without affine parameters or running statistics ignores it (PyTorch only warns).
 */
function pytorchHits(site: NormSite): RuleHit[] {
  const producer = pythonContext(site)?.producer;
  const name = site.kind === 'groupnorm' ? 'num_channels' : 'num_features';
  const written = numberParam(site, name);
  const out = producer?.outputChannels;
  const ignored =
    site.kind === 'instancenorm' &&
    site.params['affine']?.value !== true &&
    site.params['track_running_stats']?.value !== true;
  if (!producer || written === undefined || out === undefined || written === out || ignored) {
    return [];
  }
  const shown = siteProducer(site);
  return [
    {
      message:
        `${site.variant}(${name}=${written}) follows ${shown?.label ?? producer.layer}, which ` +
        `outputs ${out} channels: PyTorch raises ${torchError(site, written, out)} on the first ` +
        `forward pass.`,
      related: shown ? [shown.evidence] : [],
      fixes: singleEditFix(
        `Use ${name}=${out}`,
        replaceLiteral(site.params[name], String(out)),
        true,
      ),
    },
  ];
}

/** The error PyTorch 2.x raises for the mismatch, per kind. */
function torchError(site: NormSite, written: number, out: number): string {
  if (site.kind === 'groupnorm') {
    return '"Expected weight to be a vector of size equal to the number of channels in input"';
  }
  if (site.kind === 'instancenorm') {
    return `"expected input's size at dim=1 to match num_features (${written}), but got: ${out}."`;
  }
  return `"running_mean should contain ${out} elements not ${written}"`;
}

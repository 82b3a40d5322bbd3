/**
 * NORM005: a convolution or dense layer with a bias directly before BatchNorm. BatchNorm subtracts
 * the per-channel mean, which cancels the bias (its role is taken by β), so the bias only costs
 * parameters and memory. Does not fire for GroupNorm or LayerNorm, where the bias is not cancelled.
 * Reads the producer layer of PyTorch and tfjs sites, and of ONNX training graphs (in inference
 * graphs the bias folds); the PyTorch fix turns the bias off.
 */
import type { NormSite } from '../model';
import { CITATIONS, citeLabel } from '../norms/index';
import { pythonContext } from '../python/index';
import { singleEditFix } from './edits';
import {
  channelAxes,
  onnxContext,
  producerKind,
  singleAxis,
  siteProducer,
  tfjsContext,
} from './site-facts';
import type { Rule, RuleHit } from './types';

/** tfjs layers whose bias is per output channel (lower-cased, underscores removed). */
const BIASED_LAYERS = new Set([
  'conv1d',
  'conv2d',
  'conv3d',
  'conv2dtranspose',
  'conv3dtranspose',
  'depthwiseconv2d',
  'separableconv2d',
  'dense',
]);

export const biasBeforeBn: Rule = {
  id: 'bias-before-bn',
  catalogId: 'NORM005',
  title: 'Layer bias right before BatchNorm is cancelled',
  defaultSeverity: 'hint',
  appliesTo: ['pytorch', 'tfjs', 'onnx'],
  thresholds: [],
  check(site): readonly RuleHit[] {
    if (site.framework === 'pytorch') {
      return pytorchHits(site);
    }
    if (site.framework === 'onnx') {
      return onnxHits(site);
    }
    const producer = tfjsContext(site)?.producer;
    const kind = producerKind(producer);
    if (site.kind !== 'batchnorm' || !producer || !kind || !BIASED_LAYERS.has(kind)) {
      return [];
    }
    // tfjs layers default to useBias: true.
    const axis = singleAxis(site.params['axis']?.value);
    if (
      producer.useBias === false ||
      axis === undefined ||
      !channelAxes(producer)?.includes(axis)
    ) {
      return [];
    }
    const shown = siteProducer(site);
    return [
      {
        message:
          `${shown?.label ?? producer.layer} adds a bias that ${site.variant} cancels: BatchNorm subtracts the per-channel ` +
          `mean, and β takes over the bias's role ${citeLabel(CITATIONS.batchNorm)}. Set ` +
          `useBias: false on the ${producer.layer}.`,
        related: shown ? [shown.evidence] : [],
      },
    ];
  },
};

/** PyTorch layers whose bias is per output channel. */
const TORCH_BIASED = /^(?:Lazy)?(?:Conv(?:Transpose)?[123]d|Linear)$/;

/**
 * Conv/Linear with a bias feeding BatchNorm or InstanceNorm (both subtract a per-channel mean).
 * FrozenBatchNorm2d and BatchNorm put in eval mode keep fixed statistics, so the bias is not
 * cancelled there (it folds into β instead).
 */
function pytorchHits(site: NormSite): RuleHit[] {
  const context = pythonContext(site);
  const producer = context?.producer;
  const fixed =
    site.variant === 'FrozenBatchNorm2d' ||
    context?.modes.some((m) => m.mode === 'eval' || m.mode === 'frozen') === true;
  const cancels = site.kind === 'batchnorm' || site.kind === 'instancenorm';
  // A builder (torchvision's Conv2dNormActivation) drops the bias when it has a norm layer; an
  // explicit bias=True there overrides that on purpose (RAFT keeps it for BatchNorms it freezes
  // later, and for loading the original weights).
  const overridden = producer?.via === 'builder' && producer.biasRange !== undefined;
  if (
    !producer ||
    !cancels ||
    fixed ||
    overridden ||
    producer.useBias === false ||
    !TORCH_BIASED.test(producer.layer)
  ) {
    return [];
  }
  const shown = siteProducer(site);
  const name = shown?.label ?? producer.layer;
  return [
    {
      message:
        `${name} adds a bias that ${site.variant} cancels: the norm subtracts the per-channel ` +
        `mean, and β takes over the bias's role ${citeLabel(CITATIONS.batchNorm)}. Pass ` +
        `bias=False to the ${producer.layer}.`,
      related: shown ? [shown.evidence] : [],
      fixes: singleEditFix(`Remove the bias of ${name} (bias=False)`, producer.disableBias, true),
    },
  ];
}

/**
 * A Conv/ConvTranspose/Gemm with a bias input feeding a training-mode BatchNormalization. In
 * inference graphs the bias folds with the BatchNorm, which onnx-bn-unfused reports instead.
 */
function onnxHits(site: NormSite): RuleHit[] {
  const context = onnxContext(site);
  const producer = context?.producer;
  if (
    site.kind !== 'batchnorm' ||
    site.params['training_mode']?.value !== 1 ||
    producer?.hasBias !== true
  ) {
    return [];
  }
  const label = `${producer.op} '${producer.node}'`;
  return [
    {
      message:
        `${label} adds a bias that BatchNormalization (training_mode=1) cancels: the batch mean ` +
        `is subtracted per channel, and B takes over the bias's role ` +
        `${citeLabel(CITATIONS.batchNorm)}. Export the ${producer.op} without a bias.`,
      related: [{ message: label, nodes: [producer.node] }],
    },
  ];
}

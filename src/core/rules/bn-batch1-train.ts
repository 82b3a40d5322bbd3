/**
 * NORM001: BatchNorm in training mode with one value per channel. PyTorch raises "Expected more
 * than 1 value per channel when training"; other runtimes silently output β. The PyTorch check
 * uses the training DataLoaders of the file; the ONNX check uses the static input shape.
 */
import type { BatchSizeEvidence, NormSite } from '../model';
import { loaderFacts, pythonContext } from '../python/index';
import { singleEditFix } from './edits';
import { onnxContext, staticShape } from './site-facts';
import type { Rule, RuleHit } from './types';

/** Statistics span several processes (SyncBatchNorm with world size > 1) or never update. */
const EXEMPT_VARIANTS = new Set(['SyncBatchNorm', 'FrozenBatchNorm2d']);

/** Forms whose usual input is `(N, C)`, where N = 1 leaves one value per channel. */
const FLAT_INPUT_VARIANTS = new Set(['BatchNorm1d', 'LazyBatchNorm1d']);

const PYTORCH_ERROR = 'ValueError: Expected more than 1 value per channel when training';

export const bnBatch1Train: Rule = {
  id: 'bn-batch1-train',
  catalogId: 'NORM001',
  title: 'BatchNorm trains on batches with one value per channel',
  defaultSeverity: 'error',
  appliesTo: ['pytorch', 'onnx'],
  thresholds: [],
  check(site, context): readonly RuleHit[] {
    if (site.kind !== 'batchnorm' || EXEMPT_VARIANTS.has(site.variant)) {
      return [];
    }
    if (site.framework === 'onnx') {
      return onnxHits(site);
    }
    // convert_sync_batchnorm turns every BatchNorm into SyncBatchNorm (legal with world size > 1).
    // A module put in eval mode uses running statistics and cannot raise.
    const modes = [...(context.modes ?? []), ...(pythonContext(site)?.modes ?? [])];
    const synced = modes.some((m) => m.mode === 'sync-batchnorm');
    const evaluated = pythonContext(site)?.modes.some((m) => m.mode === 'eval') === true;
    if (!trainsOnFlatInput(site) || synced || evaluated) {
      return [];
    }
    const loaders = context.batchSizes.filter((b) => b.purpose !== 'eval' && b.value > 0);
    const single = loaders.find((b) => b.value === 1);
    if (single) {
      return [
        {
          message:
            `${site.variant} trains on batches of 1 (${single.origin}): on (1, C) input PyTorch ` +
            `raises "${PYTORCH_ERROR}", and with one sample the output is β whatever the input.`,
          related: [{ message: 'batch_size=1 here', range: single.range }],
        },
      ];
    }
    return loaders.filter((b) => b.value > 1 && b.dropLast !== true).map(trailingBatchHit(site));
  },
};

/** BatchNorm1d modules, and `F.batch_norm(…, training=True)` calls. */
function trainsOnFlatInput(site: NormSite): boolean {
  if (site.variant.endsWith('batch_norm')) {
    return site.params['training']?.value === true;
  }
  return FLAT_INPUT_VARIANTS.has(site.variant);
}

/** The last batch of a loader without `drop_last=True` holds `len(dataset) % B` samples. */
function trailingBatchHit(site: NormSite): (loader: BatchSizeEvidence) => RuleHit {
  return (loader) => ({
    message:
      `${site.variant} trains from a DataLoader with batch_size=${loader.value} and no ` +
      `drop_last=True: when len(dataset) % ${loader.value} == 1 the last batch has one sample ` +
      `and PyTorch raises "${PYTORCH_ERROR}".`,
    severity: 'info',
    related: [
      { message: `batch_size=${loader.value} without drop_last=True`, range: loader.range },
    ],
    fixes: singleEditFix(
      'Set drop_last=True on the DataLoader',
      loaderFacts(loader)?.enableDropLast,
      true,
    ),
  });
}

/** `BatchNormalization{training_mode=1}` on a static input with N × spatial = 1. */
function onnxHits(site: NormSite): RuleHit[] {
  const shape = staticShape(onnxContext(site));
  if (site.params['training_mode']?.value !== 1 || !shape || shape.length < 2) {
    return [];
  }
  const perChannel = shape.filter((_, axis) => axis !== 1).reduce((a, b) => a * b, 1);
  if (perChannel !== 1) {
    return [];
  }
  return [
    {
      message:
        `BatchNormalization runs in training mode (training_mode=1) on input [${shape.join(', ')}]: ` +
        `one value per channel, so the batch variance is 0 and the output is B whatever the input.`,
    },
  ];
}

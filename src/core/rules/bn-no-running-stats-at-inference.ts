/**
 * NORM009: BatchNorm without running statistics uses batch statistics in eval too, so a
 * prediction depends on what else is in the batch, and a batch of one raises in PyTorch. A
 * warning when `.eval()` is called on the layer itself; information otherwise (the layer may only
 * ever train, or adapt at test time on purpose). In ONNX: an inference BatchNormalization whose
 * statistics are computed in the graph.
 */
import type { NormSite } from '../model';
import { pythonContext } from '../python/index';
import { setArgument, singleEditFix } from './edits';
import { onnxContext } from './site-facts';
import type { Rule, RuleHit } from './types';

/** Statistics that are fixed buffers, never batch statistics. */
const EXEMPT_VARIANTS = new Set(['FrozenBatchNorm2d']);

export const bnNoRunningStatsAtInference: Rule = {
  id: 'bn-no-running-stats-at-inference',
  catalogId: 'NORM009',
  title: 'BatchNorm keeps no running statistics, so inference uses batch statistics',
  defaultSeverity: 'warning',
  appliesTo: ['pytorch', 'onnx'],
  thresholds: [],
  check(site): readonly RuleHit[] {
    if (site.framework === 'onnx') {
      return onnxHits(site);
    }
    const tracking = site.params['track_running_stats'];
    if (
      site.kind !== 'batchnorm' ||
      EXEMPT_VARIANTS.has(site.variant) ||
      tracking?.value !== false
    ) {
      return [];
    }
    // Only `.eval()` on this module's own binding counts: a file-level `model.eval()` may be about
    // another model (torch's distributed tests evaluate one model and train a SyncBatchNorm).
    const evaluated = pythonContext(site)?.modes.find((m) => m.mode === 'eval');
    return [
      {
        message:
          `${site.variant}(track_running_stats=False) has no running_mean/running_var, so it ` +
          `normalizes with the current batch's statistics in eval() too: predictions depend on ` +
          `the rest of the batch, and a single (1, C) sample raises "Expected more than 1 value per ` +
          `channel". Fine for deliberate test-time adaptation; otherwise track running statistics.`,
        ...(evaluated ? {} : { severity: 'info' as const }),
        related: [
          ...(tracking.origin
            ? [{ message: 'track_running_stats=False here', range: tracking.origin }]
            : []),
          ...(evaluated ? [evaluated] : []),
        ],
        fixes: singleEditFix(
          'Track running statistics (track_running_stats=True)',
          setArgument(site, 'track_running_stats', 'True'),
        ),
      },
    ];
  },
};

/**
 * An inference-mode BatchNormalization whose mean or variance is computed from the batch in the
 * graph (how the dynamo exporter lowers `track_running_stats=False`). Training-mode graphs are
 * onnx-bn-training-mode's concern.
 */
function onnxHits(site: NormSite): RuleHit[] {
  const context = onnxContext(site);
  const by = context?.statsComputedBy;
  if (site.kind !== 'batchnorm' || by === undefined || site.params['training_mode']?.value === 1) {
    return [];
  }
  return [
    {
      message:
        `BatchNormalization reads a mean/variance computed in the graph (by '${by}'), not ` +
        `constant running statistics: outputs depend on the rest of the batch (a lone sample is ` +
        `normalized by its own statistics). Export with track_running_stats=True, in eval() mode.`,
      related: [{ message: `statistics computed by '${by}'`, nodes: [by] }],
    },
  ];
}

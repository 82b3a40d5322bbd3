/**
 * The BN / LN / IN / GN / RMSNorm comparison at a glance, for the panel legend and the CLI's
 * explain output. Trade-offs and papers live in each descriptor; this is the one-line summary.
 */
import type { NormKind } from '../model';

/** One row of the comparison. */
export interface ComparisonRow {
  readonly kind: NormKind;
  /** What one statistic is shared over, on an NCHW (or N × L × D) input. */
  readonly statistics: string;
  /** Output for one sample depends on the other samples of the batch. */
  readonly batchDependent: boolean;
  /** Training and inference compute differently. */
  readonly trainEvalDiffer: boolean;
  /** Foldable into the preceding Conv/Linear at inference. */
  readonly foldable: boolean;
  readonly typicalUse: string;
}

/** BN, LN, IN, GN and RMSNorm side by side. */
export const NORM_COMPARISON: readonly ComparisonRow[] = [
  {
    kind: 'batchnorm',
    statistics: 'per channel, over N × H × W',
    batchDependent: true,
    trainEvalDiffer: true,
    foldable: true,
    typicalUse: 'CNNs with ≥ 16 images per device',
  },
  {
    kind: 'layernorm',
    statistics: 'per sample or token, over the feature dims',
    batchDependent: false,
    trainEvalDiffer: false,
    foldable: false,
    typicalUse: 'Transformers, RNNs',
  },
  {
    kind: 'instancenorm',
    statistics: 'per sample and channel, over H × W',
    batchDependent: false,
    trainEvalDiffer: false,
    foldable: false,
    typicalUse: 'Style transfer, image generation',
  },
  {
    kind: 'groupnorm',
    statistics: 'per sample and group, over C/G channels × H × W',
    batchDependent: false,
    trainEvalDiffer: false,
    foldable: false,
    typicalUse: 'CNNs with small per-device batches (detection, segmentation, video)',
  },
  {
    kind: 'rmsnorm',
    statistics: 'per token, root mean square over the feature dims (no mean)',
    batchDependent: false,
    trainEvalDiffer: false,
    foldable: false,
    typicalUse: 'Large language models',
  },
];

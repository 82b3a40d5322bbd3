/**
 * Batch normalization: what it reduces over, its trade-offs and its conventions. The names and
 * parameters per framework are in batchnorm-variants.ts.
 */
import { BATCH_NORM_VARIANTS as VARIANTS } from './batchnorm-variants';
import { CITATIONS, citeLabel as cite } from './citations';
import { defineDescriptor } from './descriptor';
import { GROUPNORM_PAPER_TABLE } from './groupnorm-table';
import type { Dims } from './layout';
import {
  allAxesExcept,
  dimsOf,
  normalizeAxis,
  rankProblem,
  readList,
  readString,
  reduceOver,
  remarks,
} from './layout';
import type { Reduction, ReductionInput, VariantSpec } from './types';

/** Which channel-first module expects which ranks, for the rank check and the fallback rank. */
const MODULE_RANKS: Readonly<Record<string, readonly number[]>> = {
  BatchNorm1d: [2, 3],
  BatchNorm2d: [4],
  BatchNorm3d: [5],
  FrozenBatchNorm2d: [4],
};

const ONE_VALUE_NOTE = 'only 1 value per channel: PyTorch raises in training';

/** The channel axis of a variant for a known rank. */
function channelAxis(variant: VariantSpec, input: ReductionInput, rank: number): number {
  if (variant.name === 'tf.layers.batchNormalization') {
    return normalizeAxis(readList(input.params, 'axis')?.[0] ?? -1, rank);
  }
  if (variant.name === 'FusedBatchNorm') {
    return readString(input.params, 'data_format') === 'NCHW' ? 1 : rank - 1;
  }
  return 1;
}

function unknownRankText(variant: VariantSpec | undefined): string {
  if (variant?.name === 'BatchNorm1d' || variant?.name === 'LazyBatchNorm1d') {
    return 'per channel, over N (2-D input) or N × L (3-D input)';
  }
  if (variant?.framework === 'tfjs') {
    return 'per channel (the last axis by default), over every other axis';
  }
  return 'per channel (dim 1), over N and every spatial dim';
}

function reduce(variant: VariantSpec | undefined, input: ReductionInput): Reduction {
  if (variant?.name === 'tf.batchNorm') {
    return {
      axes: undefined,
      text: 'with the mean and variance passed in (no statistics are computed)',
    };
  }
  const base = variant?.name.replace(/^Lazy/, '') ?? '';
  const ranks = MODULE_RANKS[base];
  // tfjs is channels-last unless the layer's axis or the graph op's data_format says otherwise.
  const channelsLast =
    variant?.framework === 'tfjs' &&
    readString(input.params, 'data_format') !== 'NCHW' &&
    readList(input.params, 'axis')?.[0] !== 1;
  const dims: Dims = dimsOf(
    input,
    channelsLast ? 'channels-last' : 'channels-first',
    ranks?.length === 1 ? ranks[0] : undefined,
  );
  if (variant === undefined || dims.rank === undefined) {
    return { axes: undefined, text: unknownRankText(variant) };
  }
  const problem = ranks === undefined ? undefined : rankProblem(dims, ranks, 'N, C, …');
  if (problem !== undefined) {
    return {
      axes: undefined,
      text: unknownRankText(variant) + remarks(`${variant.name} ${problem}`),
    };
  }
  const suffix =
    variant.name === 'SyncBatchNorm'
      ? ', gathered across all processes in the process group'
      : variant.name === 'FrozenBatchNorm2d'
        ? remarks('frozen statistics: nothing is computed from the batch')
        : '';
  const result = reduceOver(
    dims,
    allAxesExcept(dims.rank, channelAxis(variant, input, dims.rank)),
    suffix,
  );
  return result.values === 1 && variant.name !== 'FrozenBatchNorm2d'
    ? { ...result, text: result.text + remarks(ONE_VALUE_NOTE) }
    : result;
}

const [largest, smallest] = [GROUPNORM_PAPER_TABLE.rows[0], GROUPNORM_PAPER_TABLE.rows.at(-1)];

/** Batch normalization. */
export const BATCH_NORM = defineDescriptor(
  {
    kind: 'batchnorm',
    title: 'Batch normalization',
    summary:
      'Normalizes each channel with the mean and variance of the current mini-batch while training, and with running estimates at inference.',
    formula:
      'y = (x − E[x]) / √(Var[x] + ε) · γ + β, with E and Var per channel over N and all spatial dims',
    strengths: [
      `Speeds up and stabilizes training of deep CNNs and tolerates higher learning rates ${cite(CITATIONS.batchNorm)}.`,
      `At inference it is a fixed per-channel affine map that folds into the preceding Conv/Linear at no cost ${cite(CITATIONS.batchNorm)}.`,
      `Batch statistics add noise that regularizes, sometimes replacing Dropout ${cite(CITATIONS.batchNorm)}.`,
    ],
    weaknesses: [
      `Depends on the per-device batch: ResNet-50 top-1 error ${largest?.bn}% at ${largest?.batch} images/GPU vs ${smallest?.bn}% at ${smallest?.batch} ${cite(CITATIONS.groupNorm)}.`,
      `Training and inference use different statistics; the EMA can be inaccurate, and samples in a batch leak information to each other ${cite(CITATIONS.rethinkingBatch)}.`,
      `Dropout before BN shifts the variance between training and test ${cite(CITATIONS.dropoutVarianceShift)}.`,
      `Awkward in recurrent nets, which need statistics per time step ${cite(CITATIONS.recurrentBn)}, and unstable in NLP Transformers, whose batch statistics fluctuate strongly ${cite(CITATIONS.powerNorm)}.`,
    ],
    fit:
      `CNNs trained with about 16 or more images per device. With fewer: SyncBatchNorm across devices ${cite(CITATIONS.megDet)}, ` +
      `FrozenBatchNorm2d when fine-tuning, GroupNorm ${cite(CITATIONS.groupNorm)} or Batch Renormalization ${cite(CITATIONS.batchRenorm)}. ` +
      `For sequences and Transformers use LayerNorm or RMSNorm.`,
    citations: [
      CITATIONS.batchNorm,
      CITATIONS.groupNorm,
      CITATIONS.rethinkingBatch,
      CITATIONS.dropoutVarianceShift,
      CITATIONS.recurrentBn,
      CITATIONS.powerNorm,
      CITATIONS.megDet,
      CITATIONS.batchRenorm,
      CITATIONS.largeMinibatch,
      CITATIONS.adaBn,
    ],
    learnable: ['weight γ (C) — tfjs gamma, ONNX scale', 'bias β (C) — tfjs beta, ONNX B'],
    buffers: [
      'running_mean (C) — tfjs moving_mean, ONNX input_mean',
      'running_var (C) — tfjs moving_variance, ONNX input_var',
      'num_batches_tracked — PyTorch only; counts training steps, used when momentum=None',
    ],
    training:
      'Normalizes with the batch mean and biased batch variance per channel, then updates the running statistics. ' +
      'PyTorch feeds the unbiased (÷ n − 1) batch variance to running_var; tfjs and ONNX (training_mode=1) feed the biased one.',
    inference:
      'Uses the running statistics: y = x·s + (β − μ·s) with s = γ/√(σ² + ε), foldable into the preceding Conv/Gemm. ' +
      'In PyTorch, track_running_stats=False keeps using batch statistics in eval.',
    notes: [
      'Momentum: PyTorch 0.1 ≡ Keras/tfjs/ONNX 0.9 (m_keras = 1 − m_pytorch); tfjs defaults to 0.99, i.e. PyTorch 0.01.',
      'eps defaults: PyTorch and ONNX 1e-5, tfjs 1e-3.',
      `PyTorch raises "Expected more than 1 value per channel when training" when N × spatial = 1; with N = 1 and larger spatial dims it silently normalizes over one image.`,
      `A conv or linear bias right before BN is cancelled by the mean subtraction ${cite(CITATIONS.batchNorm)}.`,
      `Zero-initializing γ of the last BN in each residual block helps large-batch training ${cite(CITATIONS.largeMinibatch)}.`,
      `Re-estimating the statistics on the target domain helps under domain shift ${cite(CITATIONS.adaBn)}.`,
      'The PyTorch ONNX exporters fold an eval-mode Conv→BatchNorm2d into the Conv; tfjs graph models fold it into _FusedConv2D.',
    ],
    variants: VARIANTS,
  },
  reduce,
);

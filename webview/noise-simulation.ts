/**
 * The batch-size noise simulation behind the noise view (no DOM, so it runs in the compute worker
 * too): BatchNorm's batch mean and variance for one channel, drawn again and again at each batch
 * size from the panel's sample generator, against the population values.
 */
import type { Kernels, Tensor } from '../src/core/index';
import { sampleShapeOf, sampleTensor } from './sample-tensor';
import { tensorLayout, type PanelSettings } from './settings';

/** Batch sizes simulated (the paper's, plus 1). */
const BATCHES = [1, 2, 4, 8, 16, 32] as const;
/** Batches drawn per size. */
const DRAWS = 12;
/** Samples behind the population statistics. */
const POPULATION = 256;
/** Values per sample and channel at most: 8 × 8 per image plane, 64 per sequence. */
const PLANE = 8;

/** One simulated batch size. */
interface NoiseRow {
  readonly batch: number;
  readonly means: readonly number[];
  /** Standard deviation of the batch mean and of the batch variance across draws. */
  readonly meanScatter: number;
  readonly varScatter: number;
  /** Mean |y_train − y_inference| over the batch, averaged over draws. */
  readonly mismatch: number;
}

/** The simulation for one channel of the current generator. */
export interface NoiseSimulation {
  readonly channel: number;
  /** Batches drawn per batch size. */
  readonly draws: number;
  readonly populationMean: number;
  readonly populationVar: number;
  readonly rows: readonly NoiseRow[];
}

/**
 * Simulates BN's batch statistics for channel `channel` (the first non-constant one); on a
 * sequence tensor, for one feature over N × L.
 */
export function simulateNoise(kernels: Kernels, settings: PanelSettings): NoiseSimulation {
  const shape = (batch: number): PanelSettings => ({
    ...settings,
    batch,
    // At least 2 × 2 values per plane, so that even a batch of 1 has more than one value per channel.
    height: Math.max(2, Math.min(settings.height, PLANE)),
    width: Math.max(2, Math.min(settings.width, PLANE)),
    length: Math.max(4, Math.min(settings.length, PLANE * PLANE)),
  });
  const layout = tensorLayout(settings);
  const channelsLast = layout.channelsLast ? ({ layout: 'channels-last' } as const) : {};
  const sample = (batch: number, seed: number): Tensor =>
    sampleTensor(sampleShapeOf(shape(batch)), settings, seed);
  const channel = settings.constantChannel && layout.features > 1 ? 1 : 0;
  const population = kernels.moments(sample(POPULATION, 7), layout.featureMomentAxes);
  const runningMean = Float32Array.from(population.mean);
  const runningVar = Float32Array.from(population.variance);
  let seed = 1000;
  const rows = BATCHES.map((batch): NoiseRow => {
    const means: number[] = [];
    const variances: number[] = [];
    let mismatch = 0;
    for (let draw = 0; draw < DRAWS; draw++) {
      const x = sample(batch, seed++);
      const train = kernels.batchNormTrain(x, {
        eps: settings.eps,
        momentum: settings.momentum,
        convention: 'pytorch',
        runningMean,
        runningVar,
        ...channelsLast,
      });
      const infer = kernels.batchNormInfer(x, {
        eps: settings.eps,
        runningMean,
        runningVar,
        ...channelsLast,
      });
      means.push(train.batchMean[channel] ?? Number.NaN);
      variances.push(train.batchVar[channel] ?? Number.NaN);
      mismatch += meanAbsDifference(train.y.data, infer.data) / DRAWS;
    }
    return { batch, means, meanScatter: std(means), varScatter: std(variances), mismatch };
  });
  return {
    channel,
    draws: DRAWS,
    populationMean: population.mean[channel] ?? Number.NaN,
    populationVar: population.variance[channel] ?? Number.NaN,
    rows,
  };
}

function std(values: readonly number[]): number {
  const mean = values.reduce((s, v) => s + v, 0) / values.length;
  return Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / values.length);
}

function meanAbsDifference(a: Float32Array, b: Float32Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) {
    sum += Math.abs((a[i] ?? 0) - (b[i] ?? 0));
  }
  return a.length === 0 ? 0 : sum / a.length;
}

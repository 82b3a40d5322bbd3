/**
 * Weight health of a model.json's normalization sites, in the same shape as the ONNX inventory's
 * (so the panel shows both alike): layers-model BatchNormalization/LayerNormalization layers,
 * graph-model BatchNorms that survived conversion, and the folded offset of BatchNorms the
 * converter folded into a convolution. Values come from the manifest's shards, read lazily per
 * site; statistics and value checks are the ones ONNX weights get (`weights/health`).
 */
import { formatNumber } from '../../explain/format';
import { loadKernels, type Kernels } from '../../kernels/index';
import type { TensorRole } from '../../onnx/detect/site';
import {
  assessTensors,
  storageIssues,
  summarizeTensor,
  tensorIssues,
  type AssessedTensor,
  type StatisticNames,
  type WeightHealth,
} from '../../weights/health';
import type { TfjsNormSite, TfjsWeightRole } from '../types';
import type { ShardReader, WeightEntry } from './weights';

/** The weight health of one site, keyed by its first node (the layer path in a layers-model). */
export interface TfjsLayerHealth extends WeightHealth {
  readonly layer: string;
  /** Weights that could not be read, one line each. */
  readonly unreadable: readonly string[];
  /**
   * For a BatchNorm the converter folded into a convolution: what is left of it and its numbers
   * (γ, β and the moving statistics are gone, so only the folded offset can be checked).
   */
  readonly folded?: string;
}

/** tfjs weight names mapped to the roles the shared weight health uses. */
const ROLE: Readonly<Record<TfjsWeightRole, TensorRole>> = {
  gamma: 'scale',
  beta: 'bias',
  moving_mean: 'mean',
  moving_variance: 'var',
};

/** Keras' names for the running statistics, as users see them in their layers. */
const MOVING: StatisticNames = {
  mean: 'moving_mean',
  variance: 'moving_variance',
  both: 'moving statistics',
};

/** How NaN/Inf checks name a folded offset (through the running-mean check, which it shares). */
const FOLDED: StatisticNames = {
  mean: 'the folded offset',
  variance: 'the folded offset',
  both: 'the folded offset',
};

/** Keras' default epsilon for BatchNormalization and LayerNormalization. */
const KERAS_EPSILON = 1e-3;

/** What the per-site readers share: the manifest by name, the shard reader and the kernels. */
interface Reading {
  readonly byName: ReadonlyMap<string, WeightEntry>;
  readonly reader: ShardReader;
  readonly kernels: Kernels;
}

/** Reads and assesses the weights of every site that has some. */
export async function modelJsonHealth(
  sites: readonly TfjsNormSite[],
  entries: readonly WeightEntry[],
  reader: ShardReader,
): Promise<TfjsLayerHealth[]> {
  const reading: Reading = {
    byName: new Map(entries.map((entry) => [entry.name, entry])),
    reader,
    kernels: await loadKernels(),
  };
  const result: TfjsLayerHealth[] = [];
  for (const site of sites) {
    if (site.location.type !== 'graph') {
      continue;
    }
    const layer = site.location.nodes[0] ?? '';
    const { weights, foldedOffset } = site.context;
    if (weights) {
      result.push(await layerHealth(reading, site, weights, layer));
    } else if (foldedOffset !== undefined) {
      result.push(await foldedHealth(reading, site, foldedOffset, layer));
    }
  }
  return result;
}

/** γ, β and moving statistics of one layer: dead γ, invalid variances, statistics never updated. */
async function layerHealth(
  reading: Reading,
  site: TfjsNormSite,
  weights: Readonly<Partial<Record<TfjsWeightRole, string>>>,
  layer: string,
): Promise<TfjsLayerHealth> {
  const read: AssessedTensor[] = [];
  const unreadable: string[] = [];
  for (const role of Object.keys(ROLE) as TfjsWeightRole[]) {
    const name = weights[role];
    const weight = name === undefined ? undefined : await readWeight(reading, name, ROLE[role]);
    if (typeof weight === 'string') {
      unreadable.push(weight);
    } else if (weight) {
      read.push(weight);
    }
  }
  const declared = site.params['epsilon']?.value;
  const epsilon = typeof declared === 'number' ? declared : KERAS_EPSILON;
  const health = assessTensors(reading.kernels, read, epsilon, { names: MOVING });
  return { layer, ...health, unreadable };
}

/**
 * A folded BatchNorm: only its offset β − γ·μ/√(σ² + ε) is left. Its numbers are reported, and
 * NaN/Inf in it means the statistics (or γ, β) were broken before folding.
 */
async function foldedHealth(
  reading: Reading,
  site: TfjsNormSite,
  offset: string,
  layer: string,
): Promise<TfjsLayerHealth> {
  const into = `${site.callee ?? 'a convolution'} ${site.context.foldedInto ?? layer}`;
  const lost =
    `BatchNorm folded into ${into} by the converter: γ, β and the moving statistics are gone, ` +
    'so dead γ and invalid variances cannot be checked';
  const weight = await readWeight(reading, offset, 'bias');
  if (weight === undefined || typeof weight === 'string') {
    const unreadable = typeof weight === 'string' ? [weight] : [];
    return { layer, tensors: [], issues: [], unreadable, folded: `${lost}.` };
  }
  const tensor = summarizeTensor(reading.kernels, weight.identity, weight.values);
  const { summary, mean, std } = tensor;
  const nonFinite = tensorIssues('mean', offset, weight.values, 0, { names: FOLDED }).map(
    (issue) => ({ ...issue, role: 'bias' as const }),
  );
  const numbers = Number.isNaN(summary.min)
    ? 'has no finite values'
    : `ranges ${short(summary.min)} … ${short(summary.max)}, mean ${short(mean)}, std ${short(std)}`;
  return {
    layer,
    tensors: [tensor],
    issues: [...storageIssues(weight), ...nonFinite],
    unreadable: [],
    folded:
      `${lost}. Its folded offset ${offset} (β − γ·μ/√(σ² + ε), ${weight.values.length} ` +
      `channels) ${numbers}.`,
  };
}

/**
 * One weight by manifest name as the health checks take it (a converter-quantized one, stored as
 * uint8/uint16/float16, is low precision), a reason it cannot be read, or nothing.
 */
async function readWeight(
  reading: Reading,
  name: string,
  role: TensorRole,
): Promise<AssessedTensor | string | undefined> {
  const entry = reading.byName.get(name);
  if (!entry) {
    return undefined;
  }
  const values = await reading.reader.values(entry).catch((error: unknown) => {
    // A missing or unreadable shard only costs this weight's numbers, not the inventory.
    const reason = error instanceof Error ? error.message : String(error);
    return `${entry.name}: ${reason}`;
  });
  if (typeof values === 'string') {
    return values;
  }
  const { storedAs } = entry;
  return {
    identity: { role, name: entry.name, dtype: storedAs ?? entry.dtype, shape: entry.shape },
    values,
    ...(storedAs !== undefined ? { lowPrecision: `${storedAs} (quantized by the converter)` } : {}),
  };
}

/** Three significant digits: enough to read a range in a message. */
function short(value: number): string {
  return formatNumber(Number(value.toPrecision(3)));
}

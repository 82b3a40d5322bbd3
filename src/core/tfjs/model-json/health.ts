/**
 * Weight health of a model.json's normalization sites, in the same shape as the ONNX inventory's
 * (so the panel shows both alike): layers-model BatchNormalization/LayerNormalization layers,
 * graph-model BatchNorms that survived conversion, and the folded offset of BatchNorms the
 * converter folded into a convolution. Values come from the manifest's shards, read lazily per
 * site; statistics and value checks are the ONNX health module's.
 */
import { formatNumber } from '../../explain/format';
import { loadKernels, type Kernels } from '../../kernels/index';
import type { TensorRole } from '../../onnx/detect/site';
import {
  statisticsAtInit,
  summarizeTensor,
  tensorIssues,
  type HealthIssue,
  type StatisticNames,
  type TensorHealth,
  type WeightHealth,
} from '../../onnx/health';
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

/** tfjs weight names mapped to the roles the ONNX health uses. */
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

/** Histogram bins of each tensor, as the ONNX health uses. */
const BINS = 32;

/** What the per-site readers share: the manifest by name, the shard reader and the kernels. */
interface Reading {
  readonly byName: ReadonlyMap<string, WeightEntry>;
  readonly reader: ShardReader;
  readonly kernels: Kernels;
}

/** One weight read from the shards, with its summary for the panel. */
interface ReadWeight {
  readonly entry: WeightEntry;
  readonly values: Float32Array;
  readonly tensor: TensorHealth;
  /** Set when the converter quantized the weight (uint8/uint16/float16 storage). */
  readonly storage?: HealthIssue;
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
  const tensors: TensorHealth[] = [];
  const issues: HealthIssue[] = [];
  const unreadable: string[] = [];
  const declared = site.params['epsilon']?.value;
  const epsilon = typeof declared === 'number' ? declared : KERAS_EPSILON;
  const read = new Map<TfjsWeightRole, Float32Array>();
  for (const role of Object.keys(ROLE) as TfjsWeightRole[]) {
    const name = weights[role];
    const weight = name === undefined ? undefined : await readWeight(reading, name, ROLE[role]);
    if (typeof weight === 'string') {
      unreadable.push(weight);
    } else if (weight) {
      read.set(role, weight.values);
      tensors.push(weight.tensor);
      issues.push(
        ...(weight.storage ? [weight.storage] : []),
        ...tensorIssues(ROLE[role], weight.entry.name, weight.values, epsilon, { names: MOVING }),
      );
    }
  }
  const atInit = statisticsAtInit(
    read.get('moving_mean'),
    read.get('moving_variance'),
    weights.moving_variance ?? '',
    MOVING,
  );
  if (atInit) {
    issues.push(atInit);
  }
  return { layer, tensors, issues, unreadable };
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
  const { summary, mean, std } = weight.tensor;
  const nonFinite = tensorIssues('mean', offset, weight.values, 0, { names: FOLDED }).map(
    (issue) => ({ ...issue, role: 'bias' as const }),
  );
  const numbers = Number.isNaN(summary.min)
    ? 'has no finite values'
    : `ranges ${short(summary.min)} … ${short(summary.max)}, mean ${short(mean)}, std ${short(std)}`;
  return {
    layer,
    tensors: [weight.tensor],
    issues: [...(weight.storage ? [weight.storage] : []), ...nonFinite],
    unreadable: [],
    folded:
      `${lost}. Its folded offset ${offset} (β − γ·μ/√(σ² + ε), ${weight.values.length} ` +
      `channels) ${numbers}.`,
  };
}

/** One weight by manifest name: its values and summary, a reason it cannot be read, or nothing. */
async function readWeight(
  reading: Reading,
  name: string,
  role: TensorRole,
): Promise<ReadWeight | string | undefined> {
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
  const identity = {
    role,
    name: entry.name,
    dtype: entry.storedAs ?? entry.dtype,
    shape: entry.shape,
  };
  return {
    entry,
    values,
    tensor: summarizeTensor(reading.kernels, identity, values, BINS),
    ...(entry.storedAs !== undefined
      ? {
          storage: {
            kind: 'low-precision-storage',
            role,
            tensor: entry.name,
            message: `${entry.name} is stored as ${entry.storedAs} (quantized by the converter)`,
            channels: [],
          },
        }
      : {}),
  };
}

/** Three significant digits: enough to read a range in a message. */
function short(value: number): string {
  return formatNumber(Number(value.toPrecision(3)));
}

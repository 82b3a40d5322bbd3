/**
 * Weight health of a model.json's BatchNormalization/LayerNormalization layers, in the same shape
 * as the ONNX inventory's (so the panel shows both alike). Values come from the manifest's shards,
 * read lazily per layer; statistics and value checks are the ONNX health module's.
 */
import { loadKernels } from '../../kernels/index';
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

/** The weight health of one layer, keyed by its layer path. */
export interface TfjsLayerHealth extends WeightHealth {
  readonly layer: string;
  /** Weights that could not be read, one line each. */
  readonly unreadable: readonly string[];
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

/** Keras' default epsilon for BatchNormalization and LayerNormalization. */
const KERAS_EPSILON = 1e-3;

/** Reads and assesses the weights of every site that has some. */
export async function modelJsonHealth(
  sites: readonly TfjsNormSite[],
  entries: readonly WeightEntry[],
  reader: ShardReader,
): Promise<TfjsLayerHealth[]> {
  const byName = new Map(entries.map((entry) => [entry.name, entry]));
  const kernels = await loadKernels();
  const result: TfjsLayerHealth[] = [];
  for (const site of sites) {
    const weights = site.context.weights;
    if (!weights || site.location.type !== 'graph') {
      continue;
    }
    const tensors: TensorHealth[] = [];
    const issues: HealthIssue[] = [];
    const unreadable: string[] = [];
    const declared = site.params['epsilon']?.value;
    const epsilon = typeof declared === 'number' ? declared : KERAS_EPSILON;
    const read = new Map<TfjsWeightRole, Float32Array>();
    for (const role of Object.keys(ROLE) as TfjsWeightRole[]) {
      const entry = weights[role] === undefined ? undefined : byName.get(weights[role]);
      if (!entry) {
        continue;
      }
      const values = await reader.values(entry).catch((error: unknown) => {
        // A missing or unreadable shard only costs this weight's numbers, not the inventory.
        const reason = error instanceof Error ? error.message : String(error);
        return `${entry.name}: ${reason}`;
      });
      if (typeof values === 'string') {
        unreadable.push(values);
        continue;
      }
      read.set(role, values);
      const identity = {
        role: ROLE[role],
        name: entry.name,
        dtype: entry.storedAs ?? entry.dtype,
        shape: entry.shape,
      };
      tensors.push(summarizeTensor(kernels, identity, values, 32));
      if (entry.storedAs !== undefined) {
        issues.push({
          kind: 'low-precision-storage',
          role: ROLE[role],
          tensor: entry.name,
          message: `${entry.name} is stored as ${entry.storedAs} (quantized by the converter)`,
          channels: [],
        });
      }
      issues.push(...tensorIssues(ROLE[role], entry.name, values, epsilon, { names: MOVING }));
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
    result.push({ layer: site.location.nodes[0] ?? '', tensors, issues, unreadable });
  }
  return result;
}

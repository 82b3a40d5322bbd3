/**
 * Weight health of a model.json's BatchNormalization/LayerNormalization layers, in the same shape
 * as the ONNX inventory's (so the panel shows both alike). Values come from the manifest's shards,
 * read lazily per layer; statistics come from the shared kernels.
 */
import { loadKernels, type Kernels } from '../../kernels/index';
import type { HealthIssue, TensorHealth, TensorRole, WeightHealth } from '../../onnx/index';
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

/** How many channel indices a message lists. */
const SHOWN = 8;

/** |γ| below this fraction of max|γ| (or below the absolute floor) counts as dead. */
const DEAD_GAMMA_RELATIVE = 1e-3;
const DEAD_GAMMA_ABSOLUTE = 1e-4;

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
      tensors.push(summarize(kernels, ROLE[role], entry, values));
      issues.push(...issuesOf(role, entry, values, site));
    }
    const mean = read.get('moving_mean');
    const variance = read.get('moving_variance');
    if (mean && variance && mean.every((v) => v === 0) && variance.every((v) => v === 1)) {
      issues.push({
        kind: 'stats-at-init',
        role: 'var',
        tensor: weights.moving_variance ?? '',
        message:
          'moving statistics are exactly at their initial values (mean 0, variance 1): they were never updated',
        channels: [],
      });
    }
    result.push({ layer: site.location.nodes[0] ?? '', tensors, issues, unreadable });
  }
  return result;
}

function summarize(
  kernels: Kernels,
  role: TensorRole,
  entry: WeightEntry,
  values: Float32Array,
): TensorHealth {
  const x = { data: values, shape: [values.length] };
  const finite = values.filter((v) => Number.isFinite(v));
  const stats =
    finite.length > 0 ? kernels.moments({ data: finite, shape: [finite.length] }, [0]) : undefined;
  return {
    role,
    name: entry.name,
    dtype: entry.storedAs ?? entry.dtype,
    shape: entry.shape,
    summary: kernels.summarize(x),
    mean: stats?.mean[0] ?? Number.NaN,
    std: Math.sqrt(stats?.variance[0] ?? Number.NaN),
    histogram: kernels.histogram(x, { bins: 32 }),
  };
}

/** Catalog NORM016/NORM017 checks on one weight, plus lossy storage. */
function issuesOf(
  role: TfjsWeightRole,
  entry: WeightEntry,
  values: Float32Array,
  site: TfjsNormSite,
): HealthIssue[] {
  const issues: HealthIssue[] = [];
  const issue = (kind: HealthIssue['kind'], channels: number[], message: string): void => {
    issues.push({ kind, role: ROLE[role], tensor: entry.name, message, channels });
  };
  if (entry.storedAs !== undefined) {
    issue(
      'low-precision-storage',
      [],
      `${entry.name} is stored as ${entry.storedAs} (quantized by the converter)`,
    );
  }
  const nonFinite = where(values, (v) => !Number.isFinite(v));
  if (role === 'moving_variance') {
    const invalid = where(values, (v) => v < 0 || !Number.isFinite(v));
    if (invalid.length > 0) {
      issue(
        'running-var-invalid',
        invalid,
        `moving_variance has ${invalid.length} negative or NaN/Inf values (channels ${list(invalid)})`,
      );
    }
    const epsilon = site.params['epsilon']?.value;
    const floor = Math.max(typeof epsilon === 'number' ? epsilon : 1e-3, 1e-8);
    const tiny = where(values, (v) => v >= 0 && v < floor);
    if (tiny.length > 0) {
      issue(
        'running-var-near-zero',
        tiny,
        `moving_variance is below ${floor.toExponential(1)} in ${tiny.length} of ${values.length} channels (channels ${list(tiny)})`,
      );
    }
  } else if (role === 'moving_mean' && nonFinite.length > 0) {
    issue(
      'running-mean-invalid',
      nonFinite,
      `moving_mean has ${nonFinite.length} NaN/Inf values (channels ${list(nonFinite)})`,
    );
  } else if (role === 'gamma') {
    const max = values.reduce((m, v) => (Number.isFinite(v) ? Math.max(m, Math.abs(v)) : m), 0);
    const dead = where(
      values,
      (v) => Math.abs(v) < DEAD_GAMMA_RELATIVE * max || Math.abs(v) < DEAD_GAMMA_ABSOLUTE,
    );
    if (dead.length > 0) {
      const percent = ((100 * dead.length) / values.length).toFixed(1);
      issue(
        'dead-gamma',
        dead,
        `γ is ≈ 0 in ${dead.length} of ${values.length} channels (${percent}%; channels ${list(dead)})`,
      );
    }
  }
  return issues;
}

function where(values: Float32Array, test: (v: number) => boolean): number[] {
  const found: number[] = [];
  values.forEach((v, k) => {
    if (test(v)) {
      found.push(k);
    }
  });
  return found;
}

function list(channels: readonly number[]): string {
  const shown = channels.slice(0, SHOWN).join(', ');
  return channels.length > SHOWN ? `${shown}, …` : shown;
}

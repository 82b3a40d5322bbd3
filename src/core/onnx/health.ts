/**
 * Weight health of one normalization site, read lazily: only the site's own γ, β and running
 * statistics are read, and only when asked. Statistics come from the shared kernels.
 */
import { loadKernels, type Histogram, type Kernels, type TensorSummary } from '../kernels/index';
import type { ConstantRef } from './graph-index';
import { graphIndexAt, readConstant } from './lookup';
import type { OnnxNormSite, TensorRole } from './detect/site';
import { dataTypeName } from './tensor-layout';
import { DataType, type OnnxModel } from './types';

/** Per-tensor numbers for the panel. */
export interface TensorHealth {
  readonly role: TensorRole;
  readonly name: string;
  readonly dtype: string;
  readonly shape: readonly number[];
  readonly summary: TensorSummary;
  /** Mean and population standard deviation of the finite values (NaN when there are none). */
  readonly mean: number;
  readonly std: number;
  readonly histogram: Histogram;
}

/** Kinds of problems the weights can show. */
export type HealthIssueKind =
  | 'running-var-invalid'
  | 'running-var-near-zero'
  | 'running-mean-invalid'
  | 'dead-gamma'
  | 'stats-at-init'
  | 'low-precision-storage';

/** One problem, with the channels it affects. */
export interface HealthIssue {
  readonly kind: HealthIssueKind;
  readonly role: TensorRole;
  readonly tensor: string;
  /** One line with the numbers, e.g. `running_var has 2 negative values (channels 3, 7)`. */
  readonly message: string;
  /** Affected channel indices (all of them; the message shows the first few). */
  readonly channels: readonly number[];
}

/** Weight health of one site. */
export interface WeightHealth {
  readonly tensors: readonly TensorHealth[];
  readonly issues: readonly HealthIssue[];
}

/** Thresholds (catalog NORM016/NORM017). */
export interface HealthOptions {
  /** |γ| below this fraction of max|γ| counts as dead (default 1e-3). */
  readonly deadGammaRelative?: number;
  /** |γ| below this counts as dead regardless of the others (default 1e-4). */
  readonly deadGammaAbsolute?: number;
  /** Histogram bins (default 32). */
  readonly bins?: number;
}

/** What messages call the running statistics: PyTorch's names here, Keras' for model.json. */
export interface StatisticNames {
  /** e.g. `running_mean`. */
  readonly mean: string;
  /** e.g. `running_var`. */
  readonly variance: string;
  /** Both together, e.g. `running statistics`. */
  readonly both: string;
}

/** Thresholds, and the names messages use for the running statistics. */
export interface TensorCheckOptions extends HealthOptions {
  /** Default: PyTorch's `running_mean`/`running_var`, as ONNX exports of BatchNorm keep them. */
  readonly names?: StatisticNames;
}

const RUNNING: StatisticNames = {
  mean: 'running_mean',
  variance: 'running_var',
  both: 'running statistics',
};

/** What {@link summarizeTensor} reports a tensor as. */
export interface TensorIdentity {
  readonly role: TensorRole;
  readonly name: string;
  readonly dtype: string;
  readonly shape: readonly number[];
}

const ROLES: readonly TensorRole[] = ['scale', 'bias', 'mean', 'var'];
const SHOWN = 8;

function channelList(channels: readonly number[]): string {
  const shown = channels.slice(0, SHOWN).join(', ');
  return channels.length > SHOWN ? `${shown}, …` : shown;
}

function where(values: Float32Array, test: (v: number) => boolean): number[] {
  const result: number[] = [];
  values.forEach((v, k) => {
    if (test(v)) {
      result.push(k);
    }
  });
  return result;
}

/** One constant of a site, by role: the tensor the site names and what it refers to. */
export interface SiteConstant {
  readonly role: TensorRole;
  readonly name: string;
  readonly ref: ConstantRef;
}

/** The site's γ, β and running statistics that are constants, in role order (scale, bias, mean, var). */
export function siteConstants(model: OnnxModel, site: OnnxNormSite): SiteConstant[] {
  const index = graphIndexAt(model, site.context.graph);
  const found: SiteConstant[] = [];
  for (const role of ROLES) {
    const name = site.context.tensors[role];
    const ref = name === undefined ? undefined : index?.constant(name);
    if (name !== undefined && ref !== undefined) {
      found.push({ role, name, ref });
    }
  }
  return found;
}

/** Statistics of one tensor's values for the panel: summary, finite mean and std, histogram. */
export function summarizeTensor(
  kernels: Kernels,
  identity: TensorIdentity,
  values: Float32Array,
  bins: number,
): TensorHealth {
  const x = { data: values, shape: [values.length] };
  const summary = kernels.summarize(x);
  const nonFinite = summary.nanCount + summary.posInfCount + summary.negInfCount;
  // Copy out the finite values only when there are others: the common case needs no copy.
  const finite = nonFinite === 0 ? values : values.filter((v) => Number.isFinite(v));
  const stats =
    finite.length > 0 ? kernels.moments({ data: finite, shape: [finite.length] }, [0]) : undefined;
  // The summary already has the finite range the histogram would compute again.
  const range: [number, number] = Number.isNaN(summary.min) ? [0, 1] : [summary.min, summary.max];
  return {
    ...identity,
    summary,
    mean: stats?.mean[0] ?? Number.NaN,
    std: Math.sqrt(stats?.variance[0] ?? Number.NaN),
    histogram: kernels.histogram(x, { bins, range }),
  };
}

function tensorHealth(
  kernels: Kernels,
  role: TensorRole,
  name: string,
  ref: ConstantRef,
  values: Float32Array,
  bins: number,
): TensorHealth {
  const tensor = ref.type === 'tensor' ? ref.tensor : undefined;
  const identity: TensorIdentity = {
    role,
    name,
    dtype: tensor ? dataTypeName(tensor.dataType) : 'float',
    shape: tensor ? tensor.dims : [values.length],
  };
  return summarizeTensor(kernels, identity, values, bins);
}

function varianceIssues(
  name: string,
  values: Float32Array,
  epsilon: number,
  names: StatisticNames,
): HealthIssue[] {
  const issues: HealthIssue[] = [];
  const negative = where(values, (v) => v < 0);
  const nonFinite = where(values, (v) => !Number.isFinite(v));
  const invalid = [...new Set([...negative, ...nonFinite])].sort((a, b) => a - b);
  if (invalid.length > 0) {
    issues.push({
      kind: 'running-var-invalid',
      role: 'var',
      tensor: name,
      message: `${names.variance} has ${negative.length} negative and ${nonFinite.length} NaN/Inf values (channels ${channelList(invalid)})`,
      channels: invalid,
    });
  }
  const floor = Math.max(epsilon, 1e-8);
  const tiny = where(values, (v) => v >= 0 && v < floor);
  if (tiny.length > 0) {
    issues.push({
      kind: 'running-var-near-zero',
      role: 'var',
      tensor: name,
      message: `${names.variance} is below ${floor.toExponential(1)} in ${tiny.length} of ${values.length} channels (channels ${channelList(tiny)})`,
      channels: tiny,
    });
  }
  return issues;
}

function deadGamma(name: string, values: Float32Array, options: HealthOptions): HealthIssue[] {
  const max = values.reduce((m, v) => (Number.isFinite(v) ? Math.max(m, Math.abs(v)) : m), 0);
  const relative = (options.deadGammaRelative ?? 1e-3) * max;
  const absolute = options.deadGammaAbsolute ?? 1e-4;
  const dead = where(values, (v) => Math.abs(v) < relative || Math.abs(v) < absolute);
  if (dead.length === 0) {
    return [];
  }
  const percent = ((100 * dead.length) / values.length).toFixed(1);
  return [
    {
      kind: 'dead-gamma',
      role: 'scale',
      tensor: name,
      message: `γ is ≈ 0 in ${dead.length} of ${values.length} channels (${percent}%; channels ${channelList(dead)})`,
      channels: dead,
    },
  ];
}

function meanIssues(name: string, values: Float32Array, names: StatisticNames): HealthIssue[] {
  const bad = where(values, (v) => !Number.isFinite(v));
  if (bad.length === 0) {
    return [];
  }
  return [
    {
      kind: 'running-mean-invalid',
      role: 'mean',
      tensor: name,
      message: `${names.mean} has ${bad.length} NaN/Inf values (channels ${channelList(bad)})`,
      channels: bad,
    },
  ];
}

/**
 * The value checks of catalog NORM016/NORM017 on one tensor of a normalization layer: invalid or
 * near-zero running variance (below max(`epsilon`, 1e-8)), NaN/Inf running mean, dead γ. Other
 * roles have no checks. Storage type is the caller's concern, as only it knows the format.
 */
export function tensorIssues(
  role: TensorRole,
  name: string,
  values: Float32Array,
  epsilon: number,
  options: TensorCheckOptions = {},
): HealthIssue[] {
  const names = options.names ?? RUNNING;
  switch (role) {
    case 'var':
      return varianceIssues(name, values, epsilon, names);
    case 'scale':
      return deadGamma(name, values, options);
    case 'mean':
      return meanIssues(name, values, names);
    default:
      return [];
  }
}

/** Running statistics exactly at their initial values (mean ≡ 0, var ≡ 1): never updated. */
export function statisticsAtInit(
  mean: Float32Array | undefined,
  variance: Float32Array | undefined,
  tensor: string,
  names: StatisticNames = RUNNING,
): HealthIssue | undefined {
  if (!mean || !variance || !mean.every((v) => v === 0) || !variance.every((v) => v === 1)) {
    return undefined;
  }
  return {
    kind: 'stats-at-init',
    role: 'var',
    tensor,
    message: `${names.both} are exactly at their initial values (mean 0, var 1): they were never updated`,
    channels: [],
  };
}

/** A site's constants with their values, read by the caller. */
export interface SiteValues extends SiteConstant {
  readonly values: Float32Array;
}

/**
 * Statistics and problems of a site's constants whose values are already read: invalid or
 * near-zero running_var, dead γ, running stats never updated (mean ≡ 0 and var ≡ 1), and
 * fp16/bf16 storage. Synchronous, so a pass over many sites reads first and computes here.
 */
export function assessWeights(
  kernels: Kernels,
  site: OnnxNormSite,
  constants: readonly SiteValues[],
  options: HealthOptions = {},
): WeightHealth {
  const tensors: TensorHealth[] = [];
  const issues: HealthIssue[] = [];
  const read = new Map<TensorRole, Float32Array>();
  const declared = site.params['epsilon']?.value;
  const epsilon = typeof declared === 'number' ? declared : 1e-5;
  for (const { role, name, ref, values } of constants) {
    read.set(role, values);
    tensors.push(tensorHealth(kernels, role, name, ref, values, options.bins ?? 32));
    if (
      ref.type === 'tensor' &&
      (ref.tensor.dataType === DataType.float16 || ref.tensor.dataType === DataType.bfloat16)
    ) {
      issues.push({
        kind: 'low-precision-storage',
        role,
        tensor: name,
        message: `${name} is stored as ${dataTypeName(ref.tensor.dataType)}`,
        channels: [],
      });
    }
    issues.push(...tensorIssues(role, name, values, epsilon, options));
  }
  const atInit = statisticsAtInit(
    read.get('mean'),
    read.get('var'),
    site.context.tensors.var ?? '',
  );
  if (atInit) {
    issues.push(atInit);
  }
  return { tensors, issues };
}

/**
 * Reads the site's γ, β and running statistics (only those that are constants) and reports their
 * statistics and problems (see {@link assessWeights}). For many sites, `weightHealthOfSites` reads
 * the weights in one pass instead.
 */
export async function weightHealth(
  model: OnnxModel,
  site: OnnxNormSite,
  options: HealthOptions = {},
): Promise<WeightHealth> {
  const kernels = await loadKernels();
  const constants: SiteValues[] = [];
  for (const constant of siteConstants(model, site)) {
    constants.push({ ...constant, values: await readConstant(model, constant.ref) });
  }
  return assessWeights(kernels, site, constants, options);
}

/**
 * Weight health of one normalization layer, whatever format it came from: per-tensor statistics
 * for the panel and the value checks of catalog NORM016/NORM017. Callers read the values (ONNX
 * initializers, model.json shards) and name the tensors; statistics come from the shared kernels.
 */
import type { Histogram, Kernels, TensorSummary } from '../kernels/index';
import type { TensorRole } from '../onnx/detect/site';

/** What {@link summarizeTensor} reports a tensor as (its dtype as stored). */
export interface TensorIdentity {
  readonly role: TensorRole;
  readonly name: string;
  readonly dtype: string;
  readonly shape: readonly number[];
}

/** Per-tensor numbers for the panel. */
export interface TensorHealth extends TensorIdentity {
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

/** Weight health of one layer. */
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

/** What messages call the running statistics: PyTorch's names by default, Keras' for model.json. */
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

/** Histogram bins of each tensor unless the caller asks for others. */
const BINS = 32;
/** Channels a message lists before it elides the rest. */
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

/** Statistics of one tensor's values for the panel: summary (with the finite mean and std), histogram. */
export function summarizeTensor(
  kernels: Kernels,
  identity: TensorIdentity,
  values: Float32Array,
  bins = BINS,
): TensorHealth {
  const x = { data: values, shape: [values.length] };
  const summary = kernels.summarize(x);
  // The summary already has the finite range the histogram would compute again.
  const range: [number, number] = Number.isNaN(summary.min) ? [0, 1] : [summary.min, summary.max];
  return {
    ...identity,
    summary,
    // The summary's mean and biased variance are over the finite values (NaN when none is).
    mean: summary.mean,
    std: Math.sqrt(summary.variance),
    histogram: kernels.histogram(x, { bins, range }),
  };
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

/** One tensor of a layer with its values as float32, ready for {@link assessTensors}. */
export interface AssessedTensor {
  readonly identity: TensorIdentity;
  readonly values: Float32Array;
  /**
   * Set when the stored values are less precise than float32: how they are stored, as the message
   * says it after `is stored as` (e.g. `float16`, `uint8 (quantized by the converter)`).
   */
  readonly lowPrecision?: string;
}

/** The `low-precision-storage` issue of a tensor stored below float32, if it is. */
export function storageIssues({ identity, lowPrecision }: AssessedTensor): HealthIssue[] {
  if (lowPrecision === undefined) {
    return [];
  }
  return [
    {
      kind: 'low-precision-storage',
      role: identity.role,
      tensor: identity.name,
      message: `${identity.name} is stored as ${lowPrecision}`,
      channels: [],
    },
  ];
}

/**
 * Statistics and problems of one layer's tensors (γ, β and running statistics, in the order the
 * panel shows them): per tensor its storage and value checks ({@link tensorIssues}), then
 * running statistics never updated ({@link statisticsAtInit}). `epsilon` is the layer's own.
 * Synchronous, so a pass over many layers reads first and computes here.
 */
export function assessTensors(
  kernels: Kernels,
  tensors: readonly AssessedTensor[],
  epsilon: number,
  options: TensorCheckOptions = {},
): WeightHealth {
  const issues: HealthIssue[] = [];
  for (const tensor of tensors) {
    const { role, name } = tensor.identity;
    issues.push(
      ...storageIssues(tensor),
      ...tensorIssues(role, name, tensor.values, epsilon, options),
    );
  }
  const mean = tensors.find((t) => t.identity.role === 'mean');
  const variance = tensors.find((t) => t.identity.role === 'var');
  const atInit = statisticsAtInit(
    mean?.values,
    variance?.values,
    variance?.identity.name ?? '',
    options.names,
  );
  return {
    tensors: tensors.map((t) => summarizeTensor(kernels, t.identity, t.values, options.bins)),
    issues: atInit ? [...issues, atInit] : issues,
  };
}

/**
 * The panel's settings: one plain object that the controls edit, the computation reads and
 * getState/setState persist. Values restored from state are untrusted and clamped like input.
 */
import type { PanelPreset } from '../src/core/index';

/** The methods the panel compares. */
export type Method = 'batchnorm' | 'layernorm' | 'instancenorm' | 'groupnorm' | 'rmsnorm';

/** The methods in menu order. */
export const METHODS: readonly Method[] = [
  'batchnorm',
  'layernorm',
  'instancenorm',
  'groupnorm',
  'rmsnorm',
];

/** Image tensors (N, C, H, W) or sequence tensors (N, L, D), as a transformer's LayerNorm sees them. */
export type Layout = 'nchw' | 'nld';

/** The methods that apply to sequence tensors: BN per feature, LN and RMSNorm over D. */
export const SEQUENCE_METHODS: readonly Method[] = ['batchnorm', 'layernorm', 'rmsnorm'];

/** Everything the controls set. */
export interface PanelSettings {
  readonly method: Method;
  readonly layout: Layout;
  readonly batch: number;
  /** NCHW sizes. */
  readonly channels: number;
  readonly height: number;
  readonly width: number;
  /** N×L×D sizes: sequence length and features. */
  readonly length: number;
  readonly features: number;
  readonly groups: number;
  readonly eps: number;
  readonly affine: boolean;
  readonly gamma: number;
  readonly beta: number;
  /** BatchNorm only: true for inference with running statistics. */
  readonly inference: boolean;
  readonly momentum: number;
  /** Training steps that produced the running statistics used at inference. */
  readonly steps: number;
  /** Sample generator: spread of the channel means, channel std growth, per-sample offset and scale. */
  readonly channelOffset: number;
  readonly channelScale: number;
  readonly sampleOffset: number;
  readonly sampleScale: number;
  /** Channel 0 is constant (zero variance): what makes eps matter. */
  readonly constantChannel: boolean;
}

/** Numeric fields with their limits, used by the controls and to clamp restored state. */
export const LIMITS = {
  batch: { min: 1, max: 64, step: 1 },
  channels: { min: 1, max: 256, step: 1 },
  height: { min: 1, max: 64, step: 1 },
  width: { min: 1, max: 64, step: 1 },
  length: { min: 1, max: 512, step: 1 },
  features: { min: 1, max: 1024, step: 1 },
  groups: { min: 1, max: 256, step: 1 },
  eps: { min: 0, max: 1, step: 'any' },
  gamma: { min: -10, max: 10, step: 'any' },
  beta: { min: -10, max: 10, step: 'any' },
  momentum: { min: 0, max: 1, step: 'any' },
  steps: { min: 0, max: 1000, step: 1 },
  channelOffset: { min: 0, max: 10, step: 'any' },
  channelScale: { min: 0, max: 10, step: 'any' },
  sampleOffset: { min: 0, max: 10, step: 'any' },
  sampleScale: { min: 0, max: 2, step: 'any' },
} as const;

/** The numeric settings. */
export type NumericSetting = keyof typeof LIMITS;

/** Defaults: a small tensor that draws well; 8×64×28×28 is the performance target. */
export const DEFAULT_SETTINGS: PanelSettings = {
  method: 'batchnorm',
  layout: 'nchw',
  batch: 8,
  channels: 4,
  height: 8,
  width: 8,
  length: 16,
  features: 32,
  groups: 2,
  eps: 1e-5,
  affine: false,
  gamma: 1,
  beta: 0,
  inference: false,
  momentum: 0.1,
  steps: 20,
  channelOffset: 2,
  channelScale: 1,
  sampleOffset: 0.5,
  sampleScale: 0.2,
  constantChannel: false,
};

/**
 * Settings pre-filled from a preset (hover link, palette or model layer): method, channels, eps,
 * batch. LayerNorm and RMSNorm open on a sequence tensor with the preset's channels as D, the
 * shape they normalize in a transformer.
 */
export function settingsFromPreset(preset: PanelPreset): PanelSettings {
  const method = (METHODS as readonly string[]).includes(preset.kind ?? '')
    ? (preset.kind as Method)
    : DEFAULT_SETTINGS.method;
  const sequence = method === 'layernorm' || method === 'rmsnorm';
  return clampSettings({
    ...DEFAULT_SETTINGS,
    method,
    layout: sequence ? 'nld' : 'nchw',
    batch: preset.batch ?? DEFAULT_SETTINGS.batch,
    channels: (sequence ? undefined : preset.channels) ?? DEFAULT_SETTINGS.channels,
    features: (sequence ? preset.channels : undefined) ?? DEFAULT_SETTINGS.features,
    eps: preset.eps ?? DEFAULT_SETTINGS.eps,
  });
}

/** Settings from untrusted input (restored state): unknown fields dropped, numbers clamped. */
export function restoreSettings(input: unknown): PanelSettings | undefined {
  if (typeof input !== 'object' || input === null) {
    return undefined;
  }
  const record = input as Record<string, unknown>;
  const merged: Record<string, unknown> = { ...DEFAULT_SETTINGS };
  for (const key of Object.keys(DEFAULT_SETTINGS)) {
    const value = record[key];
    if (typeof value === typeof DEFAULT_SETTINGS[key as keyof PanelSettings]) {
      merged[key] = value;
    }
  }
  if (!(METHODS as readonly unknown[]).includes(merged['method'])) {
    merged['method'] = DEFAULT_SETTINGS.method;
  }
  if (merged['layout'] !== 'nld') {
    merged['layout'] = 'nchw';
  }
  return clampSettings(merged as unknown as PanelSettings);
}

/**
 * Every number inside its limits (integers rounded), groups a divisor of channels, and on a
 * sequence tensor a method that applies to one.
 */
export function clampSettings(settings: PanelSettings): PanelSettings {
  const clamped: Record<string, unknown> = { ...settings };
  for (const [key, limit] of Object.entries(LIMITS)) {
    const raw = Number(clamped[key]);
    const value = Number.isFinite(raw) ? raw : DEFAULT_SETTINGS[key as NumericSetting];
    const bounded = Math.min(Math.max(value, limit.min), limit.max);
    clamped[key] = limit.step === 1 ? Math.round(bounded) : bounded;
  }
  const result = clamped as unknown as PanelSettings;
  const method =
    result.layout === 'nld' && !SEQUENCE_METHODS.includes(result.method)
      ? 'layernorm'
      : result.method;
  return { ...result, method, groups: nearestDivisor(result.channels, result.groups) };
}

/** The tensor the settings describe and the axes its statistics are taken over. */
export interface TensorLayout {
  /** [N, C, H, W] or [N, L, D]. */
  readonly shape: readonly number[];
  /** C or D: the axis BatchNorm keeps and the per-channel strips and table show. */
  readonly features: number;
  /** Values per sample and feature: H·W or L. */
  readonly positions: number;
  /** Axes reduced for the per-feature moments (all but the feature axis). */
  readonly featureMomentAxes: readonly number[];
  /** Axes reduced for the per-sample moments (all but the batch axis). */
  readonly sampleMomentAxes: readonly number[];
  /** True when the feature axis is the last one (N×L×D). */
  readonly channelsLast: boolean;
  /** "C" or "D", for labels. */
  readonly featureName: string;
}

/** The tensor layout of `settings`. */
export function tensorLayout(settings: PanelSettings): TensorLayout {
  if (settings.layout === 'nld') {
    return {
      shape: [settings.batch, settings.length, settings.features],
      features: settings.features,
      positions: settings.length,
      featureMomentAxes: [0, 1],
      sampleMomentAxes: [1, 2],
      channelsLast: true,
      featureName: 'D',
    };
  }
  return {
    shape: [settings.batch, settings.channels, settings.height, settings.width],
    features: settings.channels,
    positions: settings.height * settings.width,
    featureMomentAxes: [0, 2, 3],
    sampleMomentAxes: [1, 2, 3],
    channelsLast: false,
    featureName: 'C',
  };
}

/** The divisor of `n` closest to `wanted` (GroupNorm needs C divisible by G). */
export function nearestDivisor(n: number, wanted: number): number {
  let best = 1;
  for (let d = 1; d <= n; d++) {
    if (n % d === 0 && Math.abs(d - wanted) < Math.abs(best - wanted)) {
      best = d;
    }
  }
  return best;
}

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

/** Everything the controls set. Shapes are NCHW. */
export interface PanelSettings {
  readonly method: Method;
  readonly batch: number;
  readonly channels: number;
  readonly height: number;
  readonly width: number;
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
  batch: 8,
  channels: 4,
  height: 8,
  width: 8,
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

/** Settings pre-filled from a preset (hover link or palette): method, channels, eps, batch. */
export function settingsFromPreset(preset: PanelPreset): PanelSettings {
  const method = (METHODS as readonly string[]).includes(preset.kind ?? '')
    ? (preset.kind as Method)
    : DEFAULT_SETTINGS.method;
  return clampSettings({
    ...DEFAULT_SETTINGS,
    method,
    batch: preset.batch ?? DEFAULT_SETTINGS.batch,
    channels: preset.channels ?? DEFAULT_SETTINGS.channels,
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
  return clampSettings(merged as unknown as PanelSettings);
}

/** Every number inside its limits (integers rounded), groups a divisor of channels. */
export function clampSettings(settings: PanelSettings): PanelSettings {
  const clamped: Record<string, unknown> = { ...settings };
  for (const [key, limit] of Object.entries(LIMITS)) {
    const raw = Number(clamped[key]);
    const value = Number.isFinite(raw) ? raw : DEFAULT_SETTINGS[key as NumericSetting];
    const bounded = Math.min(Math.max(value, limit.min), limit.max);
    clamped[key] = limit.step === 1 ? Math.round(bounded) : bounded;
  }
  const result = clamped as unknown as PanelSettings;
  return { ...result, groups: nearestDivisor(result.channels, result.groups) };
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

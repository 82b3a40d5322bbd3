/**
 * Messages between the extension host and the normalization panel. Both sides receive `unknown`
 * and narrow it with these guards; nothing from a message is trusted before that.
 */
import type { NormKind } from './model';

/** What the panel is opened with: a method and the sizes from the user's code, when known. */
export interface PanelPreset {
  readonly kind?: NormKind;
  readonly variant?: string;
  readonly channels?: number;
  readonly batch?: number;
  readonly eps?: number;
}

/** Host → panel. */
export interface HostToPanel {
  readonly type: 'init';
  readonly preset: PanelPreset;
}

/** Panel → host. */
export type PanelToHost =
  { readonly type: 'ready' } | { readonly type: 'error'; readonly message: string };

const KINDS: readonly NormKind[] = [
  'batchnorm',
  'layernorm',
  'instancenorm',
  'groupnorm',
  'rmsnorm',
  'lrn',
  'other',
];

/** Limits that keep a preset from asking the panel for absurd tensors. */
const MAX_CHANNELS = 4096;
const MAX_BATCH = 4096;

/** A valid preset built from untrusted input; invalid fields are dropped. */
export function parsePanelPreset(input: unknown): PanelPreset {
  if (typeof input !== 'object' || input === null) {
    return {};
  }
  const record = input as Record<string, unknown>;
  const preset: { -readonly [K in keyof PanelPreset]: PanelPreset[K] } = {};
  const kind = record['kind'];
  if (typeof kind === 'string' && (KINDS as readonly string[]).includes(kind)) {
    preset.kind = kind as NormKind;
  }
  const variant = record['variant'];
  if (typeof variant === 'string' && variant.length <= 100) {
    preset.variant = variant;
  }
  const channels = positiveInteger(record['channels'], MAX_CHANNELS);
  if (channels !== undefined) {
    preset.channels = channels;
  }
  const batch = positiveInteger(record['batch'], MAX_BATCH);
  if (batch !== undefined) {
    preset.batch = batch;
  }
  const eps = record['eps'];
  if (typeof eps === 'number' && Number.isFinite(eps) && eps >= 0 && eps < 1) {
    preset.eps = eps;
  }
  return preset;
}

/** True for a well-formed host → panel message. */
export function isHostToPanel(message: unknown): message is HostToPanel {
  return (
    typeof message === 'object' &&
    message !== null &&
    (message as { type?: unknown }).type === 'init'
  );
}

/** True for a well-formed panel → host message. */
export function isPanelToHost(message: unknown): message is PanelToHost {
  if (typeof message !== 'object' || message === null) {
    return false;
  }
  const { type, message: text } = message as { type?: unknown; message?: unknown };
  return type === 'ready' || (type === 'error' && typeof text === 'string');
}

function positiveInteger(value: unknown, max: number): number | undefined {
  return typeof value === 'number' && Number.isInteger(value) && value > 0 && value <= max
    ? value
    : undefined;
}

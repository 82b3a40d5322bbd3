/**
 * Messages between the extension host and the normalization panel. Both sides receive `unknown`
 * and narrow it with these guards and parsers; nothing from a message is trusted before that.
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

/** Which of a normalization layer's tensors a `LayerTensor` is (the ONNX site roles). */
export type WeightRole = 'scale' | 'bias' | 'mean' | 'var';

/** One of a layer's tensors, capped to `MAX_LAYER_VALUES` values. */
export interface LayerTensor {
  readonly role: WeightRole;
  /** Tensor name as written in the model. Untrusted: the panel renders it as text. */
  readonly name: string;
  readonly shape: readonly number[];
  /** Storage type name (`float`, `float16`), when known. */
  readonly dtype?: string;
  /** The first `values.length` values, as float32. */
  readonly values: Float32Array;
  /** Number of values in the model; more than `values.length` when the host capped the tensor. */
  readonly totalCount: number;
}

/** A problem the host found in the layer's weights, with the channels it affects. */
export interface LayerIssue {
  /** Machine name, e.g. `running-var-invalid` or `dead-gamma`. */
  readonly kind: string;
  readonly role: WeightRole;
  /** One line with the numbers. */
  readonly message: string;
  readonly channels: readonly number[];
}

/** An attribute value as shown in the panel. */
export type LayerAttribute = number | string | readonly number[] | readonly string[];

/** One model layer's effective attributes and tensors ("real weights" mode). */
export interface LayerWeights {
  /** Node or layer name. Untrusted: the panel renders it as text. */
  readonly name: string;
  /** Operator or class: `BatchNormalization`, `batchNormalization`. */
  readonly opType: string;
  readonly kind?: NormKind;
  /** Where the layer comes from (a file name), for the heading. */
  readonly source?: string;
  readonly attributes: Readonly<Record<string, LayerAttribute>>;
  readonly tensors: readonly LayerTensor[];
  readonly issues: readonly LayerIssue[];
}

/**
 * Which part of the panel comes first: a model layer's weights (opened from a model inventory) or
 * the simulation (opened from the palette or a hover link).
 */
export type PanelLead = 'weights' | 'simulation';

/**
 * Host → panel: the preset to start from, or one layer's weights. `lead` says whether a layer
 * follows the `init` (`weights`) or the panel shows the simulation only; a host that leaves it out
 * lets the panel keep the layer it saved.
 */
export type HostToPanel =
  | { readonly type: 'init'; readonly preset: PanelPreset; readonly lead?: PanelLead }
  | { readonly type: 'layerWeights'; readonly layer: LayerWeights };

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
const ROLES: readonly WeightRole[] = ['scale', 'bias', 'mean', 'var'];

/** Limits that keep a preset from asking the panel for absurd tensors. */
const MAX_CHANNELS = 4096;
const MAX_BATCH = 4096;

/** Values per tensor the panel accepts; the host sends at most this many (and says how many exist). */
export const MAX_LAYER_VALUES = 65536;
/** Longest name or string attribute kept; longer ones are cut with an ellipsis. */
const MAX_TEXT = 200;
const MAX_ATTRIBUTES = 32;
const MAX_ATTRIBUTE_ITEMS = 64;
const MAX_ISSUES = 16;
const MAX_RANK = 8;

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** A valid preset built from untrusted input; invalid fields are dropped. */
export function parsePanelPreset(input: unknown): PanelPreset {
  if (!isRecord(input)) {
    return {};
  }
  const preset: Mutable<PanelPreset> = {};
  const kind = input['kind'];
  if (isKind(kind)) {
    preset.kind = kind;
  }
  const variant = input['variant'];
  if (typeof variant === 'string' && variant.length <= 100) {
    preset.variant = variant;
  }
  const channels = positiveInteger(input['channels'], MAX_CHANNELS);
  if (channels !== undefined) {
    preset.channels = channels;
  }
  const batch = positiveInteger(input['batch'], MAX_BATCH);
  if (batch !== undefined) {
    preset.batch = batch;
  }
  const eps = input['eps'];
  if (typeof eps === 'number' && Number.isFinite(eps) && eps >= 0 && eps < 1) {
    preset.eps = eps;
  }
  return preset;
}

/**
 * A valid layer built from untrusted input, or undefined when the name, operator or every tensor is
 * missing. Tensors over `MAX_LAYER_VALUES` values, unknown roles and malformed issues are dropped;
 * values may come as a Float32Array (a transferred buffer) or a plain number array (JSON).
 */
export function parseLayerWeights(input: unknown): LayerWeights | undefined {
  if (!isRecord(input)) {
    return undefined;
  }
  const name = text(input['name']);
  const opType = text(input['opType']);
  const tensors = list(input['tensors'], ROLES.length * 2, parseTensor);
  if (name === undefined || opType === undefined || tensors.length === 0) {
    return undefined;
  }
  const layer: Mutable<LayerWeights> = {
    name,
    opType,
    attributes: parseAttributes(input['attributes']),
    tensors,
    issues: list(input['issues'], MAX_ISSUES, parseIssue),
  };
  const kind = input['kind'];
  if (isKind(kind)) {
    layer.kind = kind;
  }
  const source = text(input['source']);
  if (source !== undefined) {
    layer.source = source;
  }
  return layer;
}

/** The message, validated and with untrusted fields cleaned, or undefined when malformed. */
export function parseHostToPanel(message: unknown): HostToPanel | undefined {
  if (!isRecord(message)) {
    return undefined;
  }
  if (message['type'] === 'init') {
    const lead = message['lead'];
    const preset = parsePanelPreset(message['preset']);
    return lead === 'weights' || lead === 'simulation'
      ? { type: 'init', preset, lead }
      : { type: 'init', preset };
  }
  if (message['type'] === 'layerWeights') {
    const layer = parseLayerWeights(message['layer']);
    return layer && { type: 'layerWeights', layer };
  }
  return undefined;
}

/** True for a well-formed host → panel message. */
export function isHostToPanel(message: unknown): message is HostToPanel {
  return parseHostToPanel(message) !== undefined;
}

/** True for a well-formed panel → host message. */
export function isPanelToHost(message: unknown): message is PanelToHost {
  if (!isRecord(message)) {
    return false;
  }
  const type = message['type'];
  return type === 'ready' || (type === 'error' && typeof message['message'] === 'string');
}

function parseTensor(input: unknown): LayerTensor | undefined {
  if (!isRecord(input)) {
    return undefined;
  }
  const role = input['role'];
  const name = text(input['name']);
  const values = floatValues(input['values']);
  const shape = input['shape'];
  if (
    !(ROLES as readonly unknown[]).includes(role) ||
    name === undefined ||
    values === undefined ||
    !Array.isArray(shape) ||
    shape.length > MAX_RANK ||
    !shape.every((d) => Number.isInteger(d) && (d as number) >= 0)
  ) {
    return undefined;
  }
  const total = input['totalCount'];
  const tensor: Mutable<LayerTensor> = {
    role: role as WeightRole,
    name,
    shape: shape as number[],
    values,
    totalCount:
      typeof total === 'number' && Number.isInteger(total) && total >= values.length
        ? total
        : values.length,
  };
  const dtype = text(input['dtype']);
  if (dtype !== undefined) {
    tensor.dtype = dtype;
  }
  return tensor;
}

function parseIssue(input: unknown): LayerIssue | undefined {
  if (!isRecord(input)) {
    return undefined;
  }
  const kind = text(input['kind']);
  const message = text(input['message']);
  const role = input['role'];
  const channels = input['channels'];
  if (
    kind === undefined ||
    message === undefined ||
    !(ROLES as readonly unknown[]).includes(role) ||
    !Array.isArray(channels)
  ) {
    return undefined;
  }
  return {
    kind,
    role: role as WeightRole,
    message,
    channels: channels.filter((c): c is number => Number.isInteger(c) && (c as number) >= 0),
  };
}

function parseAttributes(input: unknown): Record<string, LayerAttribute> {
  const attributes: Record<string, LayerAttribute> = {};
  if (!isRecord(input)) {
    return attributes;
  }
  for (const [key, value] of Object.entries(input).slice(0, MAX_ATTRIBUTES)) {
    const parsed = parseAttribute(value);
    if (parsed !== undefined) {
      attributes[clip(key)] = parsed;
    }
  }
  return attributes;
}

function parseAttribute(value: unknown): LayerAttribute | undefined {
  if (typeof value === 'number') {
    return value;
  }
  if (typeof value === 'string') {
    return clip(value);
  }
  if (!Array.isArray(value) || value.length > MAX_ATTRIBUTE_ITEMS) {
    return undefined;
  }
  const items: readonly unknown[] = value;
  if (items.every((v): v is number => typeof v === 'number')) {
    return items;
  }
  return items.every((v): v is string => typeof v === 'string') ? items.map(clip) : undefined;
}

function floatValues(input: unknown): Float32Array | undefined {
  if (input instanceof Float32Array) {
    return input.length <= MAX_LAYER_VALUES ? input : undefined;
  }
  if (!Array.isArray(input) || input.length > MAX_LAYER_VALUES) {
    return undefined;
  }
  // JSON turns NaN and ±Infinity into null; they stay visible as NaN rather than as 0.
  return Float32Array.from(input, (v) => (typeof v === 'number' ? v : Number.NaN));
}

function list<T>(input: unknown, max: number, parse: (item: unknown) => T | undefined): T[] {
  if (!Array.isArray(input)) {
    return [];
  }
  return input
    .slice(0, max)
    .map(parse)
    .filter((item): item is T => item !== undefined);
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 ? clip(value) : undefined;
}

function clip(value: string): string {
  return value.length > MAX_TEXT ? `${value.slice(0, MAX_TEXT - 1)}…` : value;
}

function isKind(value: unknown): value is NormKind {
  return (KINDS as readonly unknown[]).includes(value);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

function positiveInteger(value: unknown, max: number): number | undefined {
  return typeof value === 'number' && Number.isInteger(value) && value > 0 && value <= max
    ? value
    : undefined;
}

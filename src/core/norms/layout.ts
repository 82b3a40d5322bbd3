/**
 * Shared helpers that turn an input shape, a layout and a set of reduced axes into the short
 * phrases users read ("per channel, over N × H × W = 8 × 56 × 56 = 25,088 values").
 */
import type { ParamValue } from '../model';
import type { Reduction, ReductionInput } from './types';

/** How dims are named when the caller gives no layout. */
export type LayoutFamily = 'channels-first' | 'channels-last' | 'sequence';

/** A shape seen through its layout: one label and (maybe) one size per dim. */
export interface Dims {
  readonly rank: number | undefined;
  readonly labels: readonly string[];
  readonly sizes: readonly (number | undefined)[];
}

const SPATIAL: Readonly<Record<number, readonly string[]>> = {
  0: [],
  1: ['L'],
  2: ['H', 'W'],
  3: ['D', 'H', 'W'],
};

function spatialLabels(count: number): readonly string[] {
  return SPATIAL[count] ?? Array.from({ length: count }, (_, i) => `D${i + 1}`);
}

/** Default dim labels for a rank: NCHW-style, NHWC-style, or N × L × D for sequences. */
export function defaultLabels(rank: number, family: LayoutFamily): readonly string[] {
  if (rank <= 1) {
    return rank === 1 ? [family === 'sequence' ? 'D' : 'C'] : [];
  }
  if (family === 'sequence' && rank <= 3) {
    return rank === 2 ? ['N', 'D'] : ['N', 'L', 'D'];
  }
  const spatial = spatialLabels(rank - 2);
  return family === 'channels-last' ? ['N', ...spatial, 'C'] : ['N', 'C', ...spatial];
}

function splitLayout(layout: string): readonly string[] {
  // "N×L×D" and "N, C, H, W" name dims with separators; "NCHW" uses one letter per dim.
  return /[×,\s]/.test(layout) ? layout.split(/[×,\s]+/).filter((s) => s.length > 0) : [...layout];
}

/**
 * The dims of an input: rank from the shape, else the layout, else `fallbackRank` (the rank a
 * variant such as BatchNorm2d implies). Labels come from the layout when it matches the rank.
 */
export function dimsOf(input: ReductionInput, family: LayoutFamily, fallbackRank?: number): Dims {
  const layout = input.layout === undefined ? undefined : splitLayout(input.layout);
  const rank = input.shape?.length ?? layout?.length ?? fallbackRank;
  if (rank === undefined) {
    return { rank, labels: [], sizes: [] };
  }
  const labels = layout?.length === rank ? layout : defaultLabels(rank, family);
  const sizes = Array.from({ length: rank }, (_, i) => {
    const size = input.shape?.[i];
    return typeof size === 'number' ? size : undefined;
  });
  return { rank, labels, sizes };
}

/** "25,088": digit grouping without depending on the host's locale. */
export function formatCount(value: number): string {
  return String(value).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** "1 value" / "25,088 values". */
export function valuesText(count: number): string {
  return `${formatCount(count)} ${count === 1 ? 'value' : 'values'}`;
}

/** The product of sizes, or undefined when any is unknown. */
export function productOf(sizes: readonly (number | undefined)[]): number | undefined {
  let product = 1;
  for (const size of sizes) {
    if (size === undefined) {
      return undefined;
    }
    product *= size;
  }
  return product;
}

/**
 * Who shares one statistic, from the labels of the dims that are NOT reduced:
 * C → per channel, N → per sample, N C → per sample and channel, N L → per token.
 */
export function whoPhrase(kept: readonly string[]): string {
  const key = kept.join(' ');
  const named: Readonly<Record<string, string>> = {
    '': 'one statistic for the whole tensor',
    C: 'per channel',
    N: 'per sample',
    'N C': 'per sample and channel',
    'N L': 'per token',
    'N T': 'per token',
    'N S': 'per token',
    L: 'per token',
  };
  return named[key] ?? `per ${kept.join(' × ')} position`;
}

/** "N × H × W" plus " = 8 × 56 × 56 = 25,088 values" when every size is known. */
export function overPhrase(
  labels: readonly string[],
  sizes: readonly (number | undefined)[],
): { readonly text: string; readonly values?: number } {
  const names = labels.join(' × ');
  const values = productOf(sizes);
  if (values === undefined) {
    return { text: names };
  }
  const sizesText = sizes.length > 1 ? `${sizes.join(' × ')} = ` : '';
  return { text: `${names} = ${sizesText}${valuesText(values)}`, values };
}

/**
 * The standard reduction result for a set of reduced axes: who (from the kept dims), over what
 * (from the reduced dims), and the element count when the shape is known.
 */
export function reduceOver(dims: Dims, axes: readonly number[], suffix = ''): Reduction {
  const reduced = new Set(axes);
  const kept = dims.labels.filter((_, i) => !reduced.has(i));
  const over = overPhrase(
    axes.map((a) => dims.labels[a] ?? `dim ${a}`),
    axes.map((a) => dims.sizes[a]),
  );
  const text = `${whoPhrase(kept)}, over ${over.text}${suffix}`;
  return over.values === undefined ? { axes, text } : { axes, text, values: over.values };
}

/** " — a; b" for the remarks that apply, or "" when none does. */
export function remarks(...items: readonly (string | undefined)[]): string {
  const present = items.filter((s): s is string => s !== undefined && s !== '');
  return present.length === 0 ? '' : ` — ${present.join('; ')}`;
}

/** Resolves a possibly negative axis against a rank. */
export function normalizeAxis(axis: number, rank: number): number {
  return axis < 0 ? axis + rank : axis;
}

/** The axes 0…rank−1 except `skip`. */
export function allAxesExcept(rank: number, ...skip: readonly number[]): number[] {
  return Array.from({ length: rank }, (_, i) => i).filter((i) => !skip.includes(i));
}

/** "expects 4-D input (N, C, H, W); got 3-D" when the shape's rank is not allowed. */
export function rankProblem(
  dims: Dims,
  allowed: readonly number[],
  names: string,
): string | undefined {
  if (dims.rank === undefined || allowed.includes(dims.rank)) {
    return undefined;
  }
  const wanted = allowed.map((r) => `${r}-D`).join(' or ');
  return `expects ${wanted} input (${names}); got ${dims.rank}-D`;
}

/** The first of `names` present in `params` as a number. */
export function readNumber(
  params: Readonly<Record<string, ParamValue>>,
  ...names: readonly string[]
): number | undefined {
  for (const name of names) {
    const value = params[name];
    if (typeof value === 'number') {
      return value;
    }
  }
  return undefined;
}

/** The first of `names` present as a number list; a single number becomes a one-element list. */
export function readList(
  params: Readonly<Record<string, ParamValue>>,
  ...names: readonly string[]
): readonly number[] | undefined {
  for (const name of names) {
    const value = params[name];
    if (typeof value === 'number') {
      return [value];
    }
    if (Array.isArray(value)) {
      return value as readonly number[];
    }
  }
  return undefined;
}

/** The first of `names` present as a string. */
export function readString(
  params: Readonly<Record<string, ParamValue>>,
  ...names: readonly string[]
): string | undefined {
  for (const name of names) {
    const value = params[name];
    if (typeof value === 'string') {
      return value;
    }
  }
  return undefined;
}

/**
 * Reductions over feature dims, shared by LayerNorm and RMSNorm: PyTorch's trailing
 * `normalized_shape`, ONNX's `[axis, rank)` and tfjs' arbitrary axis lists.
 */
import type { Dims } from './layout';
import {
  dimsOf,
  formatCount,
  normalizeAxis,
  productOf,
  reduceOver,
  remarks,
  valuesText,
  whoPhrase,
} from './layout';
import type { Reduction, ReductionInput } from './types';

/** A phrase when C is in the layout but not normalized (LayerNorm(C) on NCHW reduces over W). */
function channelWarning(dims: Dims, axes: readonly number[]): string | undefined {
  const hasC = dims.labels.includes('C');
  const reducesC = axes.some((a) => dims.labels[a] === 'C');
  return hasC && !reducesC ? 'C is not normalized' : undefined;
}

/** "the last dim (768)" or "the last 3 dims (C × H × W = 64 × 56 × 56 = 200,704 values)". */
function lastDimsPhrase(
  count: number,
  labels: readonly string[] | undefined,
  sizes: readonly (number | undefined)[],
): {
  readonly text: string;
  readonly values?: number;
} {
  const values = productOf(sizes);
  if (count === 1) {
    const size = sizes[0];
    return size === undefined
      ? { text: 'the last dim' }
      : { text: `the last dim (${formatCount(size)})`, values: size };
  }
  const names = labels === undefined ? '' : `${labels.join(' × ')}`;
  if (values === undefined) {
    return { text: `the last ${count} dims${names === '' ? '' : ` (${names})`}` };
  }
  const inner = [names, sizes.join(' × '), valuesText(values)].filter((s) => s !== '').join(' = ');
  return { text: `the last ${count} dims (${inner})`, values };
}

/**
 * Normalization over the last `count` dims. `expected` are the sizes the layer was built for
 * (PyTorch normalized_shape); a disagreeing input is reported in the text.
 */
export function reduceTrailing(
  input: ReductionInput,
  count: number | undefined,
  expected?: readonly number[],
  suffix = '',
): Reduction {
  const dims = dimsOf(input, 'sequence');
  if (count === undefined) {
    return { axes: undefined, text: `per row, over the last len(normalized_shape) dims${suffix}` };
  }
  if (dims.rank === undefined) {
    const phrase = lastDimsPhrase(
      count,
      undefined,
      expected ?? Array.from({ length: count }, () => undefined),
    );
    const text = `per row, over ${phrase.text}${suffix}`;
    return phrase.values === undefined
      ? { axes: undefined, text }
      : { axes: undefined, text, values: phrase.values };
  }
  const rank = dims.rank;
  if (count > rank) {
    return {
      axes: undefined,
      text: `per row, over the last ${count} dims${suffix}${remarks(`the input has only ${rank}`)}`,
    };
  }
  const axes = Array.from({ length: count }, (_, i) => rank - count + i);
  const actual = axes.map((a) => dims.sizes[a]);
  const sizes = actual.map((s, i) => s ?? expected?.[i]);
  const mismatch =
    expected !== undefined && actual.some((s, i) => s !== undefined && s !== expected[i])
      ? `mismatch: normalized_shape [${expected.join(', ')}] but the input ends in [${actual.map((s) => s ?? '?').join(', ')}]`
      : undefined;
  const phrase = lastDimsPhrase(
    count,
    axes.map((a) => dims.labels[a] ?? '?'),
    sizes,
  );
  const kept = dims.labels.slice(0, rank - count);
  const text = `${whoPhrase(kept)}, over ${phrase.text}${suffix}${remarks(channelWarning(dims, axes), mismatch)}`;
  return phrase.values === undefined ? { axes, text } : { axes, text, values: phrase.values };
}

/** ONNX-style `[axis, rank)`; a negative axis counts from the end even when the rank is unknown. */
export function reduceFromAxis(input: ReductionInput, axis: number, suffix = ''): Reduction {
  const rank = dimsOf(input, 'sequence').rank;
  if (axis < 0) {
    return reduceTrailing(input, -axis, undefined, suffix);
  }
  if (rank === undefined) {
    return { axes: undefined, text: `per row, over dims ${axis} … last${suffix}` };
  }
  return reduceTrailing(input, rank - axis, undefined, suffix);
}

/** Arbitrary axes (tfjs layerNormalization, a decomposed pattern's ReduceMean axes). */
export function reduceListed(
  input: ReductionInput,
  axes: readonly number[],
  suffix = '',
): Reduction {
  const dims = dimsOf(input, 'sequence');
  if (dims.rank === undefined) {
    const trailing = axes.every((a, i) => a === i - axes.length);
    return trailing
      ? reduceTrailing(input, axes.length, undefined, suffix)
      : { axes: undefined, text: `per row, over axes [${axes.join(', ')}]${suffix}` };
  }
  const rank = dims.rank;
  const resolved = [...new Set(axes.map((a) => normalizeAxis(a, rank)))].sort((a, b) => a - b);
  const result = reduceOver(dims, resolved, suffix);
  return { ...result, text: result.text + remarks(channelWarning(dims, resolved)) };
}

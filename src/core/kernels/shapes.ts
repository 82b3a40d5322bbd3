// Shape checks and the index arithmetic that maps layouts onto the kernels' blocks.

import { KernelArgumentError, shapeText } from './errors';
import type { Layout, Tensor, TrailingAxesOption } from './types';

/** Number of elements of a shape. */
export function numel(shape: readonly number[]): number {
  return shape.reduce((product, size) => product * size, 1);
}

/** Checks that dims are non-negative integers and that the data length matches; returns numel. */
export function checkTensor(x: Tensor, name = 'input'): number {
  for (const size of x.shape) {
    if (!Number.isInteger(size) || size < 0) {
      throw new KernelArgumentError(
        'shape-mismatch',
        `${name} has an invalid shape ${shapeText(x.shape)}`,
      );
    }
  }
  const count = numel(x.shape);
  if (x.data.length !== count) {
    throw new KernelArgumentError(
      'shape-mismatch',
      `${name} of shape ${shapeText(x.shape)} needs ${count} elements but its data has ${x.data.length}`,
    );
  }
  return count;
}

/** Resolves negative axes and rejects out-of-range or repeated ones, with PyTorch's messages. */
export function normalizeAxes(axes: readonly number[], rank: number): number[] {
  const seen = new Set<number>();
  return axes.map((axis) => {
    const resolved = axis < 0 ? axis + rank : axis;
    if (!Number.isInteger(axis) || resolved < 0 || resolved >= rank) {
      throw new KernelArgumentError(
        'invalid-argument',
        `Dimension out of range (expected to be in range of [${-rank}, ${rank - 1}], but got ${axis})`,
      );
    }
    if (seen.has(resolved)) {
      throw new KernelArgumentError(
        'invalid-argument',
        `dim ${resolved} appears multiple times in the list of dims`,
      );
    }
    seen.add(resolved);
    return resolved;
  });
}

/** A tensor with a channel axis seen as N × C × S (S = product of the other dims). */
export interface ChannelSplit {
  readonly n: number;
  readonly c: number;
  readonly s: number;
  readonly channelsLast: boolean;
}

/** Splits a rank ≥ 2 shape around its channel axis (1, or the last one for channels-last). */
export function channelSplit(
  shape: readonly number[],
  layout: Layout | undefined,
  op: string,
): ChannelSplit {
  if (shape.length < 2) {
    throw new KernelArgumentError(
      'rank',
      `${op}: Expected at least 2 dimensions for input tensor but received ${shape.length}`,
    );
  }
  const channelsLast = layout === 'channels-last';
  const c = channelsLast ? (shape[shape.length - 1] ?? 0) : (shape[1] ?? 0);
  const n = shape[0] ?? 0;
  const s = c * n === 0 ? 0 : numel(shape) / (c * n);
  return { n, c, s, channelsLast };
}

/** A tensor seen as rows × len, where the trailing dims make up one row. */
export interface RowSplit {
  readonly rows: number;
  readonly len: number;
}

/**
 * Resolves LayerNorm/RMSNorm trailing dims. `shapeSeparator` is ', ' for LayerNorm and '' for
 * RMSNorm, whose PyTorch message reads "[*10]" rather than "[*, 10]".
 */
export function trailingSplit(
  shape: readonly number[],
  options: TrailingAxesOption,
  shapeSeparator: string,
): RowSplit {
  const rank = shape.length;
  let first = rank - 1;
  if (options.normalizedShape) {
    const normalized = options.normalizedShape;
    const tail = shape.slice(rank - normalized.length);
    if (
      normalized.length > rank ||
      normalized.length === 0 ||
      tail.some((size, i) => size !== normalized[i])
    ) {
      throw new KernelArgumentError(
        'shape-mismatch',
        `Given normalized_shape=${shapeText(normalized)}, expected input with shape [*${shapeSeparator}${normalized.join(', ')}], but got input of size${shapeText(shape)}`,
      );
    }
    first = rank - normalized.length;
  } else if (options.axis !== undefined) {
    [first = 0] = normalizeAxes([options.axis], rank);
  }
  if (rank === 0) {
    throw new KernelArgumentError(
      'rank',
      'Expected at least 1 dimension for input tensor but received 0',
    );
  }
  const len = numel(shape.slice(first));
  return { rows: len === 0 ? 0 : numel(shape) / len, len };
}

/** One dimension of a coalesced reduction: adjacent dims of the same kind merged. */
interface Segment {
  readonly size: number;
  readonly reduced: boolean;
}

/** A reduction as kernel calls over blocks [a, b, c] (a and c reduced, b kept). */
export interface ReductionPlan {
  /** Elements reduced into each kept index. */
  readonly count: number;
  /** Number of kept indices (row-major over the kept dims). */
  readonly kept: number;
  readonly a: number;
  readonly b: number;
  readonly c: number;
  /** One entry per block: element offset into x, kept offset into the result, and whether it starts the sums. */
  readonly blocks: readonly {
    readonly input: number;
    readonly output: number;
    readonly init: boolean;
  }[];
}

/** Plans the reduction of `shape` over `axes` (already normalized). */
export function planReduction(shape: readonly number[], axes: readonly number[]): ReductionPlan {
  const segments: Segment[] = [];
  shape.forEach((size, axis) => {
    const reduced = axes.includes(axis);
    const last = segments[segments.length - 1];
    if (size === 1) {
      return; // A unit dim changes no strides, so it can join either kind.
    }
    if (last?.reduced === reduced) {
      segments[segments.length - 1] = { size: last.size * size, reduced };
    } else {
      segments.push({ size, reduced });
    }
  });
  // The innermost block is [a (reduced), b (kept), c (reduced)]; dims outside it are looped here.
  const take = (reduced: boolean): number => {
    const last = segments[segments.length - 1];
    if (last?.reduced === reduced) {
      segments.pop();
      return last.size;
    }
    return 1;
  };
  const c = take(true);
  const b = take(false);
  const a = take(true);
  const blockSize = a * b * c;
  const count = numel(shape) === 0 ? 0 : numel(axes.map((axis) => shape[axis] ?? 1));
  const kept =
    count === 0 ? numel(shape.filter((_, axis) => !axes.includes(axis))) : numel(shape) / count;
  const blocks: { input: number; output: number; init: boolean }[] = [];
  const visit = (depth: number, input: number, output: number, init: boolean): void => {
    const segment = segments[depth];
    if (!segment) {
      blocks.push({ input: input * blockSize, output: output * b, init });
      return;
    }
    for (let i = 0; i < segment.size; i++) {
      if (segment.reduced) {
        visit(depth + 1, input * segment.size + i, output, init && i === 0);
      } else {
        visit(depth + 1, input * segment.size + i, output * segment.size + i, init);
      }
    }
  };
  visit(0, 0, 0, true);
  return { count, kept, a, b, c, blocks };
}

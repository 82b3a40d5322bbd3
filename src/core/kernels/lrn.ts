// Local response normalization in the PyTorch/ONNX (across axis 1) and TF (last axis) conventions.

import type { KernelContext } from './context';
import { KernelArgumentError } from './errors';
import { checkTensor, numel } from './shapes';
import type { LrnOptions, Output, Tensor } from './types';

/** Window and scaling of one convention, resolved from the options (reference §A.4). */
interface LrnPlan {
  readonly outer: number;
  readonly channels: number;
  readonly inner: number;
  readonly before: number;
  readonly after: number;
  readonly alpha: number;
  readonly beta: number;
  readonly k: number;
}

function plan(shape: readonly number[], options: LrnOptions): LrnPlan {
  const rank = shape.length;
  if (options.convention === 'tf') {
    if (rank !== 3 && rank !== 4) {
      throw new KernelArgumentError(
        'rank',
        `Error in localResponseNormalization: x must be rank 3 or 4 but got rank ${rank}.`,
      );
    }
    const radius = options.depthRadius ?? 5;
    if (!Number.isInteger(radius) || radius < 0) {
      throw new KernelArgumentError(
        'invalid-argument',
        `depthRadius must be a non-negative integer, but got ${radius}`,
      );
    }
    const channels = shape[rank - 1] ?? 0;
    return {
      outer: channels === 0 ? 0 : numel(shape) / channels,
      channels,
      inner: 1,
      before: radius,
      after: radius,
      alpha: options.alpha ?? 1,
      beta: options.beta ?? 0.5,
      k: options.bias ?? 1,
    };
  }
  const minimumRank = options.convention === 'pytorch' ? 3 : 2;
  if (rank < minimumRank) {
    throw new KernelArgumentError(
      'rank',
      `Expected 3D or higher dimensionality input (got ${rank} dimensions)`,
    );
  }
  const size = options.size;
  if (!Number.isInteger(size) || size < 1) {
    throw new KernelArgumentError(
      'invalid-argument',
      `size must be a positive integer, but got ${size}`,
    );
  }
  const [n = 0, channels = 0] = shape;
  // PyTorch pads size//2 channels before and (size−1)//2 after; ONNX floor((size−1)/2) before
  // and ceil((size−1)/2) after. They agree for odd sizes.
  const before =
    options.convention === 'pytorch' ? Math.floor(size / 2) : Math.floor((size - 1) / 2);
  return {
    outer: n,
    channels,
    inner: n * channels === 0 ? 0 : numel(shape) / (n * channels),
    before,
    after: size - 1 - before,
    alpha: (options.alpha ?? 1e-4) / size,
    beta: options.beta ?? 0.75,
    k: options.k ?? 1,
  };
}

/** LRN: y = x / (k + α'·Σ_window x²)^β, with the window and α' of the chosen convention. */
export function lrn(context: KernelContext, x: Tensor, options: LrnOptions, out?: Output): Tensor {
  const count = checkTensor(x);
  const p = plan(x.shape, options);
  return context.run((frame) => {
    // The window reads neighbouring channels, so an output that aliases the input needs a copy.
    const source = frame.place(x.data);
    const target = context.output(frame, x.shape, count, out);
    let xp = source;
    if (source === target.ptr) {
      xp = frame.alloc(count, 4);
      context.wasm.roundArray(source, xp, count, 0);
    }
    context.wasm.lrn(
      xp,
      target.ptr,
      p.outer,
      p.channels,
      p.inner,
      p.before,
      p.after,
      p.alpha,
      p.beta,
      p.k,
    );
    return target.finish(0);
  });
}

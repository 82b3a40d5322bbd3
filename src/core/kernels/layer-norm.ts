// LayerNorm and RMSNorm over trailing dims (PyTorch normalized_shape or ONNX axis).

import { allocCoefficients, allocMoments } from './channels';
import { precisionMode, type KernelContext } from './context';
import { KernelArgumentError, requirePositiveEps, shapeText } from './errors';
import { checkTensor, trailingSplit, type RowSplit } from './shapes';
import type {
  LayerNormOptions,
  NormResult,
  Output,
  RmsNormOptions,
  RmsNormResult,
  Tensor,
} from './types';

/** PyTorch's eps=None for float32 inputs: torch.finfo(torch.float32).eps. */
const FLOAT32_EPSILON = 2 ** -23;

function checkAffine(
  name: string,
  values: Float32Array | undefined,
  split: RowSplit,
  shape: readonly number[],
): void {
  if (values && values.length !== split.len) {
    throw new KernelArgumentError(
      'shape-mismatch',
      `Expected ${name} to have ${split.len} elements (the normalized dims of input of shape ${shapeText(shape)}), but got ${values.length}`,
    );
  }
}

/** LayerNorm: per row of the trailing dims, y = (x − mean)/sqrt(var + eps)·γ + β. */
export function layerNorm(
  context: KernelContext,
  x: Tensor,
  options: LayerNormOptions,
  out?: Output,
): NormResult {
  const count = checkTensor(x);
  const split = trailingSplit(x.shape, options, ', ');
  checkAffine('weight', options.gamma, split, x.shape);
  checkAffine('bias', options.beta, split, x.shape);
  requirePositiveEps('layer_norm', options.eps);
  const { rows, len } = split;
  const mode = precisionMode(options.precision);
  const { wasm, views } = context;
  return context.run((frame) => {
    const m = allocMoments(frame, rows);
    const k = allocCoefficients(frame, rows);
    const xp = context.input(frame, x, mode);
    const target = context.output(frame, x.shape, count, out);
    // The module takes γ and β together or neither; a lone one gets its neutral partner.
    const affine = options.gamma !== undefined || options.beta !== undefined;
    const gamma = options.gamma ? frame.place(options.gamma) : affine ? frame.filledF32(len, 1) : 0;
    const beta = options.beta ? frame.place(options.beta) : affine ? frame.filledF32(len, 0) : 0;
    wasm.normalizeLayer(
      xp,
      target.ptr,
      rows,
      len,
      gamma,
      beta,
      options.eps,
      mode,
      m.mean,
      m.variance,
      k.meanHigh,
      k.meanLow,
      k.scale,
      k.offset,
    );
    return {
      y: target.finish(mode),
      mean: views.readF64(m.mean, rows),
      variance: views.readF64(m.variance, rows),
    };
  });
}

/** RMSNorm: per row of the trailing dims, y = x/sqrt(mean(x²) + eps)·γ. */
export function rmsNorm(
  context: KernelContext,
  x: Tensor,
  options: RmsNormOptions,
  out?: Output,
): RmsNormResult {
  const count = checkTensor(x);
  const split = trailingSplit(x.shape, options, '');
  checkAffine('weight', options.gamma, split, x.shape);
  const eps = options.eps ?? FLOAT32_EPSILON;
  requirePositiveEps('rms_norm', eps);
  const { rows, len } = split;
  const mode = precisionMode(options.precision);
  const { wasm, views } = context;
  return context.run((frame) => {
    const squares = frame.alloc(rows, 8);
    const xp = context.input(frame, x, mode);
    const target = context.output(frame, x.shape, count, out);
    const gamma = options.gamma ? frame.place(options.gamma) : 0;
    wasm.normalizeRms(xp, target.ptr, rows, len, gamma, eps, mode, squares);
    const rms = views.readF64(squares, rows);
    for (let r = 0; r < rows; r++) {
      rms[r] = Math.sqrt((rms[r] ?? 0) / len);
    }
    return { y: target.finish(mode), rms };
  });
}

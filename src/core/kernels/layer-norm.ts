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
    const gamma = options.gamma ? frame.place(options.gamma) : frame.filledF32(len, 1);
    const beta = options.beta ? frame.place(options.beta) : frame.filledF32(len, 0);
    wasm.accumulate(xp, 1, rows, len, m.mean, m.variance, m.squares, 1);
    wasm.finishMoments(rows, len, m.mean, m.variance, m.squares);
    // No affine parameters here: γ and β vary along the row and are applied by applyLayer.
    wasm.coefficients(
      rows,
      m.mean,
      m.variance,
      1,
      0,
      0,
      1,
      1,
      options.eps,
      mode,
      k.meanHigh,
      k.meanLow,
      k.scale,
      k.offset,
    );
    wasm.applyLayer(xp, target.ptr, rows, len, k.meanHigh, k.meanLow, k.scale, gamma, beta);
    return {
      y: target.finish(mode),
      mean: views.f64(m.mean, rows).slice(),
      variance: views.f64(m.variance, rows).slice(),
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
    const m = allocMoments(frame, rows);
    const scale = frame.alloc(rows, 4);
    const xp = context.input(frame, x, mode);
    const target = context.output(frame, x.shape, count, out);
    const gamma = options.gamma ? frame.place(options.gamma) : frame.filledF32(len, 1);
    // init = 2: unshifted sums, so `squares` holds Σx² per row.
    wasm.accumulate(xp, 1, rows, len, m.mean, m.variance, m.squares, 2);
    wasm.rmsScales(rows, m.squares, len, eps, mode, scale);
    wasm.applyRms(xp, target.ptr, rows, len, scale, gamma);
    const rms = views.f64(m.squares, rows).map((squares) => Math.sqrt(squares / len));
    return { y: target.finish(mode), rms };
  });
}

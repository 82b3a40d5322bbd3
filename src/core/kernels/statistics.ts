// Statistics helpers: moments over any axes, value summary, histogram, storage rounding.

import { precisionMode, type KernelContext } from './context';
import { KernelArgumentError } from './errors';
import { checkTensor, normalizeAxes, planReduction } from './shapes';
import type { Histogram, Output, Precision, Tensor, TensorSummary } from './types';

/** Mean and biased variance of x over `axes`, accumulated in float64. */
export function moments(
  context: KernelContext,
  x: Tensor,
  axes: readonly number[],
): { mean: Float64Array; variance: Float64Array } {
  checkTensor(x);
  const plan = planReduction(x.shape, normalizeAxes(axes, x.shape.length));
  const { wasm, views } = context;
  return context.run((frame) => {
    const shift = frame.alloc(plan.kept, 8);
    const s1 = frame.alloc(plan.kept, 8);
    const s2 = frame.alloc(plan.kept, 8);
    if (plan.count === 0) {
      return {
        mean: new Float64Array(plan.kept).fill(NaN),
        variance: new Float64Array(plan.kept).fill(NaN),
      };
    }
    const xp = frame.place(x.data);
    for (const block of plan.blocks) {
      const o = block.output * 8;
      wasm.accumulate(
        xp + block.input * 4,
        plan.a,
        plan.b,
        plan.c,
        shift + o,
        s1 + o,
        s2 + o,
        block.init ? 1 : 0,
      );
    }
    wasm.finishMoments(plan.kept, plan.count, shift, s1, s2);
    return {
      mean: views.readF64(shift, plan.kept),
      variance: views.readF64(s1, plan.kept),
    };
  });
}

/** Counts of NaN, ±Inf, zeros and fp16 under/overflow, the finite range, mean and variance. */
export function summarize(context: KernelContext, x: Tensor): TensorSummary {
  const count = checkTensor(x);
  return context.run((frame) => {
    const out = frame.alloc(10, 8);
    context.wasm.summarize(frame.place(x.data), count, out);
    const [
      min = NaN,
      max = NaN,
      nan = 0,
      posInf = 0,
      negInf = 0,
      zeros = 0,
      under = 0,
      over = 0,
      mean = NaN,
      variance = NaN,
    ] = context.views.f64(out, 10);
    const finite = min <= max;
    return {
      count,
      min: finite ? min : NaN,
      max: finite ? max : NaN,
      nanCount: nan,
      posInfCount: posInf,
      negInfCount: negInf,
      zeroCount: zeros,
      fp16UnderflowCount: under,
      fp16OverflowCount: over,
      mean,
      variance,
    };
  });
}

/** Histogram of the finite values into `bins` bins over `range` (default: the finite min..max). */
export function histogram(
  context: KernelContext,
  x: Tensor,
  options: { readonly bins?: number; readonly range?: readonly [number, number] } = {},
): Histogram {
  const count = checkTensor(x);
  const bins = options.bins ?? 64;
  if (!Number.isInteger(bins) || bins < 1) {
    throw new KernelArgumentError(
      'invalid-argument',
      `bins must be a positive integer, but got ${bins}`,
    );
  }
  let [lo, hi] = options.range ?? [NaN, NaN];
  if (!options.range) {
    const summary = summarize(context, x);
    [lo, hi] = Number.isNaN(summary.min) ? [0, 1] : [summary.min, summary.max];
  }
  if (!(lo <= hi) || !Number.isFinite(lo) || !Number.isFinite(hi)) {
    throw new KernelArgumentError(
      'invalid-argument',
      `histogram range must be finite with min <= max, but got [${lo}, ${hi}]`,
    );
  }
  return context.run((frame) => {
    // Four count tables of bins + 3 slots (see the module's histogram); it leaves the sums in the first.
    const tables = frame.alloc(4 * (bins + 3), 4);
    context.wasm.histogram(frame.place(x.data), count, lo, hi, bins, tables);
    const all = context.views.u32(tables, bins + 2);
    const edges = new Float64Array(bins + 1);
    for (let i = 0; i <= bins; i++) {
      edges[i] = lo + ((hi - lo) * i) / bins;
    }
    return { edges, counts: all.slice(0, bins), below: all[bins] ?? 0, above: all[bins + 1] ?? 0 };
  });
}

/** x rounded to a storage format (round to nearest even), as the fp16/bf16 emulation stores it. */
export function roundToPrecision(
  context: KernelContext,
  x: Tensor,
  precision: Precision,
  out?: Output,
): Tensor {
  const count = checkTensor(x);
  return context.run((frame) => {
    const target = context.output(frame, x.shape, count, out);
    context.wasm.roundArray(frame.place(x.data), target.ptr, count, precisionMode(precision));
    return target.finish(0);
  });
}

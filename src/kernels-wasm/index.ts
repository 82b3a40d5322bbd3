// Entry point of the kernels module: everything exported here becomes a WebAssembly export.
// The TypeScript wrapper (src/core/kernels) owns the linear memory above `heapBase()`.

export { accumulate, finishMoments, poolMoments } from './moments';
export { coefficients, runningUpdate } from './coefficients';
export { applyRows, applyColumns } from './apply';
export { normalizeChannels, normalizeLayer, normalizeRms } from './normalize';
export { lrn } from './lrn';
export { summarize, histogram } from './summary';
export { roundArray } from './precision';

/** First byte of linear memory that the module itself does not use. */
export function heapBase(): usize {
  return __heap_base;
}

/**
 * Normalization descriptors: names per framework, parameters and defaults, reduction axes,
 * conventions, trade-offs and citations for every kind NormLens knows.
 */
export type {
  Citation,
  NormDescriptor,
  ParamSpec,
  Reduction,
  ReductionInput,
  VariantSpec,
} from './types';
export { CITATIONS, citeLabel } from './citations';
export {
  MOMENTUM_CONVENTION,
  MOMENTUM_FORMULA,
  RUNNING_VAR_CONVENTION,
  convertMomentum,
  convertVariance,
} from './conventions';
export type { MomentumConvention, VarianceConvention } from './conventions';
export { GROUPNORM_PAPER_TABLE, smallBatchErrors } from './groupnorm-table';
export type { SmallBatchRow } from './groupnorm-table';
export { DESCRIPTORS, descriptorOf, knownVariantNames, variantInfo, variantSpec } from './registry';
export type { VariantInfo } from './registry';
export { NORM_COMPARISON } from './comparison';
export type { ComparisonRow } from './comparison';
export { lrnWindow } from './lrn';
export type { LrnConvention, LrnWindow } from './lrn';
export { rmsNormDefaultEps } from './rmsnorm';
export type { RmsNormDtype } from './rmsnorm';

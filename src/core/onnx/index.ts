/**
 * Public surface of the ONNX support: lazy structure reading, tensor values on demand, the
 * normalization inventory and per-layer weight health.
 */
export { OnnxFormatError, OnnxReadAbortedError, type AbortSignalLike } from './errors';
export { readOnnxModel, type ReadOnnxOptions } from './reader';
export { sniffOnnx, sniffOnnxHead, SNIFF_BYTES } from './sniff';
export { dataTypeName } from './tensor-layout';
export * from './types';
export { readTensor, findTensor } from './lookup';
export type { ConstantRef } from './graph-index';
export {
  detectNormSites,
  type AttributeSummary,
  type OnnxNormSite,
  type OnnxSiteContext,
  type SiteInput,
  type SiteProducer,
  type TensorRole,
} from './detect/index';
export { opVersion, opsetImportOf } from './opset';
export {
  weightHealth,
  type HealthIssue,
  type HealthIssueKind,
  type HealthOptions,
  type TensorHealth,
  type WeightHealth,
} from './health';
export { weightHealthOfSites, type HealthPassOptions, type SiteHealth } from './health-pass';

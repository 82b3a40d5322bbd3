/**
 * Public surface of the ONNX reader: lazy structure reading, tensor values on demand.
 */
export { OnnxFormatError, OnnxReadAbortedError, type AbortSignalLike } from './errors';
export { readOnnxModel, type ReadOnnxOptions } from './reader';
export { sniffOnnx, sniffOnnxHead, SNIFF_BYTES } from './sniff';
export { dataTypeName } from './tensor-layout';
export * from './types';
export { readTensor, findTensor } from './lookup';

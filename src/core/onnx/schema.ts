/**
 * Field tables for the parts of onnx.proto the reader needs. Field numbers follow onnx.proto3
 * (also visible in onnx-proto's generated code); fields not listed here are skipped by length.
 */

/** How one protobuf field is decoded. */
export type FieldSpec =
  /** int32/int64/enum/bool; repeated fields may arrive packed. */
  | { readonly kind: 'varint' }
  /** A float32 (wire type 5); repeated fields may arrive packed. */
  | { readonly kind: 'float' }
  /** UTF-8 text (also used for `bytes` attribute values, which ONNX uses for strings). */
  | { readonly kind: 'string' }
  /** Tensor payload: only its position and length are recorded, never its bytes. */
  | { readonly kind: 'span' }
  /** A nested message, decoded with its own table. */
  | { readonly kind: 'message'; readonly schema: () => MessageSchema };

/** The decodable fields of one message type. */
export interface MessageSchema {
  readonly name: string;
  readonly fields: ReadonlyMap<number, FieldSpec>;
}

const VARINT: FieldSpec = { kind: 'varint' };
const FLOAT: FieldSpec = { kind: 'float' };
const STRING: FieldSpec = { kind: 'string' };
const SPAN: FieldSpec = { kind: 'span' };

function message(schema: () => MessageSchema): FieldSpec {
  return { kind: 'message', schema };
}

function table(name: string, entries: readonly (readonly [number, FieldSpec])[]): MessageSchema {
  return { name, fields: new Map(entries) };
}

/** ModelProto field numbers. */
export const MODEL = {
  irVersion: 1,
  producerName: 2,
  producerVersion: 3,
  domain: 4,
  modelVersion: 5,
  graph: 7,
  opsetImport: 8,
  metadataProps: 14,
  functions: 25,
} as const;

/** GraphProto field numbers. */
export const GRAPH = {
  node: 1,
  name: 2,
  initializer: 5,
  input: 11,
  output: 12,
  valueInfo: 13,
  sparseInitializer: 15,
} as const;

/** NodeProto field numbers. */
export const NODE = { input: 1, output: 2, name: 3, opType: 4, attribute: 5, domain: 7 } as const;

/** AttributeProto field numbers. */
export const ATTRIBUTE = {
  name: 1,
  f: 2,
  i: 3,
  s: 4,
  t: 5,
  g: 6,
  floats: 7,
  ints: 8,
  strings: 9,
  tensors: 10,
  graphs: 11,
  type: 20,
  refAttrName: 21,
} as const;

/** TensorProto field numbers; the data fields hold values in the element type's storage field. */
export const TENSOR = {
  dims: 1,
  dataType: 2,
  floatData: 4,
  int32Data: 5,
  stringData: 6,
  int64Data: 7,
  name: 8,
  rawData: 9,
  doubleData: 10,
  uint64Data: 11,
  externalData: 13,
  dataLocation: 14,
} as const;

/** SparseTensorProto field numbers. */
export const SPARSE = { values: 1, indices: 2, dims: 3 } as const;
/** OperatorSetIdProto field numbers. */
export const OPSET = { domain: 1, version: 2 } as const;
/** StringStringEntryProto field numbers (metadata, external-data info). */
export const ENTRY = { key: 1, value: 2 } as const;
/** ValueInfoProto field numbers. */
export const VALUE_INFO = { name: 1, type: 2 } as const;
/** TypeProto field numbers (tensor and sparse-tensor types). */
export const TYPE = { tensorType: 1, sparseTensorType: 8 } as const;
/** TypeProto.Tensor field numbers. */
export const TENSOR_TYPE = { elemType: 1, shape: 2 } as const;
/** TensorShapeProto field numbers. */
export const SHAPE = { dim: 1 } as const;
/** TensorShapeProto.Dimension field numbers. */
export const DIMENSION = { value: 1, param: 2 } as const;
/** FunctionProto field numbers. */
export const FUNCTION = {
  name: 1,
  input: 4,
  output: 5,
  attribute: 6,
  node: 7,
  opsetImport: 9,
  domain: 10,
} as const;

const ENTRY_SCHEMA = table('StringStringEntryProto', [
  [ENTRY.key, STRING],
  [ENTRY.value, STRING],
]);
const OPSET_SCHEMA = table('OperatorSetIdProto', [
  [OPSET.domain, STRING],
  [OPSET.version, VARINT],
]);
const DIMENSION_SCHEMA = table('TensorShapeProto.Dimension', [
  [DIMENSION.value, VARINT],
  [DIMENSION.param, STRING],
]);
const SHAPE_SCHEMA = table('TensorShapeProto', [[SHAPE.dim, message(() => DIMENSION_SCHEMA)]]);
const TENSOR_TYPE_SCHEMA = table('TypeProto.Tensor', [
  [TENSOR_TYPE.elemType, VARINT],
  [TENSOR_TYPE.shape, message(() => SHAPE_SCHEMA)],
]);
const TYPE_SCHEMA = table('TypeProto', [
  [TYPE.tensorType, message(() => TENSOR_TYPE_SCHEMA)],
  [TYPE.sparseTensorType, message(() => TENSOR_TYPE_SCHEMA)],
]);
const VALUE_INFO_SCHEMA = table('ValueInfoProto', [
  [VALUE_INFO.name, STRING],
  [VALUE_INFO.type, message(() => TYPE_SCHEMA)],
]);

/** TensorProto: every data field is a span, so weights are never read during the structure pass. */
export const TENSOR_SCHEMA: MessageSchema = table('TensorProto', [
  [TENSOR.dims, VARINT],
  [TENSOR.dataType, VARINT],
  [TENSOR.floatData, SPAN],
  [TENSOR.int32Data, SPAN],
  [TENSOR.stringData, SPAN],
  [TENSOR.int64Data, SPAN],
  [TENSOR.name, STRING],
  [TENSOR.rawData, SPAN],
  [TENSOR.doubleData, SPAN],
  [TENSOR.uint64Data, SPAN],
  [TENSOR.externalData, message(() => ENTRY_SCHEMA)],
  [TENSOR.dataLocation, VARINT],
]);
const SPARSE_SCHEMA = table('SparseTensorProto', [
  [SPARSE.values, message(() => TENSOR_SCHEMA)],
  [SPARSE.indices, message(() => TENSOR_SCHEMA)],
  [SPARSE.dims, VARINT],
]);
const ATTRIBUTE_SCHEMA: MessageSchema = table('AttributeProto', [
  [ATTRIBUTE.name, STRING],
  [ATTRIBUTE.f, FLOAT],
  [ATTRIBUTE.i, VARINT],
  [ATTRIBUTE.s, STRING],
  [ATTRIBUTE.t, message(() => TENSOR_SCHEMA)],
  [ATTRIBUTE.g, message(() => GRAPH_SCHEMA)],
  [ATTRIBUTE.floats, FLOAT],
  [ATTRIBUTE.ints, VARINT],
  [ATTRIBUTE.strings, STRING],
  [ATTRIBUTE.tensors, message(() => TENSOR_SCHEMA)],
  [ATTRIBUTE.graphs, message(() => GRAPH_SCHEMA)],
  [ATTRIBUTE.type, VARINT],
  [ATTRIBUTE.refAttrName, STRING],
]);
const NODE_SCHEMA = table('NodeProto', [
  [NODE.input, STRING],
  [NODE.output, STRING],
  [NODE.name, STRING],
  [NODE.opType, STRING],
  [NODE.attribute, message(() => ATTRIBUTE_SCHEMA)],
  [NODE.domain, STRING],
]);
const GRAPH_SCHEMA: MessageSchema = table('GraphProto', [
  [GRAPH.node, message(() => NODE_SCHEMA)],
  [GRAPH.name, STRING],
  [GRAPH.initializer, message(() => TENSOR_SCHEMA)],
  [GRAPH.input, message(() => VALUE_INFO_SCHEMA)],
  [GRAPH.output, message(() => VALUE_INFO_SCHEMA)],
  [GRAPH.valueInfo, message(() => VALUE_INFO_SCHEMA)],
  [GRAPH.sparseInitializer, message(() => SPARSE_SCHEMA)],
]);
const FUNCTION_SCHEMA = table('FunctionProto', [
  [FUNCTION.name, STRING],
  [FUNCTION.input, STRING],
  [FUNCTION.output, STRING],
  [FUNCTION.attribute, STRING],
  [FUNCTION.node, message(() => NODE_SCHEMA)],
  [FUNCTION.opsetImport, message(() => OPSET_SCHEMA)],
  [FUNCTION.domain, STRING],
]);

/** The root message of an .onnx file. */
export const MODEL_SCHEMA: MessageSchema = table('ModelProto', [
  [MODEL.irVersion, VARINT],
  [MODEL.producerName, STRING],
  [MODEL.producerVersion, STRING],
  [MODEL.domain, STRING],
  [MODEL.modelVersion, VARINT],
  [MODEL.graph, message(() => GRAPH_SCHEMA)],
  [MODEL.opsetImport, message(() => OPSET_SCHEMA)],
  [MODEL.metadataProps, message(() => ENTRY_SCHEMA)],
  [MODEL.functions, message(() => FUNCTION_SCHEMA)],
]);

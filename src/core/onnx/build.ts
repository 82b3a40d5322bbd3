/**
 * Turns decoded {@link RawMessage}s into the typed model view, checking what the wire format alone
 * cannot (negative dims, tensor sizes that overflow, raw_data of the wrong length).
 */
import { OnnxFormatError } from './errors';
import {
  ATTRIBUTE,
  DIMENSION,
  ENTRY,
  FUNCTION,
  GRAPH,
  MODEL,
  NODE,
  OPSET,
  SHAPE,
  TENSOR,
  TENSOR_TYPE,
  TYPE,
  VALUE_INFO,
} from './schema';
import { bytesPerElement } from './tensor-layout';
import type {
  Dim,
  OnnxAttribute,
  OnnxFunction,
  OnnxGraph,
  OnnxModel,
  OnnxNode,
  OnnxTensor,
  OnnxValueInfo,
  TensorData,
} from './types';
import { AttributeType } from './types';
import type { RawMessage, RawValue, Span } from './wire';

/** Largest element count accepted for one tensor (2^40: far beyond any real weight). */
const MAX_ELEMENTS = 2 ** 40;

function values(message: RawMessage, field: number): readonly RawValue[] {
  return message.fields[field] ?? [];
}

function numbers(message: RawMessage, field: number): number[] {
  return values(message, field).filter((v): v is number => typeof v === 'number');
}

function strings(message: RawMessage, field: number): string[] {
  return values(message, field).filter((v): v is string => typeof v === 'string');
}

function messages(message: RawMessage, field: number): RawMessage[] {
  return values(message, field).filter(
    (v): v is RawMessage => typeof v === 'object' && v.kind === 'message',
  );
}

function spans(message: RawMessage, field: number): Span[] {
  return values(message, field).filter(
    (v): v is Span => typeof v === 'object' && v.kind === 'span',
  );
}

/** The last occurrence wins for singular fields, as protobuf merging specifies. */
function last<T>(list: readonly T[]): T | undefined {
  return list[list.length - 1];
}

/** The last value of a singular field with the given JS type (no intermediate arrays). */
function lastOfType<T extends 'string' | 'number'>(
  message: RawMessage,
  field: number,
  type: T,
): (T extends 'string' ? string : number) | undefined {
  const list = message.fields[field];
  if (list) {
    for (let k = list.length - 1; k >= 0; k--) {
      const value = list[k];
      if (typeof value === type) {
        return value as T extends 'string' ? string : number;
      }
    }
  }
  return undefined;
}

function str(message: RawMessage, field: number): string {
  return lastOfType(message, field, 'string') ?? '';
}

function num(message: RawMessage, field: number): number | undefined {
  return lastOfType(message, field, 'number');
}

function entries(list: readonly RawMessage[]): Map<string, string> {
  return new Map(list.map((e) => [str(e, ENTRY.key), str(e, ENTRY.value)]));
}

/** Opset imports by domain, with `ai.onnx` folded into `''`. */
export function opsetMap(list: readonly RawMessage[]): Map<string, number> {
  const result = new Map<string, number>();
  for (const entry of list) {
    const domain = str(entry, OPSET.domain);
    result.set(domain === 'ai.onnx' ? '' : domain, num(entry, OPSET.version) ?? 0);
  }
  return result;
}

/** Builds a tensor handle; fails on dims a real tensor cannot have. */
export function buildTensor(raw: RawMessage): OnnxTensor {
  const name = str(raw, TENSOR.name);
  const dims = numbers(raw, TENSOR.dims);
  const dataType = num(raw, TENSOR.dataType) ?? 0;
  let size = 1;
  for (const dim of dims) {
    if (!Number.isSafeInteger(dim) || dim < 0) {
      throw new OnnxFormatError(`Invalid ONNX model: tensor '${name}' has dim ${dim}`, raw.offset);
    }
    size *= dim;
  }
  if (size > MAX_ELEMENTS) {
    throw new OnnxFormatError(
      `Invalid ONNX model: tensor '${name}' claims ${size} elements (dims ${dims.join('×')})`,
      raw.offset,
    );
  }
  return {
    name,
    dataType,
    dims,
    size,
    data: tensorData(raw, name, dataType, size),
    offset: raw.offset,
  };
}

const TYPED_FIELDS = [
  TENSOR.floatData,
  TENSOR.int32Data,
  TENSOR.stringData,
  TENSOR.int64Data,
  TENSOR.doubleData,
  TENSOR.uint64Data,
] as const;

function tensorData(raw: RawMessage, name: string, dataType: number, size: number): TensorData {
  if (num(raw, TENSOR.dataLocation) === 1) {
    const info = entries(messages(raw, TENSOR.externalData));
    const location = info.get('location');
    if (location === undefined) {
      throw new OnnxFormatError(
        `Invalid ONNX model: tensor '${name}' has external data without a location`,
        raw.offset,
      );
    }
    const offset = Number(info.get('offset') ?? '0');
    const length = info.has('length') ? Number(info.get('length')) : undefined;
    if (
      !Number.isSafeInteger(offset) ||
      offset < 0 ||
      (length !== undefined && (!Number.isSafeInteger(length) || length < 0))
    ) {
      throw new OnnxFormatError(
        `Invalid ONNX model: tensor '${name}' has a bad external offset or length`,
        raw.offset,
      );
    }
    return { type: 'external', location, offset, length };
  }
  const rawData = last(spans(raw, TENSOR.rawData));
  if (rawData) {
    const width = bytesPerElement(dataType);
    if (width !== undefined && rawData.length !== width * size) {
      throw new OnnxFormatError(
        `Invalid ONNX model: tensor '${name}' has ${rawData.length} bytes of raw_data, its dims need ${width * size}`,
        rawData.offset,
      );
    }
    return { type: 'raw', offset: rawData.offset, length: rawData.length };
  }
  for (const field of TYPED_FIELDS) {
    const list = spans(raw, field);
    if (list.length > 0) {
      return {
        type: 'typed',
        field,
        spans: list.map(({ offset, length, wireType }) => ({ offset, length, wireType })),
      };
    }
  }
  return { type: 'none' };
}

function buildDim(raw: RawMessage): Dim {
  const value = num(raw, DIMENSION.value);
  if (value !== undefined) {
    return value;
  }
  const param = str(raw, DIMENSION.param);
  return param === '' ? null : param;
}

function buildValueInfo(raw: RawMessage): OnnxValueInfo {
  const type = last(messages(raw, VALUE_INFO.type));
  const tensorType =
    type && last([...messages(type, TYPE.tensorType), ...messages(type, TYPE.sparseTensorType)]);
  const shape = tensorType && last(messages(tensorType, TENSOR_TYPE.shape));
  return {
    name: str(raw, VALUE_INFO.name),
    elemType: tensorType && num(tensorType, TENSOR_TYPE.elemType),
    shape: shape && messages(shape, SHAPE.dim).map(buildDim),
  };
}

/** Old files leave `type` at 0; infer it from the field that holds a value. */
function inferAttributeType(raw: RawMessage): number {
  const declared = num(raw, ATTRIBUTE.type);
  if (declared !== undefined && declared !== AttributeType.undefined) {
    return declared;
  }
  const order: readonly [number, number][] = [
    [ATTRIBUTE.f, AttributeType.float],
    [ATTRIBUTE.i, AttributeType.int],
    [ATTRIBUTE.s, AttributeType.string],
    [ATTRIBUTE.t, AttributeType.tensor],
    [ATTRIBUTE.g, AttributeType.graph],
    [ATTRIBUTE.floats, AttributeType.floats],
    [ATTRIBUTE.ints, AttributeType.ints],
    [ATTRIBUTE.strings, AttributeType.strings],
    [ATTRIBUTE.tensors, AttributeType.tensors],
    [ATTRIBUTE.graphs, AttributeType.graphs],
  ];
  return order.find(([field]) => raw.fields[field] !== undefined)?.[1] ?? AttributeType.undefined;
}

function buildAttribute(
  raw: RawMessage,
  owner: string,
  parent: OnnxGraph | undefined,
): OnnxAttribute {
  const name = str(raw, ATTRIBUTE.name);
  const path = `${owner}.${name}`;
  const t = last(messages(raw, ATTRIBUTE.t));
  const g = last(messages(raw, ATTRIBUTE.g));
  const f = num(raw, ATTRIBUTE.f);
  const i = num(raw, ATTRIBUTE.i);
  const s = last(strings(raw, ATTRIBUTE.s));
  const ref = last(strings(raw, ATTRIBUTE.refAttrName));
  return {
    name,
    type: inferAttributeType(raw),
    ...(f === undefined ? {} : { f }),
    ...(i === undefined ? {} : { i }),
    ...(s === undefined ? {} : { s }),
    ...(t ? { t: buildTensor(t) } : {}),
    ...(g ? { g: buildGraph(g, path, parent) } : {}),
    ...(ref === undefined ? {} : { refAttrName: ref }),
    floats: numbers(raw, ATTRIBUTE.floats),
    ints: numbers(raw, ATTRIBUTE.ints),
    strings: strings(raw, ATTRIBUTE.strings),
    tensors: messages(raw, ATTRIBUTE.tensors).map(buildTensor),
    graphs: messages(raw, ATTRIBUTE.graphs).map((sub, k) =>
      buildGraph(sub, `${path}[${k}]`, parent),
    ),
  };
}

function buildNode(raw: RawMessage, index: number, graph: OnnxGraph): OnnxNode {
  const name = str(raw, NODE.name);
  const opType = str(raw, NODE.opType);
  const id = name === '' ? `${opType}#${index}` : name;
  const attributes = new Map<string, OnnxAttribute>();
  for (const attribute of messages(raw, NODE.attribute)) {
    const built = buildAttribute(attribute, `${graph.path}/${id}`, graph);
    attributes.set(built.name, built);
  }
  return {
    id,
    name,
    opType,
    domain: str(raw, NODE.domain),
    inputs: strings(raw, NODE.input),
    outputs: strings(raw, NODE.output),
    attributes,
    offset: raw.offset,
  };
}

/** Builds a graph; subgraphs get `parent` so that outer names resolve. */
export function buildGraph(
  raw: RawMessage,
  path: string,
  parent: OnnxGraph | undefined,
): OnnxGraph {
  const nodes: OnnxNode[] = [];
  const initializers = new Map<string, OnnxTensor>();
  for (const tensor of messages(raw, GRAPH.initializer).map(buildTensor)) {
    initializers.set(tensor.name, tensor);
  }
  const graph: OnnxGraph = {
    name: str(raw, GRAPH.name),
    path,
    nodes,
    initializers,
    inputs: messages(raw, GRAPH.input).map(buildValueInfo),
    outputs: messages(raw, GRAPH.output).map(buildValueInfo),
    valueInfo: new Map(
      messages(raw, GRAPH.valueInfo)
        .map(buildValueInfo)
        .map((v) => [v.name, v]),
    ),
    parent,
  };
  messages(raw, GRAPH.node).forEach((node, index) => nodes.push(buildNode(node, index, graph)));
  return graph;
}

function buildFunction(raw: RawMessage): OnnxFunction {
  const name = str(raw, FUNCTION.name);
  const domain = str(raw, FUNCTION.domain);
  const body: OnnxGraph = {
    name,
    path: `function:${domain}.${name}`,
    nodes: [],
    initializers: new Map(),
    inputs: strings(raw, FUNCTION.input).map((n) => ({
      name: n,
      elemType: undefined,
      shape: undefined,
    })),
    outputs: strings(raw, FUNCTION.output).map((n) => ({
      name: n,
      elemType: undefined,
      shape: undefined,
    })),
    valueInfo: new Map(),
    parent: undefined,
  };
  const nodes = body.nodes as OnnxNode[];
  messages(raw, FUNCTION.node).forEach((node, index) => nodes.push(buildNode(node, index, body)));
  return {
    name,
    domain,
    inputs: strings(raw, FUNCTION.input),
    outputs: strings(raw, FUNCTION.output),
    attributes: strings(raw, FUNCTION.attribute),
    opsetImports: opsetMap(messages(raw, FUNCTION.opsetImport)),
    body,
  };
}

/** Builds the model view from the decoded ModelProto. */
export function buildModel(
  raw: RawMessage,
  context: Pick<OnnxModel, 'size' | 'source' | 'resolveExternal'>,
): OnnxModel {
  const graph = last(messages(raw, MODEL.graph));
  if (!graph) {
    throw new OnnxFormatError('Not an ONNX model: no graph', raw.offset);
  }
  return {
    irVersion: num(raw, MODEL.irVersion) ?? 0,
    producerName: str(raw, MODEL.producerName),
    producerVersion: str(raw, MODEL.producerVersion),
    domain: str(raw, MODEL.domain),
    modelVersion: num(raw, MODEL.modelVersion) ?? 0,
    opsetImports: opsetMap(messages(raw, MODEL.opsetImport)),
    metadata: entries(messages(raw, MODEL.metadataProps)),
    graph: buildGraph(graph, 'main', undefined),
    functions: messages(raw, MODEL.functions).map(buildFunction),
    ...context,
  };
}

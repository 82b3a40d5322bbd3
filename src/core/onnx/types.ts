/**
 * The lazy ONNX model view: graph structure fully decoded, tensor values only located.
 */
import type { ByteSource } from '../bytes/byte-source';

/** TensorProto.DataType values NormLens reads (onnx.proto3 numbering). */
export const DataType = {
  undefined: 0,
  float: 1,
  uint8: 2,
  int8: 3,
  uint16: 4,
  int16: 5,
  int32: 6,
  int64: 7,
  string: 8,
  bool: 9,
  float16: 10,
  double: 11,
  uint32: 12,
  uint64: 13,
  complex64: 14,
  complex128: 15,
  bfloat16: 16,
} as const;

/** AttributeProto.AttributeType values (onnx.proto3 numbering). */
export const AttributeType = {
  undefined: 0,
  float: 1,
  int: 2,
  string: 3,
  tensor: 4,
  graph: 5,
  floats: 6,
  ints: 7,
  strings: 8,
  tensors: 9,
  graphs: 10,
} as const;

/** Where a tensor's values are. Offsets are absolute in the model file (or the external file). */
export type TensorData =
  /** `raw_data`: little-endian values of the element type. */
  | { readonly type: 'raw'; readonly offset: number; readonly length: number }
  /** A typed field (`float_data`, `int64_data`, …): one span when packed, several when not. */
  | {
      readonly type: 'typed';
      readonly field: number;
      readonly spans: readonly {
        readonly offset: number;
        readonly length: number;
        readonly wireType: number;
      }[];
    }
  /** External data: a file beside the model, resolved by the host. */
  | {
      readonly type: 'external';
      readonly location: string;
      readonly offset: number;
      readonly length: number | undefined;
    }
  /** No values stored (an empty tensor, or a tensor whose data field is absent). */
  | { readonly type: 'none' };

/** A tensor's metadata plus a handle to its values. */
export interface OnnxTensor {
  readonly name: string;
  /** A {@link DataType} value. */
  readonly dataType: number;
  readonly dims: readonly number[];
  /** Number of elements (product of dims; 1 for a scalar). */
  readonly size: number;
  readonly data: TensorData;
  /** Offset of the TensorProto in the model file, for error messages. */
  readonly offset: number;
}

/** One dimension: a number when static, a name when symbolic (`batch`), null when unknown. */
export type Dim = number | string | null;

/** A typed value name: graph input/output or an intermediate with inferred shape. */
export interface OnnxValueInfo {
  readonly name: string;
  /** Element {@link DataType}, when declared. */
  readonly elemType: number | undefined;
  /** Shape, when declared; symbolic dims are kept as names. */
  readonly shape: readonly Dim[] | undefined;
}

/** One attribute, with the value in the field its type selects. */
export interface OnnxAttribute {
  readonly name: string;
  /** An {@link AttributeType} value (inferred from the filled field for old files with type 0). */
  readonly type: number;
  readonly f?: number;
  readonly i?: number;
  readonly s?: string;
  readonly t?: OnnxTensor;
  readonly g?: OnnxGraph;
  readonly floats: readonly number[];
  readonly ints: readonly number[];
  readonly strings: readonly string[];
  readonly tensors: readonly OnnxTensor[];
  readonly graphs: readonly OnnxGraph[];
  /** In a function body, the caller's attribute this one refers to. */
  readonly refAttrName?: string;
}

/** One node. `id` is the node's name, or `OpType#index` when the exporter left it empty. */
export interface OnnxNode {
  readonly id: string;
  readonly name: string;
  readonly opType: string;
  /** Operator domain; `''` is ai.onnx. */
  readonly domain: string;
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
  readonly attributes: ReadonlyMap<string, OnnxAttribute>;
  readonly offset: number;
}

/** A graph: the main graph, a subgraph (If/Loop/Scan attribute), or a function body. */
export interface OnnxGraph {
  readonly name: string;
  /** Where the graph sits: `main`, `main/If_1.then_branch`, `function:custom.Foo`. */
  readonly path: string;
  readonly nodes: readonly OnnxNode[];
  readonly initializers: ReadonlyMap<string, OnnxTensor>;
  readonly inputs: readonly OnnxValueInfo[];
  readonly outputs: readonly OnnxValueInfo[];
  readonly valueInfo: ReadonlyMap<string, OnnxValueInfo>;
  /** The enclosing graph, whose names a subgraph may use. */
  readonly parent: OnnxGraph | undefined;
}

/** A model-local function (FunctionProto). */
export interface OnnxFunction {
  readonly name: string;
  readonly domain: string;
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
  readonly attributes: readonly string[];
  readonly opsetImports: ReadonlyMap<string, number>;
  readonly body: OnnxGraph;
}

/** Resolves an external-data `location` (relative to the model's folder) to its bytes. */
export type ExternalResolver = (location: string) => Promise<ByteSource>;

/** A lazily read ONNX model. */
export interface OnnxModel {
  readonly irVersion: number;
  readonly producerName: string;
  readonly producerVersion: string;
  readonly domain: string;
  readonly modelVersion: number;
  /** Opset per domain; the ai.onnx domain is stored under `''`. */
  readonly opsetImports: ReadonlyMap<string, number>;
  readonly metadata: ReadonlyMap<string, string>;
  readonly graph: OnnxGraph;
  readonly functions: readonly OnnxFunction[];
  /** Size of the model file in bytes. */
  readonly size: number;
  /** Where tensor values are read from on demand. */
  readonly source: ByteSource;
  readonly resolveExternal: ExternalResolver | undefined;
}

/**
 * Builds small ONNX models with onnx-proto's generated encoder (an implementation independent of
 * NormLens's reader). Used by the unit tests and by generate.ts, which writes the committed fixtures.
 */
import { onnx } from 'onnx-proto';

/** An attribute value, tagged so that ints and floats stay distinct. */
export type Attr =
  | { readonly f: number }
  | { readonly i: number }
  | { readonly s: string }
  | { readonly floats: readonly number[] }
  | { readonly ints: readonly number[] }
  | { readonly t: onnx.ITensorProto }
  | { readonly g: onnx.IGraphProto };

/** A node to add to a graph. */
export interface NodeSpec {
  readonly op: string;
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
  readonly name?: string;
  readonly domain?: string;
  readonly attrs?: Readonly<Record<string, Attr>>;
}

/** A typed value: element type plus shape (numbers static, strings symbolic). */
export interface ValueSpec {
  readonly name: string;
  readonly elemType?: number;
  readonly shape?: readonly (number | string)[];
}

/** Everything a test model may contain. */
export interface GraphSpec {
  readonly nodes: readonly NodeSpec[];
  readonly initializers?: readonly onnx.ITensorProto[];
  readonly inputs?: readonly ValueSpec[];
  readonly outputs?: readonly ValueSpec[];
  readonly valueInfo?: readonly ValueSpec[];
  readonly name?: string;
}

/** A model: its graph plus opset imports per domain (`''` is ai.onnx). */
export interface ModelSpec extends GraphSpec {
  readonly opset: number | Readonly<Record<string, number>>;
  readonly functions?: readonly onnx.IFunctionProto[];
  readonly producer?: string;
}

export const FLOAT: number = onnx.TensorProto.DataType.FLOAT;
export const FLOAT16: number = onnx.TensorProto.DataType.FLOAT16;
export const INT64: number = onnx.TensorProto.DataType.INT64;

/** Rounds to the nearest IEEE binary16 and returns its bits (an independent helper for fixtures). */
export function floatToHalfBits(value: number): number {
  const f32 = new Float32Array([value]);
  const bits = new Uint32Array(f32.buffer)[0] ?? 0;
  const sign = (bits >>> 16) & 0x8000;
  const exponent = ((bits >>> 23) & 0xff) - 127 + 15;
  const mantissa = bits & 0x7fffff;
  if (exponent <= 0) {
    if (exponent < -10) {
      return sign;
    }
    const m = (mantissa | 0x800000) >> (1 - exponent);
    return sign | ((m + 0x1000) >> 13);
  }
  if (exponent >= 31) {
    return sign | 0x7c00 | (Number.isNaN(value) ? 0x200 : 0);
  }
  return sign | (exponent << 10) | ((mantissa + 0x1000) >> 13);
}

/** A tensor stored in raw_data (float32, float16 or int64). */
export function tensor(
  name: string,
  dims: readonly number[],
  values: readonly number[],
  dataType: number = FLOAT,
): onnx.ITensorProto {
  let raw: Uint8Array;
  if (dataType === FLOAT16) {
    raw = new Uint8Array(new Uint16Array(values.map(floatToHalfBits)).buffer);
  } else if (dataType === INT64) {
    raw = new Uint8Array(new BigInt64Array(values.map((v) => BigInt(v))).buffer);
  } else {
    raw = new Uint8Array(new Float32Array(values).buffer);
  }
  return { name, dims: [...dims], dataType, rawData: raw };
}

/** A float tensor stored in the typed `float_data` field instead of raw_data. */
export function typedTensor(
  name: string,
  dims: readonly number[],
  values: readonly number[],
): onnx.ITensorProto {
  return { name, dims: [...dims], dataType: FLOAT, floatData: [...values] };
}

/** A tensor whose values live in an external file. */
export function externalTensor(
  name: string,
  dims: readonly number[],
  location: string,
  offset: number,
  length: number,
): onnx.ITensorProto {
  return {
    name,
    dims: [...dims],
    dataType: FLOAT,
    dataLocation: onnx.TensorProto.DataLocation.EXTERNAL,
    externalData: [
      { key: 'location', value: location },
      { key: 'offset', value: String(offset) },
      { key: 'length', value: String(length) },
    ],
  };
}

/** A Constant node holding `values` (float unless `dataType` says otherwise). */
export function constant(
  output: string,
  dims: readonly number[],
  values: readonly number[],
  dataType: number = FLOAT,
): NodeSpec {
  return {
    op: 'Constant',
    inputs: [],
    outputs: [output],
    name: `const_${output}`,
    attrs: { value: { t: tensor('', dims, values, dataType) } },
  };
}

function attribute(name: string, value: Attr): onnx.IAttributeProto {
  const T = onnx.AttributeProto.AttributeType;
  if ('f' in value) {
    return { name, type: T.FLOAT, f: value.f };
  }
  if ('i' in value) {
    return { name, type: T.INT, i: value.i };
  }
  if ('s' in value) {
    return { name, type: T.STRING, s: new TextEncoder().encode(value.s) };
  }
  if ('floats' in value) {
    return { name, type: T.FLOATS, floats: [...value.floats] };
  }
  if ('ints' in value) {
    return { name, type: T.INTS, ints: [...value.ints] };
  }
  if ('t' in value) {
    return { name, type: T.TENSOR, t: value.t };
  }
  return { name, type: T.GRAPH, g: value.g };
}

function valueInfo(spec: ValueSpec): onnx.IValueInfoProto {
  return {
    name: spec.name,
    type: {
      tensorType: {
        elemType: spec.elemType ?? FLOAT,
        ...(spec.shape
          ? {
              shape: {
                dim: spec.shape.map((d) =>
                  typeof d === 'number' ? { dimValue: d } : { dimParam: d },
                ),
              },
            }
          : {}),
      },
    },
  };
}

/** Encodes a node list (plus initializers and values) as a GraphProto object. */
export function graph(spec: GraphSpec): onnx.IGraphProto {
  return {
    name: spec.name ?? 'g',
    node: spec.nodes.map((n, k) => ({
      name: n.name ?? `${n.op}_${k}`,
      opType: n.op,
      domain: n.domain ?? '',
      input: [...n.inputs],
      output: [...n.outputs],
      attribute: Object.entries(n.attrs ?? {}).map(([key, v]) => attribute(key, v)),
    })),
    initializer: [...(spec.initializers ?? [])],
    input: (spec.inputs ?? []).map(valueInfo),
    output: (spec.outputs ?? []).map(valueInfo),
    valueInfo: (spec.valueInfo ?? []).map(valueInfo),
  };
}

/** Encodes a whole model to bytes. */
export function modelBytes(spec: ModelSpec): Uint8Array {
  const opsets = typeof spec.opset === 'number' ? { '': spec.opset } : spec.opset;
  const message = onnx.ModelProto.create({
    irVersion: 8,
    producerName: spec.producer ?? 'normlens-test',
    opsetImport: Object.entries(opsets).map(([domain, version]) => ({ domain, version })),
    graph: graph(spec),
    functions: [...(spec.functions ?? [])],
  });
  return onnx.ModelProto.encode(message).finish();
}

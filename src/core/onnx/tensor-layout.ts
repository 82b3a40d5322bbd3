/**
 * How tensor element types are laid out in `raw_data` and in the typed TensorProto fields, and how
 * they become float32 for statistics.
 */
import { Reader } from 'protobufjs/minimal';
import { OnnxFormatError } from './errors';
import { TENSOR } from './schema';
import { DataType } from './types';

const WIDTHS: ReadonlyMap<number, number> = new Map([
  [DataType.float, 4],
  [DataType.uint8, 1],
  [DataType.int8, 1],
  [DataType.uint16, 2],
  [DataType.int16, 2],
  [DataType.int32, 4],
  [DataType.int64, 8],
  [DataType.bool, 1],
  [DataType.float16, 2],
  [DataType.double, 8],
  [DataType.uint32, 4],
  [DataType.uint64, 8],
  [DataType.bfloat16, 2],
]);

/** Bytes per element in `raw_data`, or undefined for types NormLens cannot decode (strings, complex). */
export function bytesPerElement(dataType: number): number | undefined {
  return WIDTHS.get(dataType);
}

/** Names by data type value, built once: weight health names every tensor it reads. */
const NAMES: ReadonlyMap<number, string> = new Map(
  Object.entries(DataType).map(([name, value]) => [value, name]),
);

/** Human name of a data type, e.g. `float16`. */
export function dataTypeName(dataType: number): string {
  return NAMES.get(dataType) ?? `type ${dataType}`;
}

/** Converts IEEE binary16 bits to a number. */
export function halfToFloat(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >> 10) & 0x1f;
  const fraction = bits & 0x3ff;
  if (exponent === 0) {
    return sign * fraction * 2 ** -24;
  }
  if (exponent === 0x1f) {
    return fraction === 0 ? sign * Infinity : Number.NaN;
  }
  return sign * (1 + fraction / 1024) * 2 ** (exponent - 15);
}

/** Converts bfloat16 bits (the top half of a float32) to a number. */
export function bfloat16ToFloat(bits: number): number {
  const view = new DataView(new ArrayBuffer(4));
  view.setUint32(0, bits << 16, false);
  return view.getFloat32(0, false);
}

/** Decodes little-endian `raw_data` of `count` elements. */
export function decodeRaw(bytes: Uint8Array, dataType: number, count: number): Float32Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = new Float32Array(count);
  const read = rawElementReader(view, dataType);
  for (let k = 0; k < count; k++) {
    out[k] = read(k);
  }
  return out;
}

function rawElementReader(view: DataView, dataType: number): (k: number) => number {
  switch (dataType) {
    case DataType.float:
      return (k) => view.getFloat32(k * 4, true);
    case DataType.double:
      return (k) => view.getFloat64(k * 8, true);
    case DataType.float16:
      return (k) => halfToFloat(view.getUint16(k * 2, true));
    case DataType.bfloat16:
      return (k) => bfloat16ToFloat(view.getUint16(k * 2, true));
    case DataType.int8:
      return (k) => view.getInt8(k);
    case DataType.uint8:
    case DataType.bool:
      return (k) => view.getUint8(k);
    case DataType.int16:
      return (k) => view.getInt16(k * 2, true);
    case DataType.uint16:
      return (k) => view.getUint16(k * 2, true);
    case DataType.int32:
      return (k) => view.getInt32(k * 4, true);
    case DataType.uint32:
      return (k) => view.getUint32(k * 4, true);
    case DataType.int64:
      return (k) => Number(view.getBigInt64(k * 8, true));
    case DataType.uint64:
      return (k) => Number(view.getBigUint64(k * 8, true));
    default:
      throw new RangeError(`cannot decode ${dataTypeName(dataType)} values`);
  }
}

/** Longest varint: ten bytes hold 64 bits seven at a time. */
const MAX_VARINT_BYTES = 10;

/** How many bytes the value at `at` takes: the field's fixed width, or the varint's length. */
function valueLength(bytes: Uint8Array, at: number, field: number): number | undefined {
  if (field === TENSOR.floatData) {
    return 4;
  }
  if (field === TENSOR.doubleData) {
    return 8;
  }
  const last = Math.min(bytes.length, at + MAX_VARINT_BYTES);
  for (let k = at; k < last; k++) {
    if ((bytes[k] ?? 0) < 0x80) {
      return k - at + 1;
    }
  }
  return undefined;
}

/**
 * Decodes one typed-field span: packed (wire type 2) or a single value. Values of int32_data are
 * reinterpreted for float16/bfloat16, which the spec stores there as bit patterns.
 *
 * @param spanOffset Where the span starts in the model file, for the offset of a format error.
 * @throws OnnxFormatError when the span ends inside a value (the protobuf reader would throw a
 *   bare RangeError there).
 */
export function decodeTypedSpan(
  bytes: Uint8Array,
  field: number,
  wireType: number,
  dataType: number,
  spanOffset = 0,
): number[] {
  const reader = new Reader(bytes);
  const values: number[] = [];
  const one = (): number => {
    const length = valueLength(bytes, reader.pos, field);
    if (length === undefined || reader.pos + length > reader.len) {
      throw new OnnxFormatError(
        `Invalid ONNX model: ${dataTypeName(dataType)} tensor data ends inside a value`,
        spanOffset + reader.pos,
      );
    }
    switch (field) {
      case TENSOR.floatData:
        return reader.float();
      case TENSOR.doubleData:
        return reader.double();
      case TENSOR.int32Data: {
        const v = reader.int32();
        if (dataType === DataType.float16) {
          return halfToFloat(v & 0xffff);
        }
        return dataType === DataType.bfloat16 ? bfloat16ToFloat(v & 0xffff) : v;
      }
      case TENSOR.uint64Data: {
        const v: unknown = reader.uint64();
        return typeof v === 'number' ? v : (v as { toNumber(): number }).toNumber();
      }
      default: {
        const v: unknown = reader.int64();
        return typeof v === 'number' ? v : (v as { toNumber(): number }).toNumber();
      }
    }
  };
  if (wireType !== 2) {
    return [one()];
  }
  while (reader.pos < reader.len) {
    values.push(one());
  }
  return values;
}

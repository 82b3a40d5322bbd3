/**
 * Schema-driven protobuf decoding over a {@link ByteSource}. Small messages are read in one piece and
 * decoded with protobufjs's `Reader`; big ones (a graph holding gigabytes of weights) are walked
 * field by field, so tensor payloads are skipped by their length without being read.
 */
import { Reader, util } from 'protobufjs/minimal';
import type { ByteSource } from '../bytes/byte-source';
import { OnnxFormatError, OnnxReadAbortedError, type AbortSignalLike } from './errors';
import type { FieldSpec, MessageSchema } from './schema';

/** Where a payload lies in the file; `wireType` tells packed (2) from single values. */
export interface Span {
  readonly kind: 'span';
  readonly offset: number;
  readonly length: number;
  readonly wireType: number;
}

/** A decoded message: field number → values in file order. */
export interface RawMessage {
  readonly kind: 'message';
  readonly type: string;
  readonly offset: number;
  readonly length: number;
  readonly fields: ReadonlyMap<number, readonly RawValue[]>;
}

/** One decoded field value. Varints become numbers (exact up to 2^53), floats numbers too. */
export type RawValue = number | string | Span | RawMessage;

/** Messages up to this size are read in one piece; larger ones are walked field by field. */
const INLINE_LIMIT = 64 * 1024;
/** How much the streaming walker reads ahead when it needs a field header. */
const READ_AHEAD = 16 * 1024;
/** A tag (5 bytes) plus the longest varint (10 bytes). */
const MAX_HEADER = 15;
/** Nesting guard: graph → node → attribute → graph … about 30 subgraph levels. */
export const MAX_DEPTH = 100;
/** Longest string field accepted; names and doc strings are far shorter in real models. */
const MAX_STRING = 16 * 1024 * 1024;

type MutableFields = Map<number, RawValue[]>;

function push(fields: MutableFields, field: number, value: RawValue): void {
  const list = fields.get(field);
  if (list) {
    list.push(value);
  } else {
    fields.set(field, [value]);
  }
}

function isValidWireType(wireType: number): boolean {
  return wireType === 0 || wireType === 1 || wireType === 2 || wireType === 5;
}

/** True when a field of this spec may arrive with this (non-length-delimited) wire type. */
function acceptsScalar(spec: FieldSpec | undefined, wireType: number): boolean {
  if (spec === undefined || spec.kind === 'span') {
    return true;
  }
  return (spec.kind === 'varint' && wireType === 0) || (spec.kind === 'float' && wireType === 5);
}

/** Reads a tag and rejects wire types ONNX never uses (groups, 6, 7) and fields of the wrong shape. */
function readTag(reader: Reader, schema: MessageSchema, offset: number): [number, number] {
  const tag = reader.uint32();
  const field = tag >>> 3;
  const wireType = tag & 7;
  if (!isValidWireType(wireType) || field === 0) {
    throw new OnnxFormatError(
      `Not an ONNX model: unexpected wire type ${wireType} in ${schema.name}`,
      offset,
    );
  }
  if (wireType !== 2 && !acceptsScalar(schema.fields.get(field), wireType)) {
    throw new OnnxFormatError(
      `Not an ONNX model: ${schema.name} field ${field} has wire type ${wireType}`,
      offset,
    );
  }
  return [field, wireType];
}

/** Reads a signed 64-bit varint as a JS number (protobufjs yields a Long when `long` is loaded). */
export function readInt64(reader: Reader): number {
  const value: unknown = reader.int64();
  return typeof value === 'number' ? value : (value as { toNumber(): number }).toNumber();
}

/** Reads a length prefix and checks that it fits in what is left of the enclosing message. */
function readLength(reader: Reader, base: number, end: number, schema: MessageSchema): number {
  const start = reader.pos;
  const length = reader.uint32();
  const remaining = end - (base + reader.pos);
  if (reader.pos - start > 5 || length > remaining) {
    throw new OnnxFormatError(
      `Truncated or corrupt ONNX model: ${schema.name} field claims ${length} bytes, ` +
        `${Math.max(0, remaining)} remain`,
      base + start,
    );
  }
  return length;
}

/** Reads a scalar field value; returns null for skipped fields and records spans for payloads. */
function readScalarField(
  reader: Reader,
  spec: FieldSpec | undefined,
  wireType: number,
  base: number,
): RawValue | null {
  const start = reader.pos;
  if (spec?.kind === 'varint') {
    return readInt64(reader);
  }
  if (spec?.kind === 'float') {
    return reader.float();
  }
  reader.skipType(wireType);
  if (spec?.kind === 'span') {
    return { kind: 'span', offset: base + start, length: reader.pos - start, wireType };
  }
  return null;
}

/** Decodes a length-delimited value already in memory (`bytes[0]` is at file offset `base`). */
function decodeDelimited(
  spec: FieldSpec,
  bytes: Uint8Array,
  base: number,
  depth: number,
): RawValue[] {
  switch (spec.kind) {
    case 'message':
      return [decodeInline(bytes, base, spec.schema(), depth + 1)];
    case 'string':
      checkStringLength(bytes.length, base);
      return [util.utf8.read(bytes, 0, bytes.length)];
    case 'varint':
    case 'float': {
      // A packed repeated scalar: decode every element.
      const reader = new Reader(bytes);
      const values: number[] = [];
      while (reader.pos < reader.len) {
        values.push(spec.kind === 'varint' ? readInt64(reader) : reader.float());
      }
      return values;
    }
    case 'span':
      return [{ kind: 'span', offset: base, length: bytes.length, wireType: 2 }];
  }
}

function checkStringLength(length: number, offset: number): void {
  if (length > MAX_STRING) {
    throw new OnnxFormatError(`Corrupt ONNX model: a ${length}-byte string is implausible`, offset);
  }
}

function checkDepth(depth: number, schema: MessageSchema, offset: number): void {
  if (depth > MAX_DEPTH) {
    throw new OnnxFormatError(
      `Corrupt ONNX model: ${schema.name} nested deeper than ${MAX_DEPTH} levels`,
      offset,
    );
  }
}

/** Rewraps protobufjs's range errors (a varint running past the end) once, with context. */
function rethrow(error: unknown, schema: MessageSchema, offset: number): never {
  if (error instanceof OnnxFormatError || error instanceof OnnxReadAbortedError) {
    throw error;
  }
  throw new OnnxFormatError(
    `Truncated or corrupt ONNX model: bad field in ${schema.name}`,
    offset,
    {
      cause: error,
    },
  );
}

function finish(schema: MessageSchema, offset: number, length: number, fields: MutableFields) {
  return { kind: 'message', type: schema.name, offset, length, fields } as const;
}

/** Decodes a message held entirely in memory; `base` is the file offset of `bytes[0]`. */
export function decodeInline(
  bytes: Uint8Array,
  base: number,
  schema: MessageSchema,
  depth: number,
): RawMessage {
  checkDepth(depth, schema, base);
  const fields: MutableFields = new Map();
  const reader = new Reader(bytes);
  const end = base + bytes.length;
  let fieldStart = 0;
  try {
    while (reader.pos < reader.len) {
      fieldStart = reader.pos;
      const [field, wireType] = readTag(reader, schema, base + fieldStart);
      const spec = schema.fields.get(field);
      if (wireType !== 2) {
        const value = readScalarField(reader, spec, wireType, base);
        if (value !== null) {
          push(fields, field, value);
        }
        continue;
      }
      const length = readLength(reader, base, end, schema);
      const valueStart = reader.pos;
      reader.pos += length;
      if (spec !== undefined) {
        const slice = bytes.subarray(valueStart, valueStart + length);
        for (const value of decodeDelimited(spec, slice, base + valueStart, depth)) {
          push(fields, field, value);
        }
      }
    }
  } catch (error) {
    rethrow(error, schema, base + fieldStart);
  }
  return finish(schema, base, bytes.length, fields);
}

/**
 * A read-ahead window over a {@link ByteSource}. Requests inside the window cost nothing; others
 * read just what is needed (plus a little read-ahead, never past the enclosing message).
 */
export class ByteWindow {
  private buffer: Uint8Array = new Uint8Array(0);
  private base = 0;

  constructor(
    readonly source: ByteSource,
    private readonly signal: AbortSignalLike | undefined,
  ) {}

  /** Returns bytes `[offset, offset + length)`, reading ahead up to `limit`. */
  async bytes(offset: number, length: number, limit = offset + length): Promise<Uint8Array> {
    if (this.signal?.aborted) {
      throw new OnnxReadAbortedError();
    }
    const inWindow = offset >= this.base && offset + length <= this.base + this.buffer.length;
    if (!inWindow) {
      const want = Math.min(Math.max(length, READ_AHEAD), limit - offset);
      this.buffer = await this.source.read(offset, want);
      this.base = offset;
      if (this.buffer.length < length) {
        throw new OnnxFormatError(
          `Truncated ONNX model: needed ${length} bytes, the file has ${this.buffer.length}`,
          offset,
        );
      }
    }
    return this.buffer.subarray(offset - this.base, offset - this.base + length);
  }
}

/** Decodes the message at `[offset, offset + length)`, streaming it when it is large. */
export async function decodeAt(
  window: ByteWindow,
  offset: number,
  length: number,
  schema: MessageSchema,
  depth = 0,
): Promise<RawMessage> {
  if (length <= INLINE_LIMIT) {
    return decodeInline(await window.bytes(offset, length), offset, schema, depth);
  }
  checkDepth(depth, schema, offset);
  const fields: MutableFields = new Map();
  const end = offset + length;
  let position = offset;
  while (position < end) {
    const header = await window.bytes(position, Math.min(MAX_HEADER, end - position), end);
    const reader = new Reader(header);
    let field = 0;
    let wireType = 0;
    let valueLength = 0;
    let value: RawValue | null = null;
    try {
      [field, wireType] = readTag(reader, schema, position);
      if (wireType === 2) {
        valueLength = readLength(reader, position, end, schema);
      } else {
        value = readScalarField(reader, schema.fields.get(field), wireType, position);
      }
    } catch (error) {
      rethrow(error, schema, position);
    }
    const valueStart = position + reader.pos;
    position = valueStart + valueLength;
    if (value !== null) {
      push(fields, field, value);
    }
    const spec = schema.fields.get(field);
    if (wireType !== 2 || spec === undefined) {
      continue;
    }
    if (spec.kind === 'message') {
      push(
        fields,
        field,
        await decodeAt(window, valueStart, valueLength, spec.schema(), depth + 1),
      );
    } else if (spec.kind === 'span') {
      push(fields, field, { kind: 'span', offset: valueStart, length: valueLength, wireType });
    } else {
      if (spec.kind === 'string') {
        checkStringLength(valueLength, valueStart);
      }
      const bytes = await window.bytes(valueStart, valueLength, end);
      for (const item of decodeDelimited(spec, bytes, valueStart, depth)) {
        push(fields, field, item);
      }
    }
  }
  return finish(schema, offset, length, fields);
}

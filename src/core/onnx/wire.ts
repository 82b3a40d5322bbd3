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

/**
 * A decoded message: values by field number, in file order. Only the schema's fields are kept, so
 * the array is small (field numbers stay below 30), and each field holds one kind of value.
 */
export interface RawMessage {
  readonly kind: 'message';
  readonly type: string;
  readonly offset: number;
  readonly length: number;
  readonly fields: readonly (readonly RawValue[] | undefined)[];
}

/** One decoded field value. Varints become numbers (exact up to 2^53), floats numbers too. */
export type RawValue = number | string | Span | RawMessage;

/** Messages up to this size are read in one piece; larger ones are walked field by field. */
const INLINE_LIMIT = 64 * 1024;
/**
 * How much the streaming walker reads ahead when it needs a field header: small after a jump over
 * a tensor payload (the next header is all it needs), doubling while reads follow each other (a
 * graph of many small nodes is then read in a few large pieces).
 */
const READ_AHEAD = 16 * 1024;
const MAX_READ_AHEAD = 1024 * 1024;
/** A tag (5 bytes) plus the longest varint (10 bytes). */
const MAX_HEADER = 15;
/** Nesting guard: graph → node → attribute → graph … about 30 subgraph levels. */
export const MAX_DEPTH = 100;
/** Longest string field accepted; names and doc strings are far shorter in real models. */
const MAX_STRING = 16 * 1024 * 1024;

type MutableFields = (RawValue[] | undefined)[];

function push(fields: MutableFields, field: number, value: RawValue): void {
  const list = fields[field];
  if (list) {
    list.push(value);
  } else {
    fields[field] = [value];
  }
}

/**
 * protobufjs checks a uint32 varint against the reader's end only after five bytes; a message
 * decoded inside a larger buffer must not let a tag or length run into the bytes after it.
 */
function checkInside(reader: Reader, end: number): void {
  if (reader.pos > end) {
    throw new RangeError(`index out of range: ${reader.pos} > ${end}`);
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
  checkInside(reader, reader.len);
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
  // Fast path: non-negative values below 2^28 (every dim, type and most attributes) fit in four
  // bytes, which are read here without protobufjs's LongBits (and Long) objects.
  const buf = reader.buf;
  let pos = reader.pos;
  if (reader.len - pos >= 4) {
    let value = 0;
    for (let shift = 0; shift < 28; shift += 7) {
      const byte = buf[pos++] ?? 0;
      value |= (byte & 127) << shift;
      if (byte < 128) {
        reader.pos = pos;
        return value;
      }
    }
  }
  const value: unknown = reader.int64();
  return typeof value === 'number' ? value : (value as { toNumber(): number }).toNumber();
}

/** Reads a length prefix and checks that it fits in what is left of the enclosing message. */
function readLength(reader: Reader, base: number, end: number, schema: MessageSchema): number {
  const start = reader.pos;
  const length = reader.uint32();
  checkInside(reader, reader.len);
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

/**
 * Decodes the length-delimited value at `reader.buf[start, end)` into `fields`; `base` is the file
 * offset of `reader.buf[0]`. Moves the reader; the caller restores its position and end.
 */
function decodeDelimited(
  reader: Reader,
  base: number,
  start: number,
  end: number,
  spec: FieldSpec,
  depth: number,
  fields: MutableFields,
  field: number,
): void {
  switch (spec.kind) {
    case 'message':
      push(fields, field, decodeRange(reader, base, start, end, spec.schema(), depth + 1));
      return;
    case 'string':
      checkStringLength(end - start, base + start);
      push(fields, field, readUtf8(reader.buf, start, end));
      return;
    case 'varint':
    case 'float':
      // A packed repeated scalar: decode every element.
      reader.pos = start;
      reader.len = end;
      while (reader.pos < end) {
        push(fields, field, spec.kind === 'varint' ? readInt64(reader) : reader.float());
      }
      return;
    case 'span':
      push(fields, field, { kind: 'span', offset: base + start, length: end - start, wireType: 2 });
  }
}

/**
 * Decodes UTF-8 text at `buf[start, end)`. protobufjs's decoder may read past `end` inside a
 * truncated multi-byte sequence, so text that is not plain ASCII is decoded from its own slice.
 */
function readUtf8(buf: Uint8Array, start: number, end: number): string {
  for (let k = start; k < end; k++) {
    if ((buf[k] ?? 0) >= 0x80) {
      return util.utf8.read(buf.subarray(start, end), 0, end - start);
    }
  }
  return util.utf8.read(buf, start, end);
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

/**
 * Decodes the message at `reader.buf[start, end)` (`base` is the file offset of `reader.buf[0]`).
 * Nested messages are decoded from the same buffer and reader: no copy, no reader per message.
 */
function decodeRange(
  reader: Reader,
  base: number,
  start: number,
  end: number,
  schema: MessageSchema,
  depth: number,
): RawMessage {
  checkDepth(depth, schema, base + start);
  const fields: MutableFields = [];
  const outerEnd = reader.len;
  reader.pos = start;
  reader.len = end;
  let fieldStart = start;
  try {
    while (reader.pos < end) {
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
      const length = readLength(reader, base, base + end, schema);
      const valueStart = reader.pos;
      if (spec !== undefined) {
        decodeDelimited(reader, base, valueStart, valueStart + length, spec, depth, fields, field);
        reader.len = end;
      }
      reader.pos = valueStart + length;
    }
  } catch (error) {
    rethrow(error, schema, base + fieldStart);
  }
  reader.len = outerEnd;
  return finish(schema, base + start, end - start, fields);
}

/** Decodes a message held entirely in memory; `base` is the file offset of `bytes[0]`. */
export function decodeInline(
  bytes: Uint8Array,
  base: number,
  schema: MessageSchema,
  depth: number,
): RawMessage {
  return decodeRange(new Reader(bytes), base, 0, bytes.length, schema, depth);
}

/**
 * A read-ahead window over a {@link ByteSource}. Requests inside the window cost nothing; others
 * read what is needed plus the read-ahead, never past the enclosing message. Messages held in the
 * window are decoded in place through one shared reader.
 */
export class ByteWindow {
  private buffer: Uint8Array = new Uint8Array(0);
  private base = 0;
  private readAhead = READ_AHEAD;
  private reader = new Reader(this.buffer);

  constructor(
    readonly source: ByteSource,
    private readonly signal: AbortSignalLike | undefined,
  ) {}

  /** Throws {@link OnnxReadAbortedError} once the caller's signal has fired. */
  checkSignal(): void {
    if (this.signal?.aborted) {
      throw new OnnxReadAbortedError();
    }
  }

  /** True when bytes `[offset, offset + length)` are in memory. */
  holds(offset: number, length: number): boolean {
    return offset >= this.base && offset + length <= this.base + this.buffer.length;
  }

  /** Reads bytes `[offset, offset + length)` into the window, reading ahead up to `limit`. */
  async load(offset: number, length: number, limit = offset + length): Promise<void> {
    this.checkSignal();
    const follows = offset >= this.base && offset <= this.base + this.buffer.length;
    this.readAhead = follows ? Math.min(2 * this.readAhead, MAX_READ_AHEAD) : READ_AHEAD;
    const want = Math.min(Math.max(length, this.readAhead), limit - offset);
    this.buffer = await this.source.read(offset, want);
    this.base = offset;
    this.reader = new Reader(this.buffer);
    if (this.buffer.length < length) {
      throw new OnnxFormatError(
        `Truncated ONNX model: needed ${length} bytes, the file has ${this.buffer.length}`,
        offset,
      );
    }
  }

  /** Returns bytes `[offset, offset + length)`, reading ahead up to `limit`. */
  async bytes(offset: number, length: number, limit = offset + length): Promise<Uint8Array> {
    this.checkSignal();
    if (!this.holds(offset, length)) {
      await this.load(offset, length, limit);
    }
    return this.buffer.subarray(offset - this.base, offset - this.base + length);
  }

  /** The shared reader over the window, positioned at `offset` and ending `length` bytes later. */
  readerAt(offset: number, length: number): Reader {
    this.reader.pos = offset - this.base;
    this.reader.len = offset - this.base + length;
    return this.reader;
  }

  /** File offset of the window's first byte (the `base` of positions in {@link readerAt}). */
  get offset(): number {
    return this.base;
  }

  /** Decodes a message that {@link holds} already has in memory. */
  decodeHeld(offset: number, length: number, schema: MessageSchema, depth: number): RawMessage {
    const start = offset - this.base;
    this.reader.len = this.buffer.length;
    return decodeRange(this.reader, this.base, start, start + length, schema, depth);
  }
}

/**
 * Decodes the message at `[offset, offset + length)`, streaming it when it is large. `limit` is
 * the end of the enclosing message, up to which a read may look ahead.
 */
export async function decodeAt(
  window: ByteWindow,
  offset: number,
  length: number,
  schema: MessageSchema,
  depth = 0,
  limit = offset + length,
): Promise<RawMessage> {
  window.checkSignal();
  if (length <= INLINE_LIMIT) {
    if (!window.holds(offset, length)) {
      await window.load(offset, length, limit);
    }
    return window.decodeHeld(offset, length, schema, depth);
  }
  checkDepth(depth, schema, offset);
  const fields: MutableFields = [];
  const end = offset + length;
  let position = offset;
  while (position < end) {
    window.checkSignal();
    const headerLength = Math.min(MAX_HEADER, end - position);
    if (!window.holds(position, headerLength)) {
      await window.load(position, headerLength, end);
    }
    const reader = window.readerAt(position, headerLength);
    const base = window.offset;
    let field = 0;
    let wireType = 0;
    let valueLength = 0;
    let value: RawValue | null = null;
    try {
      [field, wireType] = readTag(reader, schema, position);
      if (wireType === 2) {
        valueLength = readLength(reader, base, end, schema);
      } else {
        value = readScalarField(reader, schema.fields.get(field), wireType, base);
      }
    } catch (error) {
      rethrow(error, schema, position);
    }
    const fieldStart = position;
    const valueStart = base + reader.pos;
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
        await decodeAt(window, valueStart, valueLength, spec.schema(), depth + 1, end),
      );
    } else if (spec.kind === 'span') {
      push(fields, field, { kind: 'span', offset: valueStart, length: valueLength, wireType });
    } else {
      if (spec.kind === 'string') {
        checkStringLength(valueLength, valueStart);
      }
      if (!window.holds(valueStart, valueLength)) {
        await window.load(valueStart, valueLength, end);
      }
      const at = window.readerAt(valueStart, valueLength);
      try {
        decodeDelimited(at, window.offset, at.pos, at.len, spec, depth, fields, field);
      } catch (error) {
        rethrow(error, schema, fieldStart);
      }
    }
  }
  return finish(schema, offset, length, fields);
}

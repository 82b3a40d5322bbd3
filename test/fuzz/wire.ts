/**
 * A tolerant protobuf field scanner for the mutators: it finds the fields of a message (and, by
 * trying each length-delimited payload as a message, of nested ones) without a schema, and rebuilds
 * a message after an edit with every enclosing length prefix corrected.
 */

/** One field found in the bytes; offsets are absolute. */
export interface WireField {
  readonly field: number;
  readonly wireType: number;
  /** Offset of the tag. */
  readonly start: number;
  /** Offset of the length prefix (wire type 2) or of the value. */
  readonly valueStart: number;
  /** Offset of the payload (after the length prefix for wire type 2). */
  readonly payloadStart: number;
  readonly end: number;
  /** Field numbers from the outermost message down to this field. */
  readonly path: readonly number[];
  /** Enclosing length-delimited fields, outermost first. */
  readonly ancestors: readonly WireField[];
}

/** Encodes an unsigned varint; negative numbers take ten bytes, as protobuf writes int64. */
export function varint(value: number | bigint): Uint8Array {
  let v = BigInt.asUintN(64, BigInt(value));
  const out: number[] = [];
  do {
    const low = Number(v & 0x7fn);
    v >>= 7n;
    out.push(v === 0n ? low : low | 0x80);
  } while (v !== 0n);
  return Uint8Array.from(out);
}

/** A field tag. */
export function tag(field: number, wireType: number): Uint8Array {
  return varint(field * 8 + wireType);
}

/** Concatenates byte arrays. */
export function concat(...parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

/** A length-delimited field. */
export function delimited(field: number, payload: Uint8Array): Uint8Array {
  return concat(tag(field, 2), varint(payload.length), payload);
}

/** Reads a varint at `at`; undefined when it runs past `end` or is longer than ten bytes. */
function readVarint(bytes: Uint8Array, at: number, end: number): [number, number] | undefined {
  let value = 0;
  let scale = 1;
  for (let k = 0; k < 10 && at + k < end; k++) {
    const byte = bytes[at + k] ?? 0;
    value += (byte & 0x7f) * scale;
    scale *= 128;
    if ((byte & 0x80) === 0) {
      return [value, at + k + 1];
    }
  }
  return undefined;
}

/** The fields of the message at `[start, end)`, or undefined when the bytes are not one. */
function scanMessage(
  bytes: Uint8Array,
  start: number,
  end: number,
  path: readonly number[],
  ancestors: readonly WireField[],
): WireField[] | undefined {
  const fields: WireField[] = [];
  let at = start;
  while (at < end) {
    const header = readVarint(bytes, at, end);
    if (!header) {
      return undefined;
    }
    const [key, valueStart] = header;
    const field = Math.floor(key / 8);
    const wireType = key % 8;
    let payloadStart = valueStart;
    let fieldEnd: number;
    if (field === 0) {
      return undefined;
    } else if (wireType === 0) {
      const value = readVarint(bytes, valueStart, end);
      if (!value) {
        return undefined;
      }
      fieldEnd = value[1];
    } else if (wireType === 1 || wireType === 5) {
      fieldEnd = valueStart + (wireType === 1 ? 8 : 4);
    } else if (wireType === 2) {
      const length = readVarint(bytes, valueStart, end);
      if (!length) {
        return undefined;
      }
      payloadStart = length[1];
      fieldEnd = payloadStart + length[0];
    } else {
      return undefined;
    }
    if (fieldEnd > end) {
      return undefined;
    }
    fields.push({
      field,
      wireType,
      start: at,
      valueStart,
      payloadStart,
      end: fieldEnd,
      path: [...path, field],
      ancestors,
    });
    at = fieldEnd;
  }
  return fields;
}

/**
 * Every field of the message in `bytes`, nested ones included (a length-delimited payload that
 * scans as a message is treated as one), down to `maxDepth` levels, in file order. At most `limit`
 * fields are listed so that a huge model does not make the mutator itself slow.
 */
export function allFields(bytes: Uint8Array, maxDepth = 12, limit = 20_000): WireField[] {
  const found: WireField[] = [];
  const visit = (
    start: number,
    end: number,
    path: readonly number[],
    ancestors: readonly WireField[],
  ) => {
    const fields = scanMessage(bytes, start, end, path, ancestors);
    if (!fields || (ancestors.length > 0 && fields.length === 0)) {
      return;
    }
    for (const f of fields) {
      if (found.length >= limit) {
        return;
      }
      found.push(f);
      if (f.wireType === 2 && ancestors.length < maxDepth && f.end > f.payloadStart) {
        visit(f.payloadStart, f.end, f.path, [...ancestors, f]);
      }
    }
  };
  visit(0, bytes.length, [], []);
  return found;
}

/**
 * Replaces `[start, end)` with `replacement` and rewrites the length prefix of every ancestor, so
 * the edited message is still well-formed protobuf around the change.
 */
export function splice(
  bytes: Uint8Array,
  ancestors: readonly WireField[],
  start: number,
  end: number,
  replacement: Uint8Array,
): Uint8Array {
  const region = (from: number, to: number, chain: readonly WireField[]): Uint8Array => {
    const [outer, ...rest] = chain;
    if (!outer) {
      return concat(bytes.subarray(from, start), replacement, bytes.subarray(end, to));
    }
    const inner = region(outer.payloadStart, outer.end, rest);
    return concat(
      bytes.subarray(from, outer.start),
      bytes.subarray(outer.start, outer.valueStart),
      varint(inner.length),
      inner,
      bytes.subarray(outer.end, to),
    );
  };
  return region(0, bytes.length, ancestors);
}

/**
 * Decides "ONNX or not" from at most the first 256 bytes, before any real decoding, so that a JPEG
 * or a JSON file is rejected with a clear message instead of a confusing decode error.
 */
import { Reader } from 'protobufjs/minimal';
import type { ByteSource } from '../bytes/byte-source';
import { OnnxFormatError } from './errors';
import { MODEL } from './schema';
import { readInt64 } from './wire';

/** How many bytes the sniffer looks at. */
export const SNIFF_BYTES = 256;

/** ModelProto fields and the wire type each must have. Unlisted fields end the check. */
const PROLOGUE: ReadonlyMap<number, number> = new Map([
  [MODEL.irVersion, 0],
  [MODEL.producerName, 2],
  [MODEL.producerVersion, 2],
  [MODEL.domain, 2],
  [MODEL.modelVersion, 0],
  [6, 2], // doc_string
  [MODEL.graph, 2],
  [MODEL.opsetImport, 2],
  [MODEL.metadataProps, 2],
  [20, 2], // training_info
  [MODEL.functions, 2],
]);

/** Highest plausible IR version (1.23 uses 11); leaves room for future ones. */
const MAX_IR_VERSION = 64;

function notOnnx(detail: string, offset: number): OnnxFormatError {
  return new OnnxFormatError(`Not an ONNX model: ${detail}`, offset);
}

/**
 * Checks the ModelProto prologue in `head` (the first bytes of a file of `size` bytes). Throws an
 * {@link OnnxFormatError} when the bytes cannot start an ONNX model. Pure: it reads nothing else.
 */
export function sniffOnnxHead(head: Uint8Array, size: number): void {
  if (size === 0) {
    throw notOnnx('the file is empty', 0);
  }
  const reader = new Reader(head);
  let fields = 0;
  while (reader.pos < reader.len) {
    const start = reader.pos;
    let tag: number;
    try {
      tag = reader.uint32();
    } catch {
      // The window ended inside a tag: nothing more to learn from these bytes.
      break;
    }
    const field = tag >>> 3;
    const wireType = tag & 7;
    const expected = PROLOGUE.get(field);
    if (expected === undefined || wireType !== expected) {
      if (fields > 0 && expected === undefined && [0, 1, 2, 5].includes(wireType)) {
        break; // An unknown later field (a newer spec): accept what was already seen.
      }
      throw notOnnx(
        expected === undefined
          ? `unexpected field ${field} with wire type ${wireType}`
          : `field ${field} has wire type ${wireType}, expected ${expected}`,
        start,
      );
    }
    fields++;
    try {
      if (wireType === 0) {
        const value = readInt64(reader);
        if (field === MODEL.irVersion && (value < 1 || value > MAX_IR_VERSION)) {
          throw notOnnx(`implausible ir_version ${value}`, start);
        }
      } else {
        const length = reader.uint32();
        if (length > size - reader.pos) {
          // The prologue looked like ONNX so far: a field running past the end means truncation.
          throw new OnnxFormatError(
            `Truncated or corrupt ONNX model: ModelProto field ${field} claims ${length} bytes, ` +
              `${size - reader.pos} remain`,
            start,
          );
        }
        if (reader.pos + length > reader.len) {
          break; // The field runs past the window; the rest is checked while decoding.
        }
        reader.skip(length);
      }
    } catch (error) {
      if (error instanceof OnnxFormatError) {
        throw error;
      }
      break;
    }
  }
  if (fields === 0) {
    throw notOnnx('no ModelProto fields at the start', 0);
  }
}

/** Reads at most {@link SNIFF_BYTES} from the start of `source` and checks them. */
export async function sniffOnnx(source: ByteSource): Promise<void> {
  const head = await source.read(0, Math.min(SNIFF_BYTES, source.size));
  sniffOnnxHead(head, source.size);
}

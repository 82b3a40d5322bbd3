/**
 * The weights manifest of a model.json: where each named weight lives in its group's shards, and
 * lazy reading of one weight's values (float32, int32, float16, and uint8/uint16 quantized).
 * Shards are opened through the host's `loadShard`; only the bytes of the requested weight are read.
 */
import type { ByteSource } from '../../bytes/byte-source';
import { halfToFloat } from '../../onnx/tensor-layout';
import { arrayOf, field, numberOf, stringOf } from './json';

/** Where one weight is and how it is stored. */
export interface WeightEntry {
  readonly name: string;
  readonly shape: readonly number[];
  /** The logical dtype (`float32`, `int32`). */
  readonly dtype: string;
  /** The stored dtype when quantized (`uint8`, `uint16`, `float16`). */
  readonly storedAs?: string;
  readonly scale?: number;
  readonly min?: number;
  /** Shard paths of the group, in order (the group's bytes are their concatenation). */
  readonly paths: readonly string[];
  /** Byte offset within the group, or undefined when a string weight before it hides it. */
  readonly offset: number | undefined;
  readonly byteLength: number;
}

/** Reads a shard named as in the manifest (relative to the model.json). */
export type ShardLoader = (path: string) => Promise<ByteSource>;

const BYTES: Readonly<Record<string, number>> = {
  float32: 4,
  int32: 4,
  bool: 1,
  uint8: 1,
  uint16: 2,
  float16: 2,
  int8: 1,
  int16: 2,
};

/** Every weight of the manifest with its place in the group. */
export function manifestEntries(manifest: unknown): WeightEntry[] {
  const entries: WeightEntry[] = [];
  for (const group of arrayOf(manifest)) {
    const paths = arrayOf(field(group, 'paths'))
      .map(stringOf)
      .filter((p): p is string => p !== undefined);
    let offset: number | undefined = 0;
    for (const weight of arrayOf(field(group, 'weights'))) {
      const shape = arrayOf(field(weight, 'shape'))
        .map(numberOf)
        .filter((d): d is number => d !== undefined);
      const dtype = stringOf(field(weight, 'dtype')) ?? 'float32';
      const quantization = field(weight, 'quantization');
      const storedAs = stringOf(field(quantization, 'dtype'));
      const size = BYTES[storedAs ?? dtype];
      const count = shape.reduce((a, b) => a * b, 1);
      const byteLength = size === undefined ? 0 : count * size;
      const scale = numberOf(field(quantization, 'scale'));
      const min = numberOf(field(quantization, 'min'));
      entries.push({
        name: stringOf(field(weight, 'name')) ?? '',
        shape,
        dtype,
        paths,
        offset,
        byteLength,
        ...(storedAs !== undefined ? { storedAs } : {}),
        ...(scale !== undefined ? { scale } : {}),
        ...(min !== undefined ? { min } : {}),
      });
      // String weights have data-dependent sizes: everything after them cannot be located.
      offset = size === undefined || offset === undefined ? undefined : offset + byteLength;
    }
  }
  return entries;
}

/** Why a shard path is refused: absolute, with a scheme, or climbing out of the model's folder. */
export function unsafeShardPath(path: string): string | undefined {
  if (/^[a-z][a-z0-9+.-]*:/i.test(path) || path.startsWith('/') || path.startsWith('\\')) {
    return 'absolute paths and URLs are not followed';
  }
  return path.split(/[\\/]/).includes('..') ? "paths with '..' are not followed" : undefined;
}

/** Opens shards once each and reads byte ranges that may span several of them. */
export class ShardReader {
  private readonly opened = new Map<string, Promise<ByteSource>>();

  constructor(private readonly load: ShardLoader) {}

  /** The values of one weight as float32 (dequantized), or an error message. */
  async values(entry: WeightEntry): Promise<Float32Array | string> {
    if (entry.offset === undefined) {
      return `${entry.name} follows a string weight, so its bytes cannot be located`;
    }
    const stored = entry.storedAs ?? entry.dtype;
    if (!['float32', 'int32', 'float16', 'uint8', 'uint16'].includes(stored)) {
      return `${entry.name} is stored as ${stored}, which NormLens does not read`;
    }
    // Shapes are untrusted: negative, fractional or astronomically large sizes name no real bytes.
    if (!isByteCount(entry.byteLength) || !isByteCount(entry.offset)) {
      return `${entry.name}: shape [${entry.shape.join(', ')}] does not describe readable bytes`;
    }
    for (const path of entry.paths) {
      const unsafe = unsafeShardPath(path);
      if (unsafe !== undefined) {
        return `shard '${path}': ${unsafe}`;
      }
    }
    const bytes = await this.read(entry.paths, entry.offset, entry.byteLength);
    if (bytes.byteLength < entry.byteLength) {
      return `${entry.name}: the shards end after ${bytes.byteLength} of ${entry.byteLength} bytes`;
    }
    return decode(bytes, stored, entry);
  }

  private async read(
    paths: readonly string[],
    offset: number,
    length: number,
  ): Promise<Uint8Array> {
    // Chunks are joined at the end, so no more memory is taken than the shards really hold.
    const chunks: Uint8Array[] = [];
    let start = 0;
    let filled = 0;
    for (const path of paths) {
      if (filled === length) {
        break;
      }
      let source = this.opened.get(path);
      if (!source) {
        source = this.load(path);
        this.opened.set(path, source);
      }
      const shard = await source;
      const end = start + shard.size;
      const from = offset + filled;
      if (from < end) {
        const chunk = await shard.read(from - start, Math.min(length - filled, end - from));
        chunks.push(chunk);
        filled += chunk.byteLength;
        if (chunk.byteLength === 0) {
          break;
        }
      }
      start = end;
    }
    if (chunks.length === 1 && chunks[0]) {
      return chunks[0];
    }
    const out = new Uint8Array(filled);
    let at = 0;
    for (const chunk of chunks) {
      out.set(chunk, at);
      at += chunk.byteLength;
    }
    return out;
  }
}

function isByteCount(value: number): boolean {
  return Number.isSafeInteger(value) && value >= 0;
}

function decode(bytes: Uint8Array, stored: string, entry: WeightEntry): Float32Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const count = entry.byteLength / (BYTES[stored] ?? 1);
  const values = new Float32Array(count);
  const scale = entry.scale ?? 1;
  const min = entry.min ?? 0;
  for (let i = 0; i < count; i++) {
    switch (stored) {
      case 'float32':
        values[i] = view.getFloat32(4 * i, true);
        break;
      case 'int32':
        values[i] = view.getInt32(4 * i, true);
        break;
      case 'float16':
        values[i] = halfToFloat(view.getUint16(2 * i, true));
        break;
      case 'uint8':
        values[i] = view.getUint8(i) * scale + min;
        break;
      default:
        values[i] = view.getUint16(2 * i, true) * scale + min;
    }
  }
  return values;
}

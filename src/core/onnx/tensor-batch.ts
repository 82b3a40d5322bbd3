/**
 * Reads the values of many tensors in one pass: their byte ranges are sorted by offset and
 * neighbours are read together, so the weights of 10,000 layers cost a handful of reads instead of
 * one per tensor. Anything the pass cannot read in bulk falls back to {@link readTensorValues},
 * which also gives the exact error for a tensor that cannot be read.
 */
import type { ByteSource } from '../bytes/byte-source';
import { readTensorValues } from './tensor';
import { bytesPerElement, decodeRaw } from './tensor-layout';
import type { OnnxModel, OnnxTensor } from './types';

/** Ranges separated by less than this are read together; the gap is read and dropped. */
const MAX_GAP = 64 * 1024;
/** A combined read stops growing at this size, so memory stays bounded on big models. */
const MAX_READ = 4 * 1024 * 1024;

/** A tensor's values, or why they could not be read. */
export type TensorValues =
  | { readonly ok: true; readonly values: Float32Array }
  | { readonly ok: false; readonly error: unknown };

/** A tensor whose values are one contiguous little-endian range of a source. */
interface Range {
  readonly tensor: OnnxTensor;
  readonly offset: number;
  readonly length: number;
}

/** Where a tensor's bytes lie, when they are one range (`''` is the model file itself). */
function rangeOf(tensor: OnnxTensor): { location: string; range: Range } | undefined {
  const width = bytesPerElement(tensor.dataType);
  const data = tensor.data;
  if (width === undefined) {
    return undefined;
  }
  if (data.type === 'raw') {
    return { location: '', range: { tensor, offset: data.offset, length: data.length } };
  }
  if (data.type === 'external' && (data.length ?? width * tensor.size) === width * tensor.size) {
    return {
      location: data.location,
      range: { tensor, offset: data.offset, length: width * tensor.size },
    };
  }
  return undefined;
}

/** Splits ranges sorted by offset into groups that are each read at once. */
function coalesce(sorted: readonly Range[]): Range[][] {
  const groups: Range[][] = [];
  let group: Range[] = [];
  let start = 0;
  let end = 0;
  for (const range of sorted) {
    const rangeEnd = range.offset + range.length;
    const joins =
      group.length > 0 &&
      range.offset - end <= MAX_GAP &&
      Math.max(end, rangeEnd) - start <= MAX_READ;
    if (!joins) {
      if (group.length > 0) {
        groups.push(group);
      }
      group = [];
      start = range.offset;
      end = rangeEnd;
    }
    group.push(range);
    end = Math.max(end, rangeEnd);
  }
  if (group.length > 0) {
    groups.push(group);
  }
  return groups;
}

async function settle(model: OnnxModel, tensor: OnnxTensor): Promise<TensorValues> {
  try {
    return { ok: true, values: await readTensorValues(model, tensor) };
  } catch (error) {
    return { ok: false, error };
  }
}

/** Reads one group with a single read; a short read sends its tensors to the one-by-one path. */
async function readGroup(
  model: OnnxModel,
  source: ByteSource,
  group: readonly Range[],
  out: Map<OnnxTensor, TensorValues>,
): Promise<void> {
  const start = group[0]?.offset ?? 0;
  const end = group.reduce((max, r) => Math.max(max, r.offset + r.length), start);
  const bytes = end <= source.size ? await source.read(start, end - start) : undefined;
  for (const { tensor, offset, length } of group) {
    if (bytes === undefined || bytes.length < end - start) {
      out.set(tensor, await settle(model, tensor));
    } else {
      const slice = bytes.subarray(offset - start, offset - start + length);
      out.set(tensor, { ok: true, values: decodeRaw(slice, tensor.dataType, tensor.size) });
    }
  }
}

/**
 * Reads the values of `tensors` (as float32, like {@link readTensorValues}) with as few reads as
 * possible. Never rejects for a tensor that cannot be read: its entry holds the error instead.
 */
export async function readTensorsBatched(
  model: OnnxModel,
  tensors: Iterable<OnnxTensor>,
): Promise<Map<OnnxTensor, TensorValues>> {
  const out = new Map<OnnxTensor, TensorValues>();
  const bySource = new Map<string, Range[]>();
  const single: OnnxTensor[] = [];
  for (const tensor of new Set(tensors)) {
    const found = rangeOf(tensor);
    if (!found) {
      single.push(tensor);
      continue;
    }
    const list = bySource.get(found.location);
    if (list) {
      list.push(found.range);
    } else {
      bySource.set(found.location, [found.range]);
    }
  }
  for (const [location, ranges] of bySource) {
    let source: ByteSource | undefined;
    try {
      source = location === '' ? model.source : await model.resolveExternal?.(location);
    } catch {
      // The one-by-one path reports the refusal or the missing file for each tensor.
      source = undefined;
    }
    if (!source) {
      single.push(...ranges.map((r) => r.tensor));
      continue;
    }
    const sorted = [...ranges].sort((a, b) => a.offset - b.offset);
    for (const group of coalesce(sorted)) {
      await readGroup(model, source, group, out);
    }
  }
  for (const tensor of single) {
    out.set(tensor, await settle(model, tensor));
  }
  return out;
}

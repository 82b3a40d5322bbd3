/**
 * Reads a tensor's values on demand: raw_data, typed fields or external data. Values are cached per
 * model by `location:offset:length`, so a panel asking twice reads the bytes once.
 */
import type { ByteSource } from '../bytes/byte-source';
import { OnnxFormatError } from './errors';
import { bytesPerElement, dataTypeName, decodeRaw, decodeTypedSpan } from './tensor-layout';
import type { OnnxModel, OnnxTensor } from './types';

const caches = new WeakMap<OnnxModel, Map<string, Float32Array>>();

function cacheFor(model: OnnxModel): Map<string, Float32Array> {
  let cache = caches.get(model);
  if (!cache) {
    cache = new Map();
    caches.set(model, cache);
  }
  return cache;
}

function cacheKey(tensor: OnnxTensor): string {
  const data = tensor.data;
  switch (data.type) {
    case 'raw':
      return `:${data.offset}:${data.length}`;
    case 'typed':
      return `:${tensor.offset}:typed`;
    case 'external':
      return `${data.location}:${data.offset}:${data.length ?? ''}`;
    case 'none':
      return `:${tensor.offset}:none`;
  }
}

async function readExact(
  source: ByteSource,
  offset: number,
  length: number,
  what: string,
): Promise<Uint8Array> {
  if (offset + length > source.size) {
    throw new OnnxFormatError(
      `Truncated ONNX model: ${what} needs bytes up to ${offset + length}, the file has ${source.size}`,
      offset,
    );
  }
  const bytes = await source.read(offset, length);
  if (bytes.length < length) {
    throw new OnnxFormatError(`Truncated ONNX model: ${what} could not be read in full`, offset);
  }
  return bytes;
}

async function readExternal(
  model: OnnxModel,
  tensor: OnnxTensor,
  width: number,
): Promise<Float32Array> {
  if (tensor.data.type !== 'external') {
    throw new Error('readExternal called on a tensor without external data');
  }
  const { location, offset } = tensor.data;
  if (!model.resolveExternal) {
    throw new OnnxFormatError(
      `Cannot read tensor '${tensor.name}': external data '${location}' needs a resolver`,
      tensor.offset,
    );
  }
  const source = await model.resolveExternal(location);
  const length = tensor.data.length ?? width * tensor.size;
  if (length !== width * tensor.size) {
    throw new OnnxFormatError(
      `Invalid ONNX model: tensor '${tensor.name}' has ${length} external bytes, its dims need ${width * tensor.size}`,
      tensor.offset,
    );
  }
  const bytes = await readExact(
    source,
    offset,
    length,
    `external data '${location}' of '${tensor.name}'`,
  );
  return decodeRaw(bytes, tensor.dataType, tensor.size);
}

async function readTyped(model: OnnxModel, tensor: OnnxTensor): Promise<Float32Array> {
  if (tensor.data.type !== 'typed') {
    throw new Error('readTyped called on a tensor without typed data');
  }
  // Dims are untrusted: a typed value takes at least one byte, so more elements than stored bytes
  // cannot be there, and allocating for them first could take gigabytes.
  const stored = tensor.data.spans.reduce((sum, span) => sum + span.length, 0);
  if (tensor.size > stored) {
    throw new OnnxFormatError(
      `Invalid ONNX model: tensor '${tensor.name}' stores ${stored} bytes of values, its dims need ${tensor.size} values`,
      tensor.offset,
    );
  }
  const out = new Float32Array(tensor.size);
  let count = 0;
  for (const span of tensor.data.spans) {
    const bytes = await readExact(
      model.source,
      span.offset,
      span.length,
      `tensor '${tensor.name}'`,
    );
    const values = decodeTypedSpan(
      bytes,
      tensor.data.field,
      span.wireType,
      tensor.dataType,
      span.offset,
    );
    for (const value of values) {
      if (count < out.length) {
        out[count] = value;
      }
      count++;
    }
  }
  if (count !== tensor.size) {
    throw new OnnxFormatError(
      `Invalid ONNX model: tensor '${tensor.name}' stores ${count} values, its dims need ${tensor.size}`,
      tensor.offset,
    );
  }
  return out;
}

/**
 * Reads a tensor's values as float32 (integers converted, fp16/bf16 widened). Only this tensor's
 * bytes are read.
 */
export async function readTensorValues(
  model: OnnxModel,
  tensor: OnnxTensor,
): Promise<Float32Array> {
  const width = bytesPerElement(tensor.dataType);
  if (width === undefined) {
    // Data type 0 is UNDEFINED in onnx.proto: say "no data type" rather than "undefined values".
    const what =
      tensor.dataType === 0
        ? 'it has no data type'
        : `${dataTypeName(tensor.dataType)} values are not numeric`;
    throw new OnnxFormatError(`Cannot read tensor '${tensor.name}': ${what}`, tensor.offset);
  }
  const cache = cacheFor(model);
  const key = cacheKey(tensor);
  const cached = cache.get(key);
  if (cached) {
    return cached;
  }
  let values: Float32Array;
  switch (tensor.data.type) {
    case 'raw':
      values = decodeRaw(
        await readExact(
          model.source,
          tensor.data.offset,
          tensor.data.length,
          `tensor '${tensor.name}'`,
        ),
        tensor.dataType,
        tensor.size,
      );
      break;
    case 'typed':
      values = await readTyped(model, tensor);
      break;
    case 'external':
      values = await readExternal(model, tensor, width);
      break;
    case 'none':
      if (tensor.size !== 0) {
        throw new OnnxFormatError(
          `Invalid ONNX model: tensor '${tensor.name}' has no values`,
          tensor.offset,
        );
      }
      values = new Float32Array(0);
  }
  cache.set(key, values);
  return values;
}

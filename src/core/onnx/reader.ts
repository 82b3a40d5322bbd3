/**
 * Entry point of the lazy reader: sniff, decode the structure (skipping weights), build the view.
 */
import type { ByteSource } from '../bytes/byte-source';
import { buildModel } from './build';
import type { AbortSignalLike } from './errors';
import { MODEL_SCHEMA } from './schema';
import { sniffOnnx } from './sniff';
import type { ExternalResolver, OnnxModel } from './types';
import { ByteWindow, decodeAt } from './wire';

/** Options of {@link readOnnxModel}. */
export interface ReadOnnxOptions {
  /** Resolves external-data locations relative to the model's folder; see `src/node`. */
  readonly resolveExternal?: ExternalResolver;
  /** Cancels reading between fields. */
  readonly signal?: AbortSignalLike;
}

/**
 * Reads an ONNX model's structure from `source` without reading tensor values. Throws
 * `OnnxFormatError` (one line, with byte offset) for anything that is not a well-formed model.
 */
export async function readOnnxModel(
  source: ByteSource,
  options: ReadOnnxOptions = {},
): Promise<OnnxModel> {
  await sniffOnnx(source);
  const window = new ByteWindow(source, options.signal);
  const raw = await decodeAt(window, 0, source.size, MODEL_SCHEMA);
  return buildModel(raw, { size: source.size, source, resolveExternal: options.resolveExternal });
}

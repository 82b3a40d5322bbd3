/**
 * Node adapters for the ONNX reader: a ByteSource over a file handle (so a 3 GB model is never
 * loaded whole) and the external-data resolver that keeps tensor files inside the model's folder.
 */
import { open, realpath, type FileHandle } from 'node:fs/promises';
import * as path from 'node:path';
// The ONNX folder's own index keeps this adapter light: it does not load the whole core.
import type { ByteSource } from '../core/bytes/byte-source';
import { OnnxFormatError, type ExternalResolver } from '../core/onnx/index';

/** A {@link ByteSource} reading ranges of a file through one open handle. */
export class FileByteSource implements ByteSource {
  private constructor(
    private readonly handle: FileHandle,
    readonly size: number,
  ) {}

  /** Opens `file` for reading; call {@link close} when done. */
  static async open(file: string): Promise<FileByteSource> {
    const handle = await open(file, 'r');
    try {
      const { size } = await handle.stat();
      return new FileByteSource(handle, size);
    } catch (error) {
      await handle.close();
      throw error;
    }
  }

  async read(offset: number, length: number): Promise<Uint8Array> {
    const start = Math.max(0, Math.min(offset, this.size));
    const count = Math.max(0, Math.min(length, this.size - start));
    const buffer = new Uint8Array(count);
    let filled = 0;
    while (filled < count) {
      const { bytesRead } = await this.handle.read(buffer, filled, count - filled, start + filled);
      if (bytesRead === 0) {
        break; // The file shrank while we read it; return what exists.
      }
      filled += bytesRead;
    }
    return filled === count ? buffer : buffer.subarray(0, filled);
  }

  /** Closes the file handle. */
  close(): Promise<void> {
    return this.handle.close();
  }
}

/** Resolves external data beside one model file; {@link close} releases the opened files. */
export interface ExternalDataFiles {
  readonly resolve: ExternalResolver;
  close(): Promise<void>;
}

function refuse(location: string, why: string): OnnxFormatError {
  // External data is located by a tensor, not by a byte of the model, so the offset is 0.
  return new OnnxFormatError(`Refused external data '${location}': ${why}`, 0);
}

/**
 * Checks that `location` names a file inside `folder` and returns its real path. Refuses absolute
 * paths, `..` escapes and symlinks (of the file or a parent) that lead outside the folder.
 */
export async function resolveInside(folder: string, location: string): Promise<string> {
  if (location === '' || location.includes('\0')) {
    throw refuse(location, 'empty or invalid path');
  }
  if (path.isAbsolute(location) || path.win32.isAbsolute(location) || /^[a-zA-Z]:/.test(location)) {
    throw refuse(location, 'absolute paths are not allowed');
  }
  const parts = location.split(/[\\/]+/);
  if (parts.includes('..')) {
    throw refuse(location, 'it leaves the model folder');
  }
  const root = await realpath(folder);
  let real: string;
  try {
    real = await realpath(path.join(root, ...parts));
  } catch {
    throw refuse(location, 'the file does not exist');
  }
  const relative = path.relative(root, real);
  if (relative === '' || relative.startsWith('..') || path.isAbsolute(relative)) {
    throw refuse(location, 'it resolves (through a symlink) outside the model folder');
  }
  return real;
}

/** Creates the external-data resolver for the model at `modelPath`. */
export function externalDataFiles(modelPath: string): ExternalDataFiles {
  const folder = path.dirname(modelPath);
  const opened = new Map<string, Promise<FileByteSource>>();
  return {
    resolve(location) {
      let source = opened.get(location);
      if (!source) {
        source = resolveInside(folder, location).then((real) => FileByteSource.open(real));
        opened.set(location, source);
      }
      return source;
    },
    async close() {
      const settled = await Promise.allSettled(opened.values());
      opened.clear();
      await Promise.all(
        settled.map((s) => (s.status === 'fulfilled' ? s.value.close() : Promise.resolve())),
      );
    },
  };
}

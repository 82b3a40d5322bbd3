/**
 * Reads the parsers' `.wasm` files from a folder on disk (the extension's or the CLI's `dist/wasm`).
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { WasmLoader } from '../core/index';

/** A loader for `.wasm` files in `folder`; only plain file names are accepted. */
export function createNodeWasmLoader(folder: string): WasmLoader {
  return async (fileName) => {
    if (path.basename(fileName) !== fileName) {
      throw new Error(`not a plain .wasm file name: ${fileName}`);
    }
    return new Uint8Array(await readFile(path.join(folder, fileName)));
  };
}

/**
 * Test helper: a WasmLoader over the `.wasm` files in node_modules (the build copies the same files
 * into dist/wasm for the extension and the CLI).
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { WASM_FILES, type WasmLoader } from '../../../src/core/syntax/parsers';

const require = createRequire(__filename);

const PACKAGE_OF: Readonly<Record<string, string>> = {
  [WASM_FILES.runtime]: 'web-tree-sitter',
  [WASM_FILES.python]: 'tree-sitter-python',
  [WASM_FILES.javascript]: 'tree-sitter-javascript',
  [WASM_FILES.typescript]: 'tree-sitter-typescript',
  [WASM_FILES.tsx]: 'tree-sitter-typescript',
};

/** Reads `fileName` from the npm package that ships it. */
export const nodeModulesWasmLoader: WasmLoader = async (fileName) => {
  const pkg = PACKAGE_OF[fileName];
  if (!pkg) {
    throw new Error(`unknown wasm file ${fileName}`);
  }
  return new Uint8Array(await readFile(require.resolve(`${pkg}/${fileName}`)));
};

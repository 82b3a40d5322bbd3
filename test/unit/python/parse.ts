/** Test helper: parses Python text with the grammar from node_modules and runs the extractor. */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { Parser } from 'web-tree-sitter';
// Imported from the modules themselves so these tests do not depend on unrelated core modules.
import { extractPython } from '../../../src/core/python/index';
import type { PythonExtraction, PythonFileOptions } from '../../../src/core/python/index';
import { ParserFactory } from '../../../src/core/syntax/parsers';

const require = createRequire(__filename);

const factory = new ParserFactory((fileName) => {
  const path =
    fileName === 'web-tree-sitter.wasm'
      ? require.resolve('web-tree-sitter/web-tree-sitter.wasm')
      : require.resolve(`tree-sitter-python/${fileName}`);
  return readFile(path);
});

let parser: Promise<Parser> | undefined;

/** A shared Python parser for the test run. */
export function pythonParser(): Promise<Parser> {
  parser ??= factory.createParser('python');
  return parser;
}

/** Parses `text` and extracts its normalization sites. */
export async function extract(
  text: string,
  options: PythonFileOptions = {},
): Promise<PythonExtraction> {
  const tree = (await pythonParser()).parse(text);
  if (!tree) {
    throw new Error('tree-sitter returned no tree');
  }
  try {
    return extractPython(tree, text, options);
  } finally {
    tree.delete();
  }
}

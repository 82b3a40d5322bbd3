/** Test helper: parses JavaScript/TypeScript text with the grammars from node_modules and extracts. */
import type { Parser } from 'web-tree-sitter';
import { ParserFactory, type GrammarName } from '../../../src/core/syntax/parsers';
import { extractTfjs } from '../../../src/core/tfjs/index';
import type { TfjsExtraction } from '../../../src/core/tfjs/index';
import { nodeModulesWasmLoader } from '../helpers/wasm';

const factory = new ParserFactory(nodeModulesWasmLoader);
const parsers = new Map<GrammarName, Promise<Parser>>();

/** A shared parser per grammar for the test run. */
export function parserFor(grammar: GrammarName): Promise<Parser> {
  let parser = parsers.get(grammar);
  if (!parser) {
    parser = factory.createParser(grammar);
    parsers.set(grammar, parser);
  }
  return parser;
}

/** Parses `text` (TypeScript unless told) and extracts its tfjs sites and evidence. */
export async function extract(
  text: string,
  grammar: GrammarName = 'typescript',
): Promise<TfjsExtraction> {
  const tree = (await parserFor(grammar)).parse(text);
  if (!tree) {
    throw new Error('tree-sitter returned no tree');
  }
  try {
    return extractTfjs(tree, text);
  } finally {
    tree.delete();
  }
}

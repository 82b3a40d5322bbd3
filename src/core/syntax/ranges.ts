/** Converts tree-sitter nodes to the shared {@link SourceRange} shape and to their source text. */
import type { Node } from 'web-tree-sitter';
import type { SourceRange } from '../model';

/**
 * The range a syntax node covers. web-tree-sitter parses JavaScript strings as UTF-16, so its
 * columns already count UTF-16 code units, which is what editors expect.
 */
export function rangeOf(node: Node): SourceRange {
  const start = node.startPosition;
  const end = node.endPosition;
  return {
    start: { line: start.row, character: start.column },
    end: { line: end.row, character: end.column },
  };
}

/** Reads a node's source text. */
export type ReadText = (node: Node) => string;

/**
 * A reader over the analysed text. Slicing the string directly is cheaper than `Node.text`, and
 * `startIndex` counts UTF-16 code units for trees parsed from JavaScript strings.
 */
export function textReader(text: string): ReadText {
  return (node) => text.slice(node.startIndex, node.endIndex);
}

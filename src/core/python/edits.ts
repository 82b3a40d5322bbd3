/** Text edits on call arguments, shared by the quick-fix data the extraction carries. */
import type { Node } from 'web-tree-sitter';
import type { SourceRange, TextEdit } from '../model';
import { rangeOf } from '../syntax/ranges';

/**
 * Inserts `keyword` (e.g. `bias=False`) as the last argument, before the closing parenthesis, with
 * a separating comma unless the list is empty or already ends in one. Undefined when the argument
 * list has no closing parenthesis (a syntax error).
 */
export function insertKeyword(argumentList: Node, keyword: string): TextEdit | undefined {
  const close = argumentList.lastChild;
  if (close?.type !== ')') {
    return undefined;
  }
  const before = close.previousSibling;
  const separator = before?.type === '(' || before?.type === ',' ? '' : ', ';
  const at = rangeOf(close).start;
  return { range: { start: at, end: at }, newText: `${separator}${keyword}` };
}

/** The range of an argument as written: the whole `name=value` for a keyword, else the value. */
export function argumentRange(value: Node): SourceRange {
  return rangeOf(value.parent?.type === 'keyword_argument' ? value.parent : value);
}

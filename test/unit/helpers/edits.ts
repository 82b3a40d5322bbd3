/** Edits as an editor reports them, for tests of incremental analysis. */
import type { TextChange } from '../../../src/core/python/incremental';

/** The row and UTF-16 column of `index` in `text`. */
export function pointAt(text: string, index: number): { row: number; column: number } {
  const before = text.slice(0, index);
  return { row: before.split('\n').length - 1, column: index - (before.lastIndexOf('\n') + 1) };
}

/** Replaces `[start, end)` of `text` by `insert`: the new text and the change an editor reports. */
export function edit(
  text: string,
  start: number,
  end: number,
  insert: string,
): { text: string; change: TextChange } {
  const next = text.slice(0, start) + insert + text.slice(end);
  return {
    text: next,
    change: {
      startIndex: start,
      oldEndIndex: end,
      newEndIndex: start + insert.length,
      startPosition: pointAt(text, start),
      oldEndPosition: pointAt(text, end),
      newEndPosition: pointAt(next, start + insert.length),
    },
  };
}

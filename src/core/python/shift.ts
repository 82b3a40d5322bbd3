/** Moves every source range of an extraction that lies below an edit by the lines it added. */
import type { Position, SourceRange } from '../model';

/**
 * A copy of `value` in which every {@link SourceRange} starting after line `afterLine` moves down
 * by `lineDelta` lines. Used when an edit changed only lines that hold no result, so every range
 * is wholly above or wholly below it.
 */
export function shiftLines<T>(value: T, afterLine: number, lineDelta: number): T {
  return lineDelta === 0 ? value : (shift(value, afterLine, lineDelta) as T);
}

function shift(value: unknown, afterLine: number, lineDelta: number): unknown {
  if (Array.isArray(value)) {
    return value.map((item: unknown) => shift(item, afterLine, lineDelta));
  }
  if (typeof value !== 'object' || value === null) {
    return value;
  }
  if (isRange(value)) {
    return value.start.line > afterLine
      ? { start: move(value.start, lineDelta), end: move(value.end, lineDelta) }
      : value;
  }
  const copy: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(value)) {
    copy[key] = shift(field, afterLine, lineDelta);
  }
  return copy;
}

function move(position: Position, lineDelta: number): Position {
  return { line: position.line + lineDelta, character: position.character };
}

function isRange(value: object): value is SourceRange {
  const { start, end } = value as Partial<SourceRange>;
  return isPosition(start) && isPosition(end) && Object.keys(value).length === 2;
}

function isPosition(value: unknown): value is Position {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as Partial<Position>).line === 'number' &&
    typeof (value as Partial<Position>).character === 'number'
  );
}

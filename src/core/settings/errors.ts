/**
 * The one error a settings or requirements file can raise: what is wrong, in which file, where.
 */
import { LineIndex } from '../text/line-index';

/** A malformed `normlens.json` or `pyproject.toml`; `line` and `column` are 1-based. */
export class SettingsError extends Error {
  override readonly name = 'SettingsError';

  constructor(
    /** The file's name as the host gave it, e.g. `normlens.json`. */
    readonly file: string,
    /** What is wrong, without the location (the message adds it). */
    readonly reason: string,
    readonly line: number,
    readonly column = 1,
  ) {
    super(`${file}:${line}:${column}: ${reason}`);
  }
}

/** A 1-based line and column for a string offset. */
export function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  const position = new LineIndex(text).positionAt(offset);
  return { line: position.line + 1, column: position.character + 1 };
}

/**
 * The 1-based line where a key path is written, found by looking for each key (bare or quoted,
 * followed by `:`, `=`, `.` or `]`) after the previous one, starting at `from`. Parsed values carry
 * no positions, so this is how a semantic error (an unknown rule) points at its line. Falls back
 * to the line of the last key found.
 */
export function lineOfKeyPath(text: string, keys: readonly string[], from = 0): number {
  let offset = from;
  for (const key of keys) {
    const escaped = key.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    const pattern = new RegExp(`(["']?)${escaped}\\1\\s*[:=.\\]]`, 'g');
    pattern.lastIndex = offset;
    const match = pattern.exec(text);
    if (!match) {
      break;
    }
    offset = match.index;
  }
  return lineAndColumn(text, offset).line;
}

/**
 * Maps between 0-based line/character positions (UTF-16 code units) and string offsets.
 */
import type { Position, SourceRange } from '../model';

/** Offsets of each line start in a text, built once per text. */
export class LineIndex {
  private readonly starts: number[] = [0];

  constructor(private readonly text: string) {
    // `indexOf` searches natively, several times faster than a loop over the characters.
    for (let at = text.indexOf('\n'); at >= 0; at = text.indexOf('\n', at + 1)) {
      this.starts.push(at + 1);
    }
  }

  /** The string offset of `position`, clamped to the text. */
  offsetAt(position: Position): number {
    const line = Math.min(Math.max(position.line, 0), this.starts.length - 1);
    const start = this.starts[line] ?? 0;
    return Math.min(start + Math.max(position.character, 0), this.text.length);
  }

  /** The position of string offset `offset`, clamped to the text. */
  positionAt(offset: number): Position {
    const clamped = Math.min(Math.max(offset, 0), this.text.length);
    let low = 0;
    let high = this.starts.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if ((this.starts[middle] ?? 0) <= clamped) {
        low = middle;
      } else {
        high = middle - 1;
      }
    }
    return { line: low, character: clamped - (this.starts[low] ?? 0) };
  }

  /** The text inside `range`. */
  slice(range: SourceRange): string {
    return this.text.slice(this.offsetAt(range.start), this.offsetAt(range.end));
  }
}

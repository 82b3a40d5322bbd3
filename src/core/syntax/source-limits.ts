/**
 * Limits checked on a source text before tree-sitter sees it, so that input NormLens cannot
 * analyse safely or quickly gets a clear `limit` error instead of a trap, a stack overflow or a
 * frozen editor. The scan is one linear pass over the characters.
 */
import type { AnalysisError } from '../model';
import type { GrammarName } from './parsers';

/** What a source text may hold. */
export interface SourceLimits {
  /** Longest text, in KB of UTF-16 units (the hosts' `maxFileSizeKB`; editors measure the same). */
  readonly maxFileSizeKB: number;
  /** Deepest nesting of brackets and braces. */
  readonly maxNesting: number;
  /** Most Python indentation levels open at once. */
  readonly maxIndentLevels: number;
}

/**
 * Defaults: the hosts' default size limit; nesting far beyond hand-written code but well inside
 * what the extractors' walks take; and indentation well below the ~510 levels at which
 * tree-sitter-python 0.25's scanner overruns its state buffer (parsing also slows quadratically
 * with the depth: 100 levels parse in ~70 ms, 500 in ~300 ms).
 */
export const DEFAULT_SOURCE_LIMITS: SourceLimits = {
  maxFileSizeKB: 2048,
  maxNesting: 256,
  maxIndentLevels: 100,
};

const NEWLINE = 0x0a;
const SPACE = 0x20;
const TAB = 0x09;
const FORM_FEED = 0x0c;
const CARRIAGE_RETURN = 0x0d;
const HASH = 0x23;
const OPEN_PAREN = 0x28;
const CLOSE_PAREN = 0x29;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;

/**
 * The `limit` error for a text over `limits`, or undefined when it may be parsed. Brackets inside
 * strings and comments count too: the check is meant for pathological input, and the limits leave
 * ordinary code far below them.
 */
export function sourceLimitError(
  text: string,
  grammar: GrammarName,
  limits: SourceLimits = DEFAULT_SOURCE_LIMITS,
): AnalysisError | undefined {
  const kb = text.length / 1024;
  if (kb > limits.maxFileSizeKB) {
    return skipped(`${Math.ceil(kb)} KB is above the size limit (${limits.maxFileSizeKB} KB)`);
  }
  const shape = measureNesting(text, grammar === 'python');
  if (shape.nesting > limits.maxNesting) {
    return skipped(
      `brackets are nested ${shape.nesting} deep on line ${shape.nestingLine + 1} (the limit is ${limits.maxNesting})`,
    );
  }
  if (shape.indentLevels > limits.maxIndentLevels) {
    return skipped(
      `blocks are indented ${shape.indentLevels} levels deep on line ${shape.indentLine + 1} (the limit is ${limits.maxIndentLevels})`,
    );
  }
  return undefined;
}

function skipped(reason: string): AnalysisError {
  return { message: `NormLens skipped this file: ${reason}`, kind: 'limit' };
}

/** The deepest bracket nesting and Python indentation of a text, with the 0-based lines. */
interface Nesting {
  readonly nesting: number;
  readonly nestingLine: number;
  readonly indentLevels: number;
  readonly indentLine: number;
}

/**
 * One pass over `text`. Indentation counts like Python's tokenizer (tabs to the next multiple of
 * 8, blank and comment-only lines ignored, a dedent closing every deeper level), except that lines
 * inside brackets count too: tree-sitter's scanner tracks them while it recovers from errors.
 */
function measureNesting(text: string, python: boolean): Nesting {
  const result = { nesting: 0, nestingLine: 0, indentLevels: 0, indentLine: 0 };
  const indents: number[] = [];
  let depth = 0;
  let line = 0;
  let atLineStart = true;
  for (let at = 0; at < text.length; at++) {
    if (atLineStart && python) {
      at = indentEnd(text, at, (width) => {
        while (indents.length > 0 && (indents.at(-1) ?? 0) >= width) {
          indents.pop();
        }
        if (width > 0) {
          indents.push(width);
        }
        if (indents.length > result.indentLevels) {
          result.indentLevels = indents.length;
          result.indentLine = line;
        }
      });
      if (at >= text.length) {
        break;
      }
    }
    atLineStart = false;
    switch (text.charCodeAt(at)) {
      case NEWLINE:
        line++;
        atLineStart = true;
        break;
      case OPEN_PAREN:
      case OPEN_BRACKET:
      case OPEN_BRACE:
        depth++;
        if (depth > result.nesting) {
          result.nesting = depth;
          result.nestingLine = line;
        }
        break;
      case CLOSE_PAREN:
      case CLOSE_BRACKET:
      case CLOSE_BRACE:
        depth = Math.max(0, depth - 1);
    }
  }
  return result;
}

/**
 * Skips the indentation starting at `start` and returns the index of the line's first other
 * character; reports the line's width to `indented` unless the line is blank or only a comment.
 */
function indentEnd(text: string, start: number, indented: (width: number) => void): number {
  let width = 0;
  let at = start;
  for (; at < text.length; at++) {
    const code = text.charCodeAt(at);
    if (code === SPACE) {
      width++;
    } else if (code === TAB) {
      width = (Math.floor(width / 8) + 1) * 8;
    } else if (code !== FORM_FEED) {
      break;
    }
  }
  const next = text.charCodeAt(at);
  if (at < text.length && next !== NEWLINE && next !== CARRIAGE_RETURN && next !== HASH) {
    indented(width);
  }
  return at;
}

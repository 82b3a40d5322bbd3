/**
 * Limits checked on a source text before tree-sitter sees it, so that input NormLens cannot
 * analyse safely or quickly gets a clear `limit` error instead of a trap, a stack overflow or a
 * frozen editor. The scans are linear in the text.
 */
import type { AnalysisError } from '../model';
import { LineIndex } from '../text/line-index';
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
const OPEN_BRACKET = 0x5b;
const OPEN_BRACE = 0x7b;

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
  const size = sizeLimitError(text, limits);
  if (size) {
    return size;
  }
  const shape = measureNesting(
    text,
    grammar === 'python' && mayIndentDeeply(text, limits.maxIndentLevels),
  );
  if (shape.nesting > limits.maxNesting) {
    return skipped(
      `brackets are nested ${shape.nesting} deep on line ${new LineIndex(text).positionAt(shape.nestingAt).line + 1} (the limit is ${limits.maxNesting})`,
    );
  }
  if (shape.indentLevels > limits.maxIndentLevels) {
    return skipped(
      `blocks are indented ${shape.indentLevels} levels deep on line ${shape.indentLine + 1} (the limit is ${limits.maxIndentLevels})`,
    );
  }
  return undefined;
}

/**
 * The `limit` error after one edit (removing `removed`, inserting `inserted`) of a text that was
 * within the limits. Editors check every keystroke: the bracket scan is skipped when the edit adds
 * and removes no bracket, and the indentation scan when no line can be indented deeply enough.
 */
export function editedLimitError(
  text: string,
  edit: { readonly removed: string; readonly inserted: string },
  grammar: GrammarName,
  limits: SourceLimits = DEFAULT_SOURCE_LIMITS,
): AnalysisError | undefined {
  const bracketsChanged = BRACKET_CHARACTER.test(edit.removed + edit.inserted);
  const indentMayExceed = grammar === 'python' && mayIndentDeeply(text, limits.maxIndentLevels);
  return bracketsChanged || indentMayExceed
    ? sourceLimitError(text, grammar, limits)
    : sizeLimitError(text, limits);
}

function sizeLimitError(text: string, limits: SourceLimits): AnalysisError | undefined {
  const kb = text.length / 1024;
  return kb > limits.maxFileSizeKB
    ? skipped(`${Math.ceil(kb)} KB is above the size limit (${limits.maxFileSizeKB} KB)`)
    : undefined;
}

function skipped(reason: string): AnalysisError {
  return { message: `NormLens skipped this file: ${reason}`, kind: 'limit' };
}

/**
 * False when no line can open more than `levels` indentation levels: each level adds at least one
 * column, so that takes more than `levels` leading spaces, or a tab or form feed in an indentation.
 * Editors check every keystroke, and most files are ruled out by this search alone.
 */
function mayIndentDeeply(text: string, levels: number): boolean {
  // Plain substring searches run natively; a tab anywhere is taken as possible indentation.
  const deepSpaces = ' '.repeat(levels + 1);
  return (
    text.includes('\t') ||
    text.includes('\f') ||
    text.startsWith(deepSpaces) ||
    text.includes(`\n${deepSpaces}`)
  );
}

/**
 * The deepest bracket nesting (with the index of its bracket, whose line only an error needs) and
 * Python indentation (with its 0-based line) of a text.
 */
interface Nesting {
  readonly nesting: number;
  readonly nestingAt: number;
  readonly indentLevels: number;
  readonly indentLine: number;
}

/** Brackets and braces; a regular-expression search finds them faster than a loop over characters. */
const BRACKET = /[()[\]{}]/g;
const BRACKET_CHARACTER = /[()[\]{}]/;

/** One search for brackets, and with `python` one pass over the lines for indentation. */
function measureNesting(text: string, python: boolean): Nesting {
  let depth = 0;
  let nesting = 0;
  let deepestAt = 0;
  BRACKET.lastIndex = 0;
  for (let match = BRACKET.exec(text); match; match = BRACKET.exec(text)) {
    const code = text.charCodeAt(match.index);
    if (code === OPEN_PAREN || code === OPEN_BRACKET || code === OPEN_BRACE) {
      depth++;
      if (depth > nesting) {
        nesting = depth;
        deepestAt = match.index;
      }
    } else {
      depth = Math.max(0, depth - 1);
    }
  }
  const indentation = python ? measureIndentation(text) : { indentLevels: 0, indentLine: 0 };
  return { nesting, nestingAt: deepestAt, ...indentation };
}

/**
 * Indentation levels counted like Python's tokenizer (tabs to the next multiple of 8, blank and
 * comment-only lines ignored, a dedent closing every deeper level), except that lines inside
 * brackets count too: tree-sitter's scanner tracks them while it recovers from errors.
 */
function measureIndentation(text: string): Pick<Nesting, 'indentLevels' | 'indentLine'> {
  const result = { indentLevels: 0, indentLine: 0 };
  const indents: number[] = [];
  let line = 0;
  for (let start = 0; start < text.length; line++) {
    indentEnd(text, start, (width) => {
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
    const end = text.indexOf('\n', start);
    start = end < 0 ? text.length : end + 1;
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

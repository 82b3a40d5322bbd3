/**
 * A lexical split of a Python file into its top-level statements, without parsing: enough to tell
 * which statements can matter before tree-sitter sees any of them. Brackets, strings, comments and
 * backslash continuations are tracked so that only real statement starts at column 0 split.
 */

/** One top-level statement: `[start, end)` in UTF-16 code units, ending after its last newline. */
export interface TopLevelStatement {
  readonly start: number;
  readonly end: number;
  /** Zero-based line of `start`, and of `end` (the line after the statement when it ends in one). */
  readonly startLine: number;
  readonly endLine: number;
}

const NEWLINE = 10;
const CARRIAGE_RETURN = 13;
const SPACE = 32;
const TAB = 9;
const FORM_FEED = 12;
const HASH = 35;
const BACKSLASH = 92;
const SINGLE_QUOTE = 39;
const DOUBLE_QUOTE = 34;
const AT = 64;
const LOWER_E = 101;
const LOWER_F = 102;
const LOWER_R = 114;
const OPENING = new Set([40, 91, 123]);

/**
 * Codes of the characters that can change the lexical state (newline, `#`, quotes, backslash,
 * brackets); everything between them is skipped by a plain loop, which allocates nothing.
 */
const SIGNIFICANT = new Uint8Array(128);
for (const character of '\n#\'"\\()[]{}') {
  SIGNIFICANT[character.charCodeAt(0)] = 1;
}

/** Clauses that continue the compound statement above them rather than starting a new one. */
const CONTINUATION_KEYWORD = /^(?:else|elif|except|finally)\b/;

/** How each string literal ends: its closing quote(s), skipping backslash escapes. */
const STRING_END: ReadonlyMap<string, RegExp> = new Map([
  ["'", /\\[\s\S]|'|\n/g],
  ['"', /\\[\s\S]|"|\n/g],
  ["'''", /\\[\s\S]|'''/g],
  ['"""', /\\[\s\S]|"""/g],
]);

/**
 * Splits `text` into top-level statements. Decorators stay with what they decorate and
 * `else`/`elif`/`except`/`finally` with their compound statement. Text the split cannot make sense
 * of (an unclosed bracket or string) runs to the end of the file as one statement, so nothing is
 * ever lost, only parsed together. When `opaque` is given, the `[start, end)` index pairs of every
 * comment and string literal are appended to it, in order (f-strings excepted: they hold code).
 */
export function splitStatements(text: string, opaque?: number[]): TopLevelStatement[] {
  return split(text, opaque).statements;
}

/**
 * {@link splitStatements} for a part of a file: undefined unless the part ends with a newline
 * outside brackets, strings and continuations (its last statement could otherwise run on in the
 * file).
 */
export function splitClosedStatements(
  text: string,
  opaque?: number[],
): TopLevelStatement[] | undefined {
  const { statements, closed } = split(text, opaque);
  return closed ? statements : undefined;
}

function split(
  text: string,
  opaque: number[] | undefined,
): { statements: TopLevelStatement[]; closed: boolean } {
  const statements: TopLevelStatement[] = [];
  let closed = true;
  const length = text.length;
  let open: { start: number; startLine: number } | undefined;
  let lastEnd = 0;
  let lastEndLine = 0;
  let decorated = false;
  let index = 0;
  let line = 0;
  while (index < length) {
    const first = skipBlanks(text, index);
    const code = text.charCodeAt(first);
    if (code === NEWLINE || code === CARRIAGE_RETURN || code === HASH || first >= length) {
      // Blank and comment-only lines belong to no statement.
      const newline = text.indexOf('\n', first);
      if (code === HASH) {
        opaque?.push(first, newline < 0 ? length : newline);
      }
      index = newline < 0 ? length : newline + 1;
      line++;
      continue;
    }
    const atColumnZero = first === index;
    const clause =
      (code === LOWER_E || code === LOWER_F) &&
      CONTINUATION_KEYWORD.test(text.slice(first, first + 8));
    if (!open || (atColumnZero && !decorated && !clause)) {
      if (open) {
        statements.push({ ...open, end: lastEnd, endLine: lastEndLine });
      }
      open = { start: index, startLine: line };
    }
    if (atColumnZero) {
      decorated = code === AT;
    }
    const end = logicalLineEnd(text, first, opaque);
    line += end.lines;
    index = end.index;
    lastEnd = index;
    lastEndLine = line;
    closed = end.closed;
  }
  if (open) {
    statements.push({ ...open, end: lastEnd, endLine: lastEndLine });
  }
  return { statements, closed };
}

/**
 * The end of a statement's header: its decorator lines and the logical line after them (a `def` or
 * `class` line however many lines its brackets span, or the whole of a simple statement).
 */
export function headerEnd(text: string, statement: TopLevelStatement): number {
  let index = statement.start;
  while (index < statement.end) {
    const first = skipBlanks(text, index);
    const end = logicalLineEnd(text, first, undefined).index;
    const isCode = ![NEWLINE, CARRIAGE_RETURN, HASH].includes(text.charCodeAt(first));
    if (isCode && text.charCodeAt(first) !== AT) {
      return Math.min(end, statement.end);
    }
    index = end;
  }
  return statement.end;
}

function skipBlanks(text: string, index: number): number {
  let at = index;
  let code = text.charCodeAt(at);
  while (code === SPACE || code === TAB || code === FORM_FEED) {
    code = text.charCodeAt(++at);
  }
  return at;
}

/**
 * The end of the logical line starting at `index` (just after the newline that closes it outside
 * brackets and strings) and how many newlines it spans.
 */
function logicalLineEnd(
  text: string,
  index: number,
  opaque: number[] | undefined,
): { index: number; lines: number; closed: boolean } {
  const length = text.length;
  let depth = 0;
  let lines = 0;
  for (let at = index; at < length; at++) {
    const code = text.charCodeAt(at);
    if (code >= 128 || SIGNIFICANT[code] === 0) {
      continue;
    }
    if (code === NEWLINE) {
      lines++;
      if (depth === 0) {
        return { index: at + 1, lines, closed: true };
      }
    } else if (code === HASH) {
      const newline = text.indexOf('\n', at);
      const end = newline < 0 ? length : newline;
      opaque?.push(at, end);
      at = end - 1;
    } else if (code === BACKSLASH) {
      // A backslash before the newline joins the next line.
      const next = text.charCodeAt(at + 1);
      const skip = next === NEWLINE ? 2 : next === CARRIAGE_RETURN ? 3 : 1;
      lines += skip > 1 ? 1 : 0;
      at += skip - 1;
    } else if (code === SINGLE_QUOTE || code === DOUBLE_QUOTE) {
      const end = stringEnd(text, at);
      if (opaque && !isFormatString(text, at)) {
        opaque.push(at, end);
      }
      lines += countNewlines(text, at, end);
      at = end - 1;
    } else if (OPENING.has(code)) {
      depth++;
    } else if (depth > 0) {
      depth--;
    }
  }
  // The text ended first, maybe inside a bracket, a string or a continuation.
  return { index: length, lines, closed: false };
}

/** The index just after the string literal opening at `start` (unterminated: end of line/file). */
function stringEnd(text: string, start: number): number {
  const quote = text.charAt(start);
  const tripled = quote + quote + quote;
  const delimiter = text.startsWith(tripled, start) ? tripled : quote;
  const pattern = STRING_END.get(delimiter);
  if (!pattern) {
    return text.length;
  }
  pattern.lastIndex = start + delimiter.length;
  for (let match = pattern.exec(text); match; match = pattern.exec(text)) {
    if (match[0] === delimiter) {
      return match.index + delimiter.length;
    }
    if (match[0] === '\n') {
      return match.index;
    }
  }
  return text.length;
}

/** True when the quote at `at` opens an f-string (prefix `f`, `rf` or `fr` in any case). */
function isFormatString(text: string, at: number): boolean {
  const previous = text.charCodeAt(at - 1) | 0x20;
  return (
    previous === LOWER_F || (previous === LOWER_R && (text.charCodeAt(at - 2) | 0x20) === LOWER_F)
  );
}

function countNewlines(text: string, start: number, end: number): number {
  let count = 0;
  for (let at = text.indexOf('\n', start); at >= 0 && at < end; at = text.indexOf('\n', at + 1)) {
    count++;
  }
  return count;
}

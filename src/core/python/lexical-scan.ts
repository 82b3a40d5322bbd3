/**
 * Text scans for the parse planner: where a file mentions a norm callable in code, and how each
 * mention is used. Each scan is one regular-expression pass over the whole file, so a file's cost
 * does not grow with its number of statements.
 */
import { NORM_LIKE_NAME } from './sites';

/**
 * The parts of names that spell a norm callable. No part overlaps another (none starts with a
 * suffix of another), so their occurrences in a text are exactly the matches of their alternation.
 */
const NORM_NAME_PARTS = [
  'BatchNorm',
  'InstanceNorm',
  'LayerNorm',
  'GroupNorm',
  'RMSNorm',
  'LocalResponseNorm',
  'CrossMapLRN',
  'batch_norm',
  'layer_norm',
  'instance_norm',
  'group_norm',
  'rms_norm',
  'local_response_norm',
] as const;

/** Names of the norm callables: every direct site and every resolved reference spells one. */
export const NORM_NAME = new RegExp(NORM_NAME_PARTS.join('|'));

/**
 * The parts by their last three characters (`orm` or `LRN`): searching for these few endings with
 * `indexOf` is several times faster than running the alternation over a whole file.
 */
const NORM_NAME_ENDINGS: ReadonlyMap<string, readonly string[]> = new Map(
  [...new Set(NORM_NAME_PARTS.map((part) => part.slice(-3)))].map((ending) => [
    ending,
    NORM_NAME_PARTS.filter((part) => part.endsWith(ending)),
  ]),
);

/** The keyword through which builders receive a norm layer, e.g. `Conv2dNormActivation(…, norm_layer=…)`. */
const NORM_LAYER = 'norm_layer';
/** What follows {@link NORM_LAYER} when it is assigned or passed a value (not compared). */
const NORM_LAYER_ASSIGNED = /[ \t]*=(?!=)/y;

/** A function whose name reads like a norm factory (calls to it are then not references). */
export const NORM_LIKE_DEFINITION = /\bdef[ \t]+\w*(?:norm|bn)/i;

/**
 * Context evidence the parser must see: data loaders, low precision, mode switches and batch-size
 * hints (argparse options, config keys, example inputs).
 */
export const CONTEXT_EVIDENCE =
  /DataLoader|autocast|float16|\.half\(|\bhalf\b|\.eval\(|\.train\(|requires_grad_|convert_sync_batchnorm|batch[-_]?size|\bbs\b|\brandn?\(/i;
/** {@link CONTEXT_EVIDENCE}, for scans over a whole file. */
export const CONTEXT_EVIDENCES = new RegExp(CONTEXT_EVIDENCE.source, 'gi');

/** Every identifier that may read like a norm (`norm_layer`, `bn1`, `conv_bn`) contains one of these. */
const NORM_LIKE_PART = /norm|bn/gi;
/** After a name: a call, or a call of a subscript (`norms[key](`). */
const CALLED = /\s*(?:\(|\[[^\]\n]*\]\s*\()/y;

/** Character tests by code, cheaper than a regular expression per character. */
function isWordCode(code: number): boolean {
  return (
    (code >= 97 && code <= 122) || // a-z
    (code >= 65 && code <= 90) || // A-Z
    (code >= 48 && code <= 57) || // 0-9
    code === 95 // _
  );
}

function isDigitCode(code: number): boolean {
  return code >= 48 && code <= 57;
}

function isNameStart(code: number): boolean {
  return isWordCode(code) && !(code >= 48 && code <= 57);
}

function isDottedCode(code: number): boolean {
  return isWordCode(code) || code === 46;
}

/** Spaces, tabs, line breaks, form feeds and line-continuation backslashes. */
function isSpaceCode(code: number): boolean {
  return code === 32 || code === 9 || code === 10 || code === 13 || code === 12 || code === 92;
}

/** Comment and string spans of a file, as sorted `[start, end)` index pairs. */
export class OpaqueSpans {
  constructor(private readonly pairs: readonly number[]) {}

  /** True when `index` lies inside a comment or a string literal. */
  contains(index: number): boolean {
    let low = 0;
    let high = this.pairs.length / 2 - 1;
    while (low <= high) {
      const middle = (low + high) >> 1;
      const start = this.pairs[2 * middle] ?? 0;
      const end = this.pairs[2 * middle + 1] ?? 0;
      if (index < start) {
        high = middle - 1;
      } else if (index >= end) {
        low = middle + 1;
      } else {
        return true;
      }
    }
    return false;
  }
}

/**
 * How a norm name is used, judged by the characters around the dotted name holding it:
 * - `call`: called (`nn.BatchNorm2d(`);
 * - `bound`: the value of `=` (an assignment, default or keyword argument), of `:` (a dict value),
 *   or the first argument of a call or a parenthesised expression (`partial(nn.GroupNorm`,
 *   `class MyBN(nn.BatchNorm2d`), which references can follow;
 * - `listed`: after a comma (a later class base, or an argument such as `isinstance(m, nn.BatchNorm2d)`);
 * - `other`: anything else (a set or list element, a comparison, a return value).
 */
export type MentionUse = 'call' | 'bound' | 'listed' | 'other';

/** A norm name in code (not in a comment or string). */
export interface NormMention {
  readonly index: number;
  readonly use: MentionUse;
}

/** Start indices of `literal` in `text` from `from` on, in order. */
function* occurrences(text: string, literal: string, from = 0): Generator<number> {
  for (let at = text.indexOf(literal, from); at >= 0; at = text.indexOf(literal, at + 1)) {
    yield at;
  }
}

/**
 * Where {@link NORM_NAME} matches in `text`, as `[start, end)` pairs in order: the matches of a
 * global search, found through the endings of the names.
 */
export function normNameMatches(text: string): (readonly [number, number])[] {
  const matches: (readonly [number, number])[] = [];
  let endingsFound = 0;
  for (const [ending, parts] of NORM_NAME_ENDINGS) {
    const before = matches.length;
    for (const at of occurrences(text, ending)) {
      const end = at + ending.length;
      const part = parts.find((name) => text.startsWith(name, end - name.length));
      if (part) {
        matches.push([end - part.length, end]);
      }
    }
    endingsFound += matches.length > before ? 1 : 0;
  }
  if (endingsFound > 1) {
    matches.sort((a, b) => a[0] - b[0]);
  }
  return matches;
}

/** Every norm name written in code, with its use; `names` are its {@link normNameMatches} when known. */
export function* normMentions(
  text: string,
  opaque: OpaqueSpans,
  names = normNameMatches(text),
): Generator<NormMention> {
  let skipUntil = 0;
  for (const [index, matchEnd] of names) {
    if (index < skipUntil || opaque.contains(index)) {
      continue;
    }
    let start = index;
    while (start > 0 && isDottedCode(text.charCodeAt(start - 1))) {
      start--;
    }
    let end = matchEnd;
    while (end < text.length && isWordCode(text.charCodeAt(end))) {
      end++;
    }
    skipUntil = end;
    yield { index, use: useOf(text, start, end) };
  }
}

function useOf(text: string, start: number, end: number): MentionUse {
  const after = nextCode(text, end);
  if (after === '(') {
    return 'call';
  }
  let before = start - 1;
  while (before >= 0 && isSpaceCode(text.charCodeAt(before))) {
    before--;
  }
  const previous = text.charAt(before);

  if (previous === ':') {
    return 'bound';
  }
  if (previous === '(') {
    // A call's or class header's first argument, or a parenthesised name; not a tuple element.
    const opener = previousCode(text, before);
    return /[\w)\]]/.test(opener) || after === ')' ? 'bound' : 'other';
  }
  if (previous === '=') {
    // `==`, `<=`, `>=` and `!=` compare; only a lone `=` binds.
    return '=<>!'.includes(text.charAt(before - 1)) ? 'other' : 'bound';
  }
  return previous === ',' ? 'listed' : 'other';
}

/** The first character before `index` that is not a space or line continuation. */
function previousCode(text: string, index: number): string {
  let at = index - 1;
  while (at >= 0 && isSpaceCode(text.charCodeAt(at))) {
    at--;
  }
  return text.charAt(at);
}

function nextCode(text: string, index: number): string {
  let at = index;
  while (at < text.length && isSpaceCode(text.charCodeAt(at))) {
    at++;
  }
  return text.charAt(at);
}

/** A call (or subscript call) of a name that reads like a norm, with `self.` when written. */
export interface NormLikeCall {
  readonly index: number;
  readonly name: string;
  readonly isSelf: boolean;
}

/**
 * Calls of a bare name or `self.` attribute containing `norm` or `bn` (`norm_layer(`, `self.bn(`,
 * `norms[key](`), outside comments and strings when `opaque` is given. Attribute calls other than
 * `self.x(` are never references, so they are not listed.
 */
export function* normLikeCalls(text: string, opaque?: OpaqueSpans): Generator<NormLikeCall> {
  let skipUntil = 0;
  for (const match of text.matchAll(NORM_LIKE_PART)) {
    if (match.index < skipUntil) {
      continue;
    }
    let start = match.index;
    while (start > 0 && isWordCode(text.charCodeAt(start - 1))) {
      start--;
    }
    let end = match.index + match[0].length;
    while (end < text.length && isWordCode(text.charCodeAt(end))) {
      end++;
    }
    skipUntil = end;
    CALLED.lastIndex = end;
    if (!CALLED.test(text) || /\d/.test(text.charAt(start)) || opaque?.contains(start)) {
      continue;
    }
    const isSelf = text.startsWith('self.', start - 5) && !isDottedCode(text.charCodeAt(start - 6));
    if (text.charAt(start - 1) === '.' && !isSelf) {
      continue;
    }
    yield { index: isSelf ? start - 5 : start, name: text.slice(start, end), isSelf };
  }
}

/**
 * Indices of `norm_layer=` arguments and defaults (a whole word, not `==`), outside comments and
 * strings when `opaque` is given.
 */
export function* normLayerArguments(text: string, opaque?: OpaqueSpans): Generator<number> {
  for (const at of occurrences(text, NORM_LAYER)) {
    NORM_LAYER_ASSIGNED.lastIndex = at + NORM_LAYER.length;
    const startsWord = at === 0 || !isWordCode(text.charCodeAt(at - 1));
    if (startsWord && NORM_LAYER_ASSIGNED.test(text) && !opaque?.contains(at)) {
      yield at;
    }
  }
}

/**
 * The matches of `pattern` (multiline and sticky, anchored at a line start with `^`) that a global
 * multiline search would find, when every match holds `literal` on its first line: only the lines
 * holding the literal are tried, instead of every line of the file. With `from`, the search starts
 * at that line start instead (a match from an earlier line that would hide one is then missed).
 */
export function* lineMatches(
  text: string,
  literal: string,
  pattern: RegExp,
  from = 0,
): Generator<RegExpExecArray> {
  let searchFrom = from;
  let tried = -1;
  for (const at of occurrences(text, literal, from)) {
    const lineStart = lineStartOf(text, at);
    if (lineStart < searchFrom || lineStart === tried) {
      continue;
    }
    tried = lineStart;
    pattern.lastIndex = lineStart;
    const match = pattern.exec(text);
    if (match) {
      searchFrom = pattern.lastIndex;
      yield match;
    }
  }
}

/** The start of the line holding `index`, by the line terminators `^` knows in multiline mode. */
function lineStartOf(text: string, index: number): number {
  let at = index;
  for (; at > 0; at--) {
    const code = text.charCodeAt(at - 1);
    if (code === 10 || code === 13 || code === 0x2028 || code === 0x2029) {
      break;
    }
  }
  return at;
}

/** Where a name may be bound: every `=` and `:` (scanned for, then the name read backwards). */
const BINDING_MARKS = /[=:]/g;
const CLASS_NAMES = /\bclass[ \t]+([A-Za-z_]\w*)/g;
/** The name of every function defined (`def f`), at any depth. */
const DEFINED_FUNCTIONS = /\bdef[ \t]+([A-Za-z_]\w*)/g;
/** A line's text up to a function's name. */
const DEF_BEFORE = /\bdef[ \t]+$/;
/** A name between brackets or commas: every plain parameter (and many arguments). */
const LISTED_NAMES = /[(,]\s*\**([A-Za-z_]\w*)(?=\s*[,)])/g;
/** {@link LISTED_NAMES} at one opening bracket or comma. */
const LISTED_NAME_AT = new RegExp(LISTED_NAMES.source, 'y');
/** A value that is a call of a dotted name; its last part is captured. */
const CALL_VALUE = /[ \t]*(?:[A-Za-z_]\w*[ \t]*\.[ \t]*)*([A-Za-z_]\w*)[ \t]*\(/y;
const PARTIAL_ALIAS = /\bpartial[ \t]+as[ \t]+([A-Za-z_]\w*)/g;
const IDENTIFIER = /^[A-Za-z_]\w*$/;

/**
 * The names a reference could resolve through, a superset: names assigned (or defaulted, or passed
 * as a keyword) a value other than a plain call, names before `:` (annotated assignments and
 * parameters, and much else), and class names; with `parameters`, also plain parameter names. A
 * name whose value is a call (`self.conv = nn.Conv2d(…)`) is left out: the references never
 * follow calls, except `partial(…)`.
 */
export function boundNames(text: string, parameters = false): Set<string> {
  const names = new Set<string>();
  const partials = partialNames(text);
  for (const mark of text.matchAll(BINDING_MARKS)) {
    const name = nameBoundAt(text, mark.index, partials);
    if (name) {
      names.add(text.slice(name[0], name[1]));
    }
  }
  const patterns = parameters ? [CLASS_NAMES, LISTED_NAMES] : [CLASS_NAMES];
  for (const pattern of patterns) {
    for (const match of text.matchAll(pattern)) {
      if (match[1]) {
        names.add(match[1]);
      }
    }
  }
  return names;
}

/**
 * {@link boundNames} one name at a time, for files where few names are asked about: each answer
 * looks only where the name occurs, instead of at every `=` and `:` of the file.
 */
export class BoundNameTest {
  private partials: ReadonlySet<string> | undefined;
  private classes: ReadonlySet<string> | undefined;
  private all: ReadonlySet<string> | undefined;
  private readonly answers = new Map<string, boolean>();

  constructor(
    private readonly text: string,
    private readonly parameters = false,
  ) {}

  /** True when `boundNames(text, parameters)` holds `name`. */
  has(name: string): boolean {
    let answer = this.answers.get(name);
    if (answer === undefined) {
      answer = this.find(name);
      this.answers.set(name, answer);
    }
    return answer;
  }

  private find(name: string): boolean {
    const text = this.text;
    if (!IDENTIFIER.test(name)) {
      // Only a whole identifier can be read back from a mark; anything else takes the full scan.
      this.all ??= boundNames(text, this.parameters);
      return this.all.has(name);
    }
    this.classes ??= matchedNames(text, CLASS_NAMES);
    if (this.classes.has(name)) {
      return true;
    }
    for (const start of occurrences(text, name)) {
      const end = start + name.length;
      if (isWordCode(text.charCodeAt(end))) {
        continue;
      }
      if (this.boundByMark(start, end) || (this.parameters && isListedAt(text, start, end))) {
        return true;
      }
    }
    return false;
  }

  /** True when the first `=` or `:` after the name binds exactly it. */
  private boundByMark(start: number, end: number): boolean {
    const text = this.text;
    let at = end;
    while (text.charCodeAt(at) === 32 || text.charCodeAt(at) === 9) {
      at++;
    }
    const code = text.charCodeAt(at);
    if (code !== 61 && code !== 58) {
      return false;
    }
    this.partials ??= partialNames(text);
    const bound = nameBoundAt(text, at, this.partials);
    return bound?.[0] === start && bound[1] === end;
  }
}

/** True when the listed-name pattern, at the bracket or comma before `start`, captures `[start, end)`. */
function isListedAt(text: string, start: number, end: number): boolean {
  let at = start;
  while (text.charCodeAt(at - 1) === 42) {
    at--;
  }
  while (at > 0 && /\s/.test(text.charAt(at - 1))) {
    at--;
  }
  const opener = text.charCodeAt(at - 1);
  if (opener !== 40 && opener !== 44) {
    return false;
  }
  LISTED_NAME_AT.lastIndex = at - 1;
  return LISTED_NAME_AT.exec(text)?.[1]?.length === end - start && LISTED_NAME_AT.lastIndex === end;
}

/**
 * The names of `wanted` that {@link boundNames} (with parameters) reads from a `=` or `:` mark, a
 * bracket or a comma in `[from, to)` of `text`; `partials` are the text's {@link partialNames}.
 */
export function wantedBindings(
  text: string,
  from: number,
  to: number,
  wanted: ReadonlySet<string>,
  partials: Pick<ReadonlySet<string>, 'has'>,
): string[] {
  const names: string[] = [];
  for (let at = from; at < to; at++) {
    const code = text.charCodeAt(at);
    if (code === 61 || code === 58) {
      const bound = nameBoundAt(text, at, partials, wanted);
      if (bound) {
        names.push(text.slice(bound[0], bound[1]));
      }
    } else if (code === 40 || code === 44) {
      LISTED_NAME_AT.lastIndex = at;
      const listed = LISTED_NAME_AT.exec(text)?.[1];
      if (listed !== undefined && wanted.has(listed)) {
        names.push(listed);
      }
    }
  }
  return names;
}

/**
 * True when a global search for {@link DEFINED_FUNCTIONS} in `text` captures `name`: only the lines
 * where `def` comes right before the name are searched (the pattern never spans lines).
 */
export function definesFunction(text: string, name: string): boolean {
  for (const start of occurrences(text, name)) {
    const lineStart = lineStartOf(text, start);
    if (!DEF_BEFORE.test(text.slice(lineStart, start))) {
      continue;
    }
    const end = text.indexOf('\n', start);
    const line = text.slice(lineStart, end < 0 ? text.length : end);
    for (const match of line.matchAll(DEFINED_FUNCTIONS)) {
      if (match[1] === name && match.index + match[0].length === start - lineStart + name.length) {
        return true;
      }
    }
  }
  return false;
}

/** The names classes and functions are defined with in `source` (`class A`, `def f`). */
export function definedNames(source: string): Set<string> {
  const names = matchedNames(source, CLASS_NAMES);
  for (const name of matchedNames(source, DEFINED_FUNCTIONS)) {
    names.add(name);
  }
  return names;
}

/** The names `partial` goes by: itself and its aliases (`from functools import partial as P`). */
export function partialNames(text: string): Set<string> {
  const partials = matchedNames(text, PARTIAL_ALIAS);
  partials.add('partial');
  return partials;
}

/** The first groups of every match of a global `pattern`. */
function matchedNames(text: string, pattern: RegExp): Set<string> {
  const names = new Set<string>();
  for (const match of text.matchAll(pattern)) {
    if (match[1]) {
      names.add(match[1]);
    }
  }
  return names;
}

/**
 * The `[start, end)` of the name bound by the `=` or `:` at `at`, or undefined: none for `==`
 * and other operators ending in `=`, nor when the name is assigned the value of a call other
 * than `partial(…)`.
 */
function nameBoundAt(
  text: string,
  at: number,
  partials: Pick<ReadonlySet<string>, 'has'>,
  wanted?: Pick<ReadonlySet<string>, 'has'>,
): readonly [number, number] | undefined {
  const isAssignment = text.charCodeAt(at) === 61;
  // `==` compares; `x == y` also puts a `=` after `=`, and `<=`/`+=` an operator before it.
  if (isAssignment && text.charCodeAt(at + 1) === 61) {
    return undefined;
  }
  let end = at;
  while (end > 0 && (text.charCodeAt(end - 1) === 32 || text.charCodeAt(end - 1) === 9)) {
    end--;
  }
  let start = end;
  while (start > 0 && isWordCode(text.charCodeAt(start - 1))) {
    start--;
  }
  while (start < end && !isNameStart(text.charCodeAt(start))) {
    start++;
  }
  if (start === end || (wanted && !wanted.has(text.slice(start, end)))) {
    return undefined;
  }
  if (isAssignment) {
    CALL_VALUE.lastIndex = at + 1;
    const called = CALL_VALUE.exec(text)?.[1];
    if (called !== undefined && !partials.has(called)) {
      return undefined;
    }
  }
  return [start, end];
}

/** Up to how many words {@link CountedWords.lookUp} searches for one by one. */
const FEW_WORDS = 4;

/**
 * The words used by the counted ranges of a text (the statements whose words a plan uses): the
 * tokens that occur there. A plan asks about few words among the many the text uses, so instead of
 * collecting the tokens of the counted ranges, each word is looked up where it occurs, once, and
 * answered from which ranges count at the time of the question.
 */
export class CountedWords {
  private readonly counted: boolean[];
  /** For each word looked up, the ranges holding it as a token, in order. */
  private readonly places = new Map<string, readonly number[]>();

  constructor(
    private readonly text: string,
    private readonly ranges: readonly { readonly start: number; readonly end: number }[],
    counted: readonly boolean[] = [],
  ) {
    this.counted = ranges.map((_, index) => counted[index] ?? false);
  }

  /** Which ranges are counted, by index. */
  get countedRanges(): readonly boolean[] {
    return this.counted;
  }

  /** Counts the words of one more range. */
  count(range: number): void {
    if (range >= 0 && range < this.counted.length) {
      this.counted[range] = true;
    }
  }

  /** True when `word` occurs as a token in a counted range. */
  has(word: string): boolean {
    let places = this.places.get(word);
    if (places === undefined) {
      this.lookUp([word]);
      places = this.places.get(word) ?? [];
    }
    return places.some((range) => this.counted[range]);
  }

  /**
   * Finds where `words` occur, ahead of questions about them: a few one by one, more in one pass
   * over the text.
   */
  lookUp(words: Iterable<string>): void {
    const found = new Map<string, number[]>();
    for (const word of words) {
      if (!this.places.has(word)) {
        found.set(word, []);
        this.places.set(word, []);
      }
    }
    // Only an identifier can be a token; the others stay without places.
    const identifiers = [...found.keys()].filter((word) => IDENTIFIER.test(word));
    if (identifiers.length <= FEW_WORDS) {
      for (const word of identifiers) {
        for (const start of occurrences(this.text, word)) {
          this.place(found.get(word), start, word.length);
        }
      }
    } else {
      // A token is never preceded by a letter; the rest of its start is checked in `place`.
      const pattern = new RegExp(`(?<![A-Za-z_])(?:${identifiers.join('|')})(?!\\w)`, 'g');
      for (const match of this.text.matchAll(pattern)) {
        this.place(found.get(match[0]), match.index, match[0].length);
      }
    }
    for (const [word, places] of found) {
      this.places.set(word, places);
    }
  }

  /** Adds the range holding the word at `start` to `places` when the word is a whole token there. */
  private place(places: number[] | undefined, start: number, length: number): void {
    const text = this.text;
    let before = start;
    while (before > 0 && isDigitCode(text.charCodeAt(before - 1))) {
      before--;
    }
    const whole =
      !isWordCode(text.charCodeAt(start + length)) &&
      (before === 0 || !isWordCode(text.charCodeAt(before - 1)));
    const range = whole ? rangeAt(this.ranges, start) : -1;
    if (places && range >= 0 && places[places.length - 1] !== range) {
      places.push(range);
    }
  }
}

/** The index of the range holding `index` (ranges sorted and disjoint), or -1. */
export function rangeAt(
  ranges: readonly { readonly start: number; readonly end: number }[],
  index: number,
): number {
  let low = 0;
  let high = ranges.length - 1;
  while (low <= high) {
    const middle = (low + high) >> 1;
    const range = ranges[middle];
    if (!range) {
      return -1;
    }
    if (index < range.start) {
      high = middle - 1;
    } else if (index >= range.end) {
      low = middle + 1;
    } else {
      return middle;
    }
  }
  return -1;
}

/**
 * True when the file mentions anything that could make a statement hold a site; `names` are its
 * {@link normNameMatches} when already known.
 */
export function mayHoldSite(text: string, names = normNameMatches(text)): boolean {
  return (
    names.length > 0 || !normLayerArguments(text).next().done || !normLikeCalls(text).next().done
  );
}

/** True when a norm-like call may go through a reference (imported names and functions never do). */
export function mayBeReference(
  call: NormLikeCall,
  unreferable: Pick<ReadonlySet<string>, 'has'>,
): boolean {
  const shown = call.isSelf ? `self.${call.name}` : call.name;
  return NORM_LIKE_NAME.test(shown) && (call.isSelf || !unreferable.has(call.name));
}

/** A whole-word alternation of `words`, or undefined when there are none. */
export function wordPattern(words: ReadonlySet<string>, flags = ''): RegExp | undefined {
  if (words.size === 0) {
    return undefined;
  }
  // Names come from the text as written, so a malformed import can hold any character.
  const escaped = [...words].map((word) => word.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&'));
  return new RegExp(`\\b(?:${escaped.join('|')})\\b`, flags);
}

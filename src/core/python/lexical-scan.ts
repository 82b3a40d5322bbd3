/**
 * Text scans for the parse planner: where a file mentions a norm callable in code, and how each
 * mention is used. Each scan is one regular-expression pass over the whole file, so a file's cost
 * does not grow with its number of statements.
 */
import { NORM_LIKE_NAME } from './sites';

/** Names of the norm callables: every direct site and every resolved reference spells one. */
export const NORM_NAME =
  /BatchNorm|InstanceNorm|LayerNorm|GroupNorm|RMSNorm|LocalResponseNorm|CrossMapLRN|(?:batch|layer|instance|group|rms|local_response)_norm/;

/** The keyword through which builders receive a norm layer, e.g. `Conv2dNormActivation(…, norm_layer=…)`. */
export const NORM_LAYER_ARGUMENT = /\bnorm_layer[ \t]*=(?!=)/;

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

const NORM_NAMES = new RegExp(NORM_NAME.source, 'g');
const NORM_LAYER_ARGUMENTS = new RegExp(NORM_LAYER_ARGUMENT.source, 'g');
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

/** Every norm name written in code, with its use. */
export function* normMentions(text: string, opaque: OpaqueSpans): Generator<NormMention> {
  let skipUntil = 0;
  for (const match of text.matchAll(NORM_NAMES)) {
    if (match.index < skipUntil || opaque.contains(match.index)) {
      continue;
    }
    let start = match.index;
    while (start > 0 && isDottedCode(text.charCodeAt(start - 1))) {
      start--;
    }
    let end = match.index + match[0].length;
    while (end < text.length && isWordCode(text.charCodeAt(end))) {
      end++;
    }
    skipUntil = end;
    yield { index: match.index, use: useOf(text, start, end) };
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

/** Indices of `norm_layer=` arguments and defaults written in code. */
export function* normLayerArguments(text: string, opaque: OpaqueSpans): Generator<number> {
  for (const match of text.matchAll(NORM_LAYER_ARGUMENTS)) {
    if (!opaque.contains(match.index)) {
      yield match.index;
    }
  }
}

/**
 * Names a reference can resolve through, a superset: names assigned (or defaulted, or passed as a
 * keyword) a value other than a plain call, names before `:` (annotated assignments and parameters,
 * and much else), and class names. A name whose value is a call (`self.conv = nn.Conv2d(…)`) is
 * left out: the references never follow calls, except `partial(…)`.
 */
/** Where a name may be bound: every `=` and `:` (scanned for, then the name read backwards). */
const BINDING_MARKS = /[=:]/g;
const CLASS_NAMES = /\bclass[ \t]+([A-Za-z_]\w*)/g;
/** A name between brackets or commas: every plain parameter (and many arguments). */
const LISTED_NAMES = /[(,]\s*\**([A-Za-z_]\w*)(?=\s*[,)])/g;
/** A value that is a call of a dotted name; its last part is captured. */
const CALL_VALUE = /[ \t]*(?:[A-Za-z_]\w*[ \t]*\.[ \t]*)*([A-Za-z_]\w*)[ \t]*\(/y;
const PARTIAL_ALIAS = /\bpartial[ \t]+as[ \t]+([A-Za-z_]\w*)/g;

/** The names a reference could resolve through; with `parameters`, also plain parameter names. */
export function boundNames(text: string, parameters = false): Set<string> {
  const names = new Set<string>();
  const partials = new Set(['partial']);
  for (const match of text.matchAll(PARTIAL_ALIAS)) {
    partials.add(match[1] ?? 'partial');
  }
  for (const mark of text.matchAll(BINDING_MARKS)) {
    const at = mark.index;
    const isAssignment = mark[0] === '=';
    // `==` compares; `x == y` also puts a `=` after `=`, and `<=`/`+=` an operator before it.
    if (isAssignment && text.charCodeAt(at + 1) === 61) {
      continue;
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
    if (start === end) {
      continue;
    }
    if (isAssignment) {
      CALL_VALUE.lastIndex = at + 1;
      const called = CALL_VALUE.exec(text)?.[1];
      if (called !== undefined && !partials.has(called)) {
        continue;
      }
    }
    names.add(text.slice(start, end));
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

/** True when the file mentions anything that could make a statement hold a site. */
export function mayHoldSite(text: string): boolean {
  return NORM_NAME.test(text) || NORM_LAYER_ARGUMENT.test(text) || !normLikeCalls(text).next().done;
}

/** True when a norm-like call may go through a reference (imported names and functions never do). */
export function mayBeReference(call: NormLikeCall, unreferable: ReadonlySet<string>): boolean {
  const shown = call.isSelf ? `self.${call.name}` : call.name;
  return NORM_LIKE_NAME.test(shown) && (call.isSelf || !unreferable.has(call.name));
}

/** A whole-word alternation of `words`, or undefined when there are none. */
export function wordPattern(words: ReadonlySet<string>, flags = ''): RegExp | undefined {
  if (words.size === 0) {
    return undefined;
  }
  return new RegExp(`\\b(?:${[...words].join('|')})\\b`, flags);
}

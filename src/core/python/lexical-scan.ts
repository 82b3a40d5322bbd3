/**
 * Text scans for the parse planner: where a file mentions a norm callable in code, and how each
 * mention is used. Each scan is one regular-expression pass over the whole file, so a file's cost
 * does not grow with its number of statements.
 */

/** Names of the norm callables: every direct site and every resolved reference spells one. */
export const NORM_NAME =
  /BatchNorm|InstanceNorm|LayerNorm|GroupNorm|RMSNorm|LocalResponseNorm|CrossMapLRN|(?:batch|layer|instance|group|rms|local_response)_norm/;

/** The keyword through which builders receive a norm layer, e.g. `Conv2dNormActivation(…, norm_layer=…)`. */
export const NORM_LAYER_ARGUMENT = /\bnorm_layer[ \t]*=(?!=)/;

const NORM_NAMES = new RegExp(NORM_NAME.source, 'g');
const NORM_LAYER_ARGUMENTS = new RegExp(NORM_LAYER_ARGUMENT.source, 'g');
/** Every identifier that may read like a norm (`norm_layer`, `bn1`, `conv_bn`) contains one of these. */
const NORM_LIKE_PART = /norm|bn/gi;
/** After a name: a call, or a call of a subscript (`norms[key](`). */
const CALLED = /\s*(?:\(|\[[^\]\n]*\]\s*\()/y;
const WORD_CHAR = /[\w]/;
const DOTTED_CHAR = /[\w.]/;
const SPACE = /[\s\\]/;

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
    while (start > 0 && DOTTED_CHAR.test(text.charAt(start - 1))) {
      start--;
    }
    let end = match.index + match[0].length;
    while (end < text.length && WORD_CHAR.test(text.charAt(end))) {
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
  while (before >= 0 && SPACE.test(text.charAt(before))) {
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
  while (at >= 0 && SPACE.test(text.charAt(at))) {
    at--;
  }
  return text.charAt(at);
}

function nextCode(text: string, index: number): string {
  let at = index;
  while (at < text.length && SPACE.test(text.charAt(at))) {
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
    while (start > 0 && WORD_CHAR.test(text.charAt(start - 1))) {
      start--;
    }
    let end = match.index + match[0].length;
    while (end < text.length && WORD_CHAR.test(text.charAt(end))) {
      end++;
    }
    skipUntil = end;
    CALLED.lastIndex = end;
    if (!CALLED.test(text) || /\d/.test(text.charAt(start)) || opaque?.contains(start)) {
      continue;
    }
    const isSelf = text.startsWith('self.', start - 5) && !DOTTED_CHAR.test(text.charAt(start - 6));
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
const ASSIGNED_NAMES = /([A-Za-z_]\w*)[ \t]*=(?!=)/g;
const ANNOTATED_NAMES = /([A-Za-z_]\w*)[ \t]*:/g;
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
  for (const match of text.matchAll(ASSIGNED_NAMES)) {
    CALL_VALUE.lastIndex = match.index + match[0].length;
    const called = CALL_VALUE.exec(text)?.[1];
    if (match[1] && (called === undefined || partials.has(called))) {
      names.add(match[1]);
    }
  }
  const patterns = parameters
    ? [ANNOTATED_NAMES, CLASS_NAMES, LISTED_NAMES]
    : [ANNOTATED_NAMES, CLASS_NAMES];
  for (const pattern of patterns) {
    for (const match of text.matchAll(pattern)) {
      if (match[1]) {
        names.add(match[1]);
      }
    }
  }
  return names;
}

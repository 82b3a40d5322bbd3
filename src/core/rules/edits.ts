/**
 * Text edits rules offer as quick fixes. An edit is offered only where its effect is certain: a
 * literal argument is replaced in place, and a keyword is appended only to a one-line call (a
 * multi-line call may end with a trailing comma the rule cannot see).
 */
import type { Fix, NormSite, Param, SourceRange, TextEdit } from '../model';

/** Replaces the literal written for `param` (not a shared constant, which other code may use). */
export function replaceLiteral(param: Param | undefined, newText: string): TextEdit | undefined {
  if (param?.source !== 'literal' || !param.origin) {
    return undefined;
  }
  return { range: param.origin, newText };
}

/** Appends `, name=value` before the closing parenthesis of a one-line call. */
export function appendKeyword(callRange: SourceRange, keyword: string): TextEdit | undefined {
  if (callRange.start.line !== callRange.end.line || callRange.end.character < 1) {
    return undefined;
  }
  const at = { line: callRange.end.line, character: callRange.end.character - 1 };
  return { range: { start: at, end: at }, newText: `, ${keyword}` };
}

/**
 * Sets a keyword argument of the site's call: replaces a literal argument, or appends the keyword
 * when the argument is not written (its default applies).
 */
export function setArgument(
  site: NormSite,
  name: string,
  newText: string,
  keyword = name,
): TextEdit | undefined {
  const param = site.params[name];
  if (param && param.source !== 'default') {
    return replaceLiteral(param, newText);
  }
  if (site.location.type !== 'text') {
    return undefined;
  }
  return appendKeyword(site.location.range, `${keyword}=${newText}`);
}

/** A fix with one edit, or nothing when the edit is not safe. */
export function singleEditFix(title: string, edit: TextEdit | undefined, preferred = false): Fix[] {
  return edit ? [{ title, edits: [edit], ...(preferred ? { preferred } : {}) }] : [];
}

/**
 * Writes `value` in the style of `written`: the same number of decimals (`0.99` → `0.01`), a bare
 * leading dot kept (`.99` → `.01`), exponent form kept (`9e-1` → `1e-1`).
 */
export function spellLike(written: string | undefined, value: number): string {
  const text = written?.trim() ?? '';
  if (/^\d*\.?\d+[eE][-+]?\d+$/.test(text)) {
    return value.toExponential().replace('e+', 'e');
  }
  const decimals = /^\d*\.(\d+)$/.exec(text)?.[1]?.length;
  if (decimals === undefined) {
    return String(value);
  }
  const fixed = value.toFixed(decimals);
  return text.startsWith('.') ? fixed.replace(/^0\./, '.') : fixed;
}

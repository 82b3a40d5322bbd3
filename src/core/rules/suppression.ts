/**
 * Inline suppression. A finding is dropped when its first line carries a directive comment, or
 * when the line above is a comment-only line with one:
 *
 *   Python:  `# normlens: ignore[rule-id, other-id]`  or  `# normlens: ignore` (every rule)
 *   JS/TS:   `// normlens-ignore rule-id other-id`    or  `// normlens-ignore`  (every rule)
 *
 * A trailing directive applies to its own line only, so `x = f()  # normlens: ignore` does not
 * silence the next statement.
 */
import type { Finding } from '../model';

/** Comment syntax of the analysed text. */
export type CommentStyle = 'python' | 'javascript';

/** What one directive silences: every rule (`all`) or the listed ids. */
type Directive = 'all' | ReadonlySet<string>;

const PATTERNS: Readonly<Record<CommentStyle, RegExp>> = {
  python: /(^|\s)#\s*normlens:\s*ignore(?:\[([^\]]*)\])?/,
  javascript: /(^|\s)\/\/\s*normlens-ignore\b([^\n]*)/,
};

const COMMENT_ONLY: Readonly<Record<CommentStyle, RegExp>> = {
  python: /^\s*#/,
  javascript: /^\s*\/\//,
};

/** The directive on one line, if any. */
export function directiveOf(line: string, style: CommentStyle): Directive | undefined {
  const match = PATTERNS[style].exec(line);
  if (!match) {
    return undefined;
  }
  const ids = (match[2] ?? '')
    .split(/[\s,]+/)
    .map((id) => id.trim())
    .filter((id) => id.length > 0);
  return ids.length === 0 ? 'all' : new Set(ids);
}

/** `findings` without those an inline directive silences. Graph (model) findings are kept. */
export function applySuppressions(
  text: string,
  findings: readonly Finding[],
  style: CommentStyle,
): Finding[] {
  if (!text.includes('normlens')) {
    return [...findings];
  }
  const lines = text.split(/\r\n|\r|\n/);
  const silences = (directive: Directive | undefined, rule: string): boolean =>
    directive === 'all' || directive?.has(rule) === true;
  return findings.filter((finding) => {
    if (finding.location.type !== 'text') {
      return true;
    }
    const line = finding.location.range.start.line;
    const own = lines[line];
    const above = lines[line - 1];
    const aboveDirective =
      above !== undefined && COMMENT_ONLY[style].test(above)
        ? directiveOf(above, style)
        : undefined;
    return !(
      silences(own === undefined ? undefined : directiveOf(own, style), finding.rule) ||
      silences(aboveDirective, finding.rule)
    );
  });
}

/**
 * Exclude patterns in VS Code's glob syntax (`**`, `*`, `?`, `{a,b}`, `[abc]`), matched against
 * paths relative to a workspace folder. A pattern that matches a folder excludes everything in it,
 * as `files.exclude` does.
 */

/** A compiled set of exclude patterns. */
export class ExcludeMatcher {
  private readonly patterns: readonly RegExp[];

  constructor(globs: Iterable<string>) {
    this.patterns = [...globs].filter((glob) => glob.trim() !== '').map(globToRegExp);
  }

  /** True when `relativePath` (with `/` separators) or one of its folders matches a pattern. */
  excludes(relativePath: string): boolean {
    if (this.patterns.length === 0) {
      return false;
    }
    const parts = relativePath.split('/');
    for (let end = 1; end <= parts.length; end++) {
      const prefix = parts.slice(0, end).join('/');
      if (this.patterns.some((pattern) => pattern.test(prefix))) {
        return true;
      }
    }
    return false;
  }
}

/** The anchored regular expression of one glob. */
export function globToRegExp(glob: string): RegExp {
  const source = glob.replace(/^\.\//, '').replace(/\/+$/, '');
  let out = '';
  let inBraces = false;
  for (let i = 0; i < source.length; i++) {
    const c = source.charAt(i);
    if (c === '*' && source.charAt(i + 1) === '*') {
      // `**/` may match no folder at all; a trailing or inner `**` matches anything.
      const slash = source.charAt(i + 2) === '/';
      out += slash ? '(?:.*/)?' : '.*';
      i += slash ? 2 : 1;
    } else if (c === '*') {
      out += '[^/]*';
    } else if (c === '?') {
      out += '[^/]';
    } else if (c === '{' && !inBraces) {
      inBraces = true;
      out += '(?:';
    } else if (c === '}' && inBraces) {
      inBraces = false;
      out += ')';
    } else if (c === ',' && inBraces) {
      out += '|';
    } else if (c === '[') {
      const close = source.indexOf(']', i + 1);
      if (close < 0) {
        out += '\\[';
      } else {
        const body = source
          .slice(i + 1, close)
          .replace(/^!/, '^')
          .replace(/\\/g, '\\\\');
        out += `[${body}]`;
        i = close;
      }
    } else {
      out += c.replace(/[.+^$()|\\\]{}]/g, '\\$&');
    }
  }
  return new RegExp(`^${out}${inBraces ? ')' : ''}$`);
}

/**
 * Finds where a layer or node is named in a model.json text, so graph sites (which carry only
 * names) can be shown at a line: diagnostics, hovers and "go to" in the editor.
 */
import type { SiteLocation, SourceRange } from '../model';
import { LineIndex } from './line-index';

/** Text ranges of the first `"name": "<name>"` entry for each name in a JSON text. */
export class JsonNameIndex {
  private readonly lines: LineIndex;
  private readonly cache = new Map<string, SourceRange | undefined>();

  constructor(private readonly text: string) {
    this.lines = new LineIndex(text);
  }

  /** The range of the quoted name after `"name":`, or undefined when it is not written so. */
  rangeOf(name: string): SourceRange | undefined {
    if (!this.cache.has(name)) {
      this.cache.set(name, this.find(name));
    }
    return this.cache.get(name);
  }

  /** The range of a graph location's first node, or undefined for text locations and unknown names. */
  rangeOfLocation(location: SiteLocation): SourceRange | undefined {
    const first = location.type === 'graph' ? location.nodes[0] : undefined;
    return first === undefined ? undefined : this.rangeOf(first);
  }

  private find(name: string): SourceRange | undefined {
    const quoted = JSON.stringify(name);
    const pattern = new RegExp(`"name"\\s*:\\s*${escapeRegExp(quoted)}`, 'g');
    const match = pattern.exec(this.text);
    if (!match) {
      return undefined;
    }
    const end = match.index + match[0].length;
    return { start: this.lines.positionAt(end - quoted.length), end: this.lines.positionAt(end) };
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

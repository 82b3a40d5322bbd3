/**
 * Writes a large JSON document piece by piece, exactly as `JSON.stringify(document, null, 2)`
 * would print it whole: the document is printed with its one large array reduced to a marker, and
 * the array's items, each printed alone and indented to the array's depth, go where the marker was.
 * A repository's report is then never one object graph and one string at once.
 */

/** A marker no report text contains: JSON prints the control character escaped. */
const MARKER = '\u0000items\u0000';

/** The placeholder to put where the large array goes in the document given to {@link JsonFrame}. */
export const ITEMS_PLACEHOLDER: readonly string[] = [MARKER];

/** A document's text around its large array. */
export class JsonFrame {
  private readonly before: string;
  private readonly after: string;
  private readonly indent: string;

  /** `document` holds {@link ITEMS_PLACEHOLDER} once, where the large array goes. */
  constructor(document: unknown) {
    const text = JSON.stringify(document, null, 2);
    const quoted = JSON.stringify(MARKER);
    const at = text.indexOf(quoted);
    const lineStart = text.lastIndexOf('\n', at) + 1;
    if (at < 0 || text.includes(quoted, at + 1)) {
      throw new Error('the document must hold the items placeholder once');
    }
    // `before` ends with the array's `[`, `after` starts at the line break before its `]`.
    this.before = text.slice(0, lineStart - 1);
    this.after = text.slice(at + quoted.length);
    this.indent = text.slice(lineStart, at);
  }

  /** `item` printed as an element of the array (without the separating comma). */
  item(item: unknown): string {
    return this.indent + JSON.stringify(item, null, 2).replaceAll('\n', `\n${this.indent}`);
  }

  /** The whole document's text, in pieces, with `items` (from {@link item}) as the array. */
  pieces(items: readonly string[]): string[] {
    if (items.length === 0) {
      // An empty array prints as `[]`: no line break or indentation before its `]`.
      return [this.before, this.after.replace(/^\n */, '')];
    }
    return [
      this.before,
      '\n',
      ...items.flatMap((item, i) => (i === 0 ? [item] : [',\n', item])),
      this.after,
    ];
  }
}

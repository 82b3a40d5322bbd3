/**
 * Reads of one syntax tree kept for one analysis. Every read of a web-tree-sitter node (its end, a
 * field child, its parent) crosses into WebAssembly and builds a new `Node` object, and the
 * analyses of a file ask the same questions many times. Here each read is made once per node, and
 * two questions are answered without visiting whole subtrees: the enclosing classes or functions
 * of a node come from one walk down to it (`parent` is answered by descending from the root, once
 * per level), and the places a name is written are found by searching the text first.
 */
import type { Node, Point } from 'web-tree-sitter';
import type { ReadText } from './ranges';

/** A node found by {@link TreeMemo.matching}, and where the name it was found by ends. */
export interface TextMatch {
  readonly node: Node;
  readonly nameEnd: number;
}

/**
 * Memoized reads of one tree, keyed by node id. Offsets are kept, so the tree must not be edited
 * while the memo is in use.
 */
export class TreeMemo {
  private source?: { readonly text: string; readonly start: number };
  private statements?: { readonly nodes: readonly Node[]; readonly starts: readonly number[] };
  private readonly ends = new Map<number, number>();
  private readonly types = new Map<number, string>();
  private readonly fields = new Map<string, Map<number, Node | null>>();
  private readonly parents = new Map<number, Node | null>();
  private readonly patterns = new Map<string, RegExp>();

  /** `read` reads the analysed text under a node. */
  constructor(
    private readonly root: Node,
    private readonly read: ReadText,
  ) {}

  /** A node's end offset. */
  endOf(node: Node): number {
    let end = this.ends.get(node.id);
    if (end === undefined) {
      end = node.endIndex;
      this.ends.set(node.id, end);
    }
    return end;
  }

  /** A node's type. */
  typeOf(node: Node): string {
    let type = this.types.get(node.id);
    if (type === undefined) {
      type = node.type;
      this.types.set(node.id, type);
    }
    return type;
  }

  /** A node's child in the field `name`. */
  field(node: Node, name: string): Node | null {
    let children = this.fields.get(name);
    if (!children) {
      children = new Map();
      this.fields.set(name, children);
    }
    let child = children.get(node.id);
    if (child === undefined) {
      child = node.childForFieldName(name);
      children.set(node.id, child);
      if (child) {
        // A field child's parent is known without asking the tree.
        this.parents.set(child.id, node);
      }
    }
    return child;
  }

  /** A node's named children. */
  namedChildrenOf(node: Node): Node[] {
    const children = node.namedChildren.filter((child): child is Node => child !== null);
    for (const child of children) {
      // Their parent is known without asking the tree.
      this.parents.set(child.id, node);
    }
    return children;
  }

  /** A node's parent. */
  parent(node: Node): Node | null {
    let parent = this.parents.get(node.id);
    if (parent === undefined) {
      parent = node.parent;
      this.parents.set(node.id, parent);
    }
    return parent;
  }

  /** The ancestors of `node` of the given types, innermost first. */
  ancestorsOf(node: Node, types: readonly string[]): Node[] {
    const start = node.startIndex;
    const end: Point = node.endPosition;
    // A walk limited to the node's span visits only what overlaps it: its ancestors, itself and
    // its descendants. Subtrees nest, so one that starts before the node holds it.
    const ancestors = (this.statementAt(start) ?? this.root)
      .descendantsOfType([...types], node.startPosition, end)
      .filter(
        (candidate): candidate is Node =>
          candidate !== null &&
          candidate.id !== node.id &&
          (candidate.startIndex < start ||
            (candidate.startIndex === start && this.endOf(candidate) >= this.endOf(node))),
      );
    // The walk lists an outer subtree before the subtrees it holds.
    return ancestors.reverse();
  }

  /**
   * Where `pattern` (a global expression whose first group is a name as written, followed by a
   * token of the construct sought) matches inside `owner`, in document order: for each match, the
   * smallest node spanning it, when that node starts where the match does, with the offset where
   * the name ends. Spanning the name and the token that follows it gives the construct (the call
   * of a callee, the assignment to a target) without asking the tree for a parent. The pattern may
   * match more than is sought, never less.
   */
  matching(owner: Node, pattern: RegExp): TextMatch[] {
    const { text, start } = this.sourceText();
    const from = owner.startIndex;
    // Only the owner's text is searched: a pattern that does not occur would otherwise be looked
    // for up to the end of the file.
    const span = text.slice(from - start, this.endOf(owner) - start);
    const matches: TextMatch[] = [];
    pattern.lastIndex = 0;
    for (let match = pattern.exec(span); match; match = pattern.exec(span)) {
      // Matches may overlap (`a.a` in `a.a.a`), so each is tried from the next character.
      pattern.lastIndex = match.index + 1;
      const index = from + match.index;
      const node = owner.descendantForIndex(index, index + match[0].length);
      if (node?.startIndex === index) {
        matches.push({ node, nameEnd: index + (match[1] ?? '').length });
      }
    }
    return matches;
  }

  /** The top-level statement that starts last at or before `index`: the one holding it, if any. */
  statementAt(index: number): Node | undefined {
    if (!this.statements) {
      const nodes = this.root.namedChildren.filter((node): node is Node => node !== null);
      this.statements = { nodes, starts: nodes.map((node) => node.startIndex) };
    }
    const { nodes, starts } = this.statements;
    let low = 0;
    let high = starts.length - 1;
    while (low <= high) {
      const middle = (low + high) >> 1;
      if ((starts[middle] ?? 0) <= index) {
        low = middle + 1;
      } else {
        high = middle - 1;
      }
    }
    return nodes[high];
  }

  /** The text under the root, and the offset it starts at. */
  private sourceText(): { readonly text: string; readonly start: number } {
    this.source ??= { text: this.read(this.root), start: this.root.startIndex };
    return this.source;
  }

  /** A compiled global expression for a source, compiled once. */
  pattern(source: string): RegExp {
    let pattern = this.patterns.get(source);
    if (!pattern) {
      pattern = new RegExp(source, 'g');
      this.patterns.set(source, pattern);
    }
    return pattern;
  }
}

/** A regular expression source that matches `text` literally. */
export function literal(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

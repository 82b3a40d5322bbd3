/**
 * Every value written to each plain variable of a file (`const x = …`, `x = …`), so a use can be
 * followed back to the write that reaches it, even for variables reassigned along the way
 * (`ds = ds.batch(4)`), which constant folding cannot follow.
 */
import type { Node } from 'web-tree-sitter';
import type { ReadText } from '../../syntax/ranges';

/** The writes of one file, indexed by variable name in source order. */
export class VariableWrites {
  private readonly writes = new Map<string, Node[]>();

  constructor(root: Node, read: ReadText) {
    for (const node of root.descendantsOfType(['variable_declarator', 'assignment_expression'])) {
      const declares = node?.type === 'variable_declarator';
      const target = node?.childForFieldName(declares ? 'name' : 'left');
      const value = node?.childForFieldName(declares ? 'value' : 'right');
      if (target?.type === 'identifier' && value) {
        const name = read(target);
        const list = this.writes.get(name);
        if (list) {
          list.push(value);
        } else {
          this.writes.set(name, [value]);
        }
      }
    }
  }

  /**
   * The value last written to `name` before `use`, not counting a write that contains `use`
   * (in `ds = ds.batch(4)` the `ds` on the right reads the previous write).
   */
  lastBefore(name: string, use: Node): Node | undefined {
    const candidates = (this.writes.get(name) ?? []).filter(
      (value) =>
        value.startIndex < use.startIndex &&
        !(value.startIndex <= use.startIndex && value.endIndex >= use.endIndex),
    );
    return candidates.at(-1);
  }

  /**
   * The value that reaches `use`: the last write before it or, when there is none (a function
   * declared above the module constant it reads), the only write of the name.
   */
  reaching(name: string, use: Node): Node | undefined {
    const before = this.lastBefore(name, use);
    if (before) {
      return before;
    }
    const all = this.writes.get(name) ?? [];
    return all.length === 1 && !contains(all[0], use) ? all[0] : undefined;
  }
}

function contains(outer: Node | undefined, inner: Node): boolean {
  return (
    outer !== undefined && outer.startIndex <= inner.startIndex && outer.endIndex >= inner.endIndex
  );
}

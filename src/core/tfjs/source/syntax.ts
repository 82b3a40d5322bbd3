/**
 * Small helpers over the JavaScript/TypeScript syntax tree: unwrapping type-only wrappers and
 * reading property names, so the other modules see plain JavaScript shapes.
 */
import type { Node } from 'web-tree-sitter';
import type { ReadText } from '../../syntax/ranges';

/** Expression wrappers that do not change the value: parentheses and TypeScript type syntax. */
const TRANSPARENT = new Set([
  'parenthesized_expression',
  'as_expression',
  'satisfies_expression',
  'non_null_expression',
  'type_assertion',
  'await_expression',
]);

/** The expression inside parentheses, `as T`, `satisfies T`, `x!`, `<T>x` and `await x`. */
export function unwrap(node: Node): Node {
  let current = node;
  while (TRANSPARENT.has(current.type)) {
    const inner =
      current.type === 'type_assertion' ? current.lastNamedChild : current.firstNamedChild;
    if (!inner) {
      break;
    }
    current = inner;
  }
  return current;
}

/** The named children of a node, without comments. */
export function childrenOf(node: Node | null): Node[] {
  return (node?.namedChildren ?? []).filter(
    (child): child is Node => child !== null && child.type !== 'comment',
  );
}

/** The text of a property key: `a`, `'a'`, `"a"`; undefined for computed keys. */
export function keyName(key: Node, read: ReadText): string | undefined {
  if (key.type === 'property_identifier' || key.type === 'identifier') {
    return read(key);
  }
  if (key.type === 'string') {
    return stringContent(key, read);
  }
  return key.type === 'number' ? read(key) : undefined;
}

/** The content of a string literal (escapes are left as written; tfjs names never need them). */
export function stringContent(node: Node, read: ReadText): string {
  return childrenOf(node)
    .filter((child) => child.type === 'string_fragment' || child.type === 'escape_sequence')
    .map(read)
    .join('');
}

/** True for a template string without `${…}` substitutions, which is a plain string. */
export function isPlainTemplate(node: Node): boolean {
  return (
    node.type === 'template_string' &&
    !childrenOf(node).some((c) => c.type === 'template_substitution')
  );
}

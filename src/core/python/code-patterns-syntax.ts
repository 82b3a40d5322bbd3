/**
 * Small syntax questions the code-pattern finders share: a call's method name and receiver, the
 * enclosing function, where a keyword can be appended to a call.
 */
import type { Node } from 'web-tree-sitter';
import type { SourceRange } from '../model';
import { splitArguments } from './arguments';
import type { ReadText } from '../syntax/ranges';

/** `name` and the receiver of a method call `receiver.name(…)`, else undefined. */
export function methodCall(
  call: Node,
  read: ReadText,
): { readonly name: string; readonly receiver: Node } | undefined {
  const callee = call.childForFieldName('function');
  if (callee?.type !== 'attribute') {
    return undefined;
  }
  const attribute = callee.childForFieldName('attribute');
  const receiver = callee.childForFieldName('object');
  return attribute && receiver ? { name: read(attribute), receiver } : undefined;
}

/** The callee's last name: `DistributedDataParallel` for `nn.parallel.DistributedDataParallel(…)`. */
export function calleeName(call: Node, read: ReadText): string | undefined {
  const callee = call.childForFieldName('function');
  if (callee?.type === 'identifier') {
    return read(callee);
  }
  const attribute = callee?.type === 'attribute' ? callee.childForFieldName('attribute') : null;
  return attribute ? read(attribute) : undefined;
}

/** The innermost function definition around `node`. */
export function enclosingFunction(node: Node): Node | undefined {
  for (let at = node.parent; at; at = at.parent) {
    if (at.type === 'function_definition') {
      return at;
    }
  }
  return undefined;
}

/** A function definition's name. */
export function functionName(fn: Node, read: ReadText): string {
  const name = fn.childForFieldName('name');
  return name ? read(name) : '';
}

/** Identifiers under `node` (including itself), by text. */
export function identifiersIn(node: Node, read: ReadText): Set<string> {
  const names = new Set<string>();
  if (node.type === 'identifier') {
    names.add(read(node));
  }
  for (const identifier of node.descendantsOfType('identifier')) {
    if (identifier) {
      names.add(read(identifier));
    }
  }
  return names;
}

/** True when `node` is or contains a binary `+` (an epsilon added to a variance). */
export function containsAddition(node: Node, read: ReadText): boolean {
  const operators = [node, ...node.descendantsOfType('binary_operator')];
  return operators.some(
    (op) => op?.type === 'binary_operator' && read(op.childForFieldName('operator') ?? op) === '+',
  );
}

/**
 * The empty range before a one-line call's closing parenthesis, where `, keyword=value` can go.
 * Undefined for multi-line calls (a trailing comma may follow) and calls with a `**kwargs`, which
 * could already pass the keyword.
 */
export function keywordInsertion(call: Node, read: ReadText): SourceRange | undefined {
  const list = call.childForFieldName('arguments');
  if (list?.type !== 'argument_list' || list.startPosition.row !== list.endPosition.row) {
    return undefined;
  }
  if (splitArguments(list, read).dictSplat) {
    return undefined;
  }
  const at = { line: list.endPosition.row, character: list.endPosition.column - 1 };
  return { start: at, end: at };
}

/**
 * The names an expression statement binds: `a` in `a = …`, `m, s` in `m, s = …`. Undefined when the
 * node is not the right-hand side of an assignment.
 */
export function assignedNames(value: Node, read: ReadText): string[] | undefined {
  const parent = value.parent;
  if (parent?.type !== 'assignment' || parent.childForFieldName('right')?.id !== value.id) {
    return undefined;
  }
  const left = parent.childForFieldName('left');
  if (!left) {
    return undefined;
  }
  if (left.type === 'identifier') {
    return [read(left)];
  }
  return left.namedChildren
    .filter((child): child is Node => child?.type === 'identifier')
    .map((child) => read(child));
}

/** Source text on one line, shortened for a related-information label. */
export function oneLine(text: string): string {
  const flat = text.replace(/\s+/g, ' ');
  return flat.length > 80 ? `${flat.slice(0, 77)}…` : flat;
}

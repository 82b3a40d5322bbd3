/** What one pass over a file's top level learns before call sites are examined. */
import type { Node } from 'web-tree-sitter';
import type { ImportTable } from './imports';
import { dottedParts, qualify } from './imports';
import { TreeMemo } from '../syntax/tree-memo';
import type { ReadText } from '../syntax/ranges';
import type { ValueResolver } from './values';

/** Imports and constants of one file: enough to resolve names and fold argument values. */
export interface FileScope {
  readonly imports: ImportTable;
  readonly values: ValueResolver;
  readonly read: ReadText;
}

/** A callee resolved through the imports: its source text and the qualified name it denotes. */
export interface ResolvedCallee {
  readonly node: Node;
  readonly text: string;
  readonly qualifiedName: string;
}

/** Resolves the function of a call (`nn.BatchNorm2d`, `BN`) to a qualified name, if imported. */
export function resolveCallee(call: Node, scope: FileScope): ResolvedCallee | undefined {
  const callee = call.childForFieldName('function');
  const parts = callee ? dottedParts(callee, scope.read) : undefined;
  const qualifiedName = parts ? qualify(parts, scope.imports) : undefined;
  return callee && parts && qualifiedName
    ? { node: callee, text: parts.join('.'), qualifiedName }
    : undefined;
}

/** One memo per analysis: a scope object lives exactly as long as one extraction of one tree. */
const memos = new WeakMap<FileScope, TreeMemo>();

/** The memoized reads of the tree `node` belongs to, shared by everything analysing it with `scope`. */
export function treeMemo(scope: FileScope, node: Node): TreeMemo {
  let memo = memos.get(scope);
  if (!memo) {
    memo = new TreeMemo(node.tree.rootNode, scope.read);
    memos.set(scope, memo);
  }
  return memo;
}

/**
 * What may follow an assignment target: `=`, or `:` of an annotation, after spaces or line
 * continuations (a comment would end the statement). `==` and `:=` are no assignments.
 */
const ASSIGNED = /(?=[ \t\f\r\n\\]*[=:](?!=))/.source;

/** An assignment and its target. */
export interface Assigned {
  readonly assignment: Node;
  readonly target: Node;
}

/**
 * The assignments inside `owner` (nested scopes included), in document order, whose target is
 * written as a match of `target` (a regular expression source).
 */
export function assignmentsTo(scope: FileScope, owner: Node, target: string): Assigned[] {
  const memo = treeMemo(scope, owner);
  return memo.matching(owner, new RegExp(target + ASSIGNED, 'g')).flatMap((node) => {
    // The target starts its assignment; the value and the annotation come after it.
    const assignment = memo.parent(node);
    return assignment?.type === 'assignment' && assignment.startIndex === node.startIndex
      ? [{ assignment, target: node }]
      : [];
  });
}

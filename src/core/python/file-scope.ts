/** What one pass over a file's top level learns before call sites are examined. */
import type { Node } from 'web-tree-sitter';
import type { ImportTable } from './imports';
import { dottedParts, qualify } from './imports';
import { TreeMemo, literal } from '../syntax/tree-memo';
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
  const memo = treeMemo(scope, call);
  let callees = resolvedCallees.get(memo);
  if (!callees) {
    callees = new Map();
    resolvedCallees.set(memo, callees);
  }
  if (callees.has(call.id)) {
    return callees.get(call.id);
  }
  const callee = memo.field(call, 'function');
  const parts = callee ? dottedParts(callee, scope.read, memo.typeOf(callee)) : undefined;
  const qualifiedName = parts ? qualify(parts, scope.imports) : undefined;
  const resolved =
    callee && parts && qualifiedName
      ? { node: callee, text: parts.join('.'), qualifiedName }
      : undefined;
  callees.set(call.id, resolved);
  return resolved;
}

/** Resolved callees by call id, per memo: a producer's callee is resolved by several readers. */
const resolvedCallees = new WeakMap<TreeMemo, Map<number, ResolvedCallee | undefined>>();

/** A node's child in a field, read once per analysis (several readers ask for the same callees). */
export function childOf(scope: FileScope, node: Node, field: string): Node | null {
  return treeMemo(scope, node).field(node, field);
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
 * What follows an assignment target: `=`, or `:` of an annotation, after spaces or line
 * continuations (a comment would end the statement). `==` and `:=` are no assignments.
 */
const ASSIGNED = /[ \t\f\r\n\\]*[=:](?!=)/.source;

/**
 * What follows a callee: its argument list, after spaces, line continuations or comments. A comment
 * runs to its line's end, so each character has one reading and a failed match stays linear.
 */
const CALLED = /(?:[ \t\f\r\n\\]|#[^\n]*\n)*\(/.source;

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
  return memo
    .matching(owner, memo.pattern(`(${target})${ASSIGNED}`))
    .flatMap(({ node, nameEnd }) => {
      // What spans a target and the `=` after it is its assignment, which the target starts.
      const left = memo.typeOf(node) === 'assignment' ? memo.field(node, 'left') : null;
      return left && memo.endOf(left) === nameEnd ? [{ assignment: node, target: left }] : [];
    });
}

/**
 * The calls inside `owner` (nested scopes included), in document order, whose callee is written
 * exactly `callee`.
 */
export function callsOf(scope: FileScope, owner: Node, callee: string): Node[] {
  const memo = treeMemo(scope, owner);
  return memo
    .matching(owner, memo.pattern(`(${literal(callee)})${CALLED}`))
    .flatMap(({ node, nameEnd }) => {
      // What spans a callee and the `(` after it is its call, which the callee starts.
      const function_ = memo.typeOf(node) === 'call' ? memo.field(node, 'function') : null;
      return function_ && memo.endOf(function_) === nameEnd ? [node] : [];
    });
}

const CLASS_TYPES = ['class_definition'];
/** The word that starts a class definition (and may appear in strings and comments). */
const CLASS_WORD = /\bclass\b/g;

/** Top-level classes that hold no other class, by node id (cached per memo). */
const singleClasses = new WeakMap<TreeMemo, Map<number, boolean>>();

/**
 * The class whose body holds `node`, if any. Most nodes lie in a top-level class whose text names
 * no other class: that class is the answer without walking the tree.
 */
export function enclosingClass(scope: FileScope, node: Node): Node | undefined {
  const memo = treeMemo(scope, node);
  const statement = memo.statementAt(node.startIndex);
  if (
    statement &&
    statement.id !== node.id &&
    node.startIndex < memo.endOf(statement) &&
    holdsOneClass(memo, statement, scope)
  ) {
    return statement;
  }
  return memo.ancestorsOf(node, CLASS_TYPES)[0];
}

/** True when `statement` is a class definition whose text has no other `class` word. */
function holdsOneClass(memo: TreeMemo, statement: Node, scope: FileScope): boolean {
  let known = singleClasses.get(memo);
  if (!known) {
    known = new Map();
    singleClasses.set(memo, known);
  }
  let single = known.get(statement.id);
  if (single === undefined) {
    single =
      memo.typeOf(statement) === 'class_definition' &&
      (scope.read(statement).match(CLASS_WORD)?.length ?? 0) === 1;
    known.set(statement.id, single);
  }
  return single;
}

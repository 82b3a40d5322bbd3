/** What one pass over a file's top level learns before call sites are examined. */
import type { Node } from 'web-tree-sitter';
import type { ImportTable } from './imports';
import { dottedParts, qualify } from './imports';
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

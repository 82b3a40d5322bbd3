/** Finds normalization call sites: calls whose callee resolves to a known norm callable. */
import type { Node } from 'web-tree-sitter';
import type { NormSite } from '../model';
import { bindArguments, splitArguments } from './arguments';
import type { FileScope } from './file-scope';
import { resolveCallee } from './file-scope';
import { rangeOf } from './ranges';
import { lookupSignature } from './signatures';

/** The site for `call` when it constructs or applies a normalization, else undefined. */
export function normSiteOf(call: Node, scope: FileScope): NormSite | undefined {
  const callee = resolveCallee(call, scope);
  const signature = callee && lookupSignature(callee.qualifiedName);
  if (!callee || !signature) {
    return undefined;
  }
  const args = splitArguments(call.childForFieldName('arguments'), scope.read);
  return {
    kind: signature.kind,
    variant: signature.variant,
    framework: 'pytorch',
    location: { type: 'text', range: rangeOf(call) },
    nameRange: rangeOf(callee.node),
    callee: scope.read(callee.node),
    resolvedFrom:
      callee.text === signature.qualifiedName
        ? signature.qualifiedName
        : `${callee.text} → ${signature.qualifiedName}`,
    params: bindArguments(args, signature.params, scope.values, scope.read),
  };
}

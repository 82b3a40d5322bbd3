/** Finds normalization call sites: calls whose callee resolves to a known norm callable. */
import type { Node } from 'web-tree-sitter';
import type { NormSite, SourceRange } from '../model';
import type { CallArguments } from './arguments';
import { bindArguments, splitArguments } from './arguments';
import type { FileScope } from './file-scope';
import { resolveCallee } from './file-scope';
import { rangeOf } from '../syntax/ranges';
import type { NormReference, ReferenceResolver } from './references';
import { lookupSignature } from './signatures';
import type { NormSignature } from './signatures';

/** A call that may construct a norm layer but whose callee could not be resolved statically. */
export interface UnresolvedCall {
  readonly callee: string;
  readonly reason: string;
  readonly range: SourceRange;
}

/** Callee names worth listing when unresolved: they read like norm factories. */
const NORM_LIKE = /norm|bn\b|^bn/i;

/** The outcome of examining one call. */
export type CallOutcome =
  { readonly site: NormSite } | { readonly unresolved: UnresolvedCall } | undefined;

/** The site for `call` when it constructs or applies a normalization. */
export function examineCall(
  call: Node,
  scope: FileScope,
  references: ReferenceResolver,
): CallOutcome {
  const direct = resolveCallee(call, scope);
  const signature = direct && lookupSignature(direct.qualifiedName);
  if (direct && signature) {
    const resolvedFrom =
      direct.text === signature.qualifiedName
        ? signature.qualifiedName
        : `${direct.text} → ${signature.qualifiedName}`;
    return { site: buildSite(call, direct.node, signature, resolvedFrom, scope) };
  }
  const callee = call.childForFieldName('function');
  // Names the imports resolve to something else (nn.Conv2d, torch.cat) are not norm layers.
  if (!callee || direct) {
    return undefined;
  }
  const resolved = references.resolve(callee);
  if (!resolved) {
    return undefined;
  }
  const text = scope.read(callee);
  if ('reason' in resolved) {
    return NORM_LIKE.test(text)
      ? { unresolved: { callee: text, reason: resolved.reason, range: rangeOf(call) } }
      : undefined;
  }
  return { site: indirectSite(call, callee, resolved, scope) };
}

function indirectSite(
  call: Node,
  callee: Node,
  reference: NormReference,
  scope: FileScope,
): NormSite {
  const { signature, subclass } = reference;
  const path = [...reference.path, signature.qualifiedName].join(' → ');
  const resolvedFrom = subclass ? `${path} (subclass ${subclass.name})` : path;
  const site = buildSite(call, callee, signature, resolvedFrom, scope, reference.bound);
  // A subclass with its own __init__ may take different arguments: nothing can be bound.
  return subclass?.ownInit ? { ...site, params: {} } : site;
}

function buildSite(
  call: Node,
  callee: Node,
  signature: NormSignature,
  resolvedFrom: string,
  scope: FileScope,
  bound?: CallArguments,
): NormSite {
  const written = splitArguments(call.childForFieldName('arguments'), scope.read);
  const args = bound ? mergeArguments(bound, written) : written;
  return {
    kind: signature.kind,
    variant: signature.variant,
    framework: 'pytorch',
    location: { type: 'text', range: rangeOf(call) },
    nameRange: rangeOf(callee),
    callee: scope.read(callee),
    resolvedFrom,
    params: bindArguments(args, signature.params, scope.values, scope.read),
  };
}

/** Arguments of a call through `partial`: the bound ones first, keywords overridable. */
function mergeArguments(bound: CallArguments, written: CallArguments): CallArguments {
  const listSplat = bound.listSplat ?? written.listSplat;
  const dictSplat = bound.dictSplat ?? written.dictSplat;
  return {
    positional: bound.listSplat ? bound.positional : [...bound.positional, ...written.positional],
    keywords: new Map([...bound.keywords, ...written.keywords]),
    ...(listSplat ? { listSplat } : {}),
    ...(dictSplat ? { dictSplat } : {}),
  };
}

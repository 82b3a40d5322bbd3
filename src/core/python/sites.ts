/** Finds normalization call sites: calls whose callee resolves to a known norm callable. */
import type { Node } from 'web-tree-sitter';
import type { NormSite, SourceRange } from '../model';
import type { CallArguments } from './arguments';
import { argumentAt, bindArguments, splitArguments } from './arguments';
import type { NormBuilder } from './builders';
import { NORM_LAYER_KEYWORD, lookupBuilder } from './builders';
import type { FileScope, ResolvedCallee } from './file-scope';
import { childOf, resolveCallee } from './file-scope';
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
export const NORM_LIKE_NAME = /norm|bn\b|^bn/i;

/**
 * The outcome of examining one call; `builder` is set when the site is the `norm_layer=` argument
 * of a library builder rather than the call itself.
 */
export type CallOutcome =
  | { readonly site: NormSite; readonly builder?: NormBuilder }
  | { readonly unresolved: UnresolvedCall }
  | undefined;

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
  const builder = direct && lookupBuilder(direct.qualifiedName);
  if (direct && builder) {
    return builderOutcome(call, direct, builder, scope, references);
  }
  const callee = childOf(scope, call, 'function');
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
    return NORM_LIKE_NAME.test(text)
      ? { unresolved: { callee: text, reason: resolved.reason, range: rangeOf(call) } }
      : undefined;
  }
  const written = splitArguments(call.childForFieldName('arguments'), scope.read);
  return { site: indirectSite(call, callee, resolved, scope, written) };
}

/**
 * The site of a builder call's `norm_layer=` argument: located at the argument's value, with the
 * arguments the builder passes to the norm layer (its `out_channels`, when known).
 */
function builderOutcome(
  call: Node,
  direct: ResolvedCallee,
  builder: NormBuilder,
  scope: FileScope,
  references: ReferenceResolver,
): CallOutcome {
  const args = splitArguments(call.childForFieldName('arguments'), scope.read);
  const value = args.keywords.get(NORM_LAYER_KEYWORD);
  const resolved = value && references.resolve(value);
  if (!value || !resolved) {
    return undefined;
  }
  if ('reason' in resolved) {
    const callee = `${direct.text}(${NORM_LAYER_KEYWORD}=${scope.read(value)})`;
    return { unresolved: { callee, reason: resolved.reason, range: rangeOf(value) } };
  }
  const channels = builder.channels && argumentAt(args, builder.channels);
  const passed: CallArguments = { positional: channels ? [channels] : [], keywords: new Map() };
  const prefix = `${direct.text}(${NORM_LAYER_KEYWORD}=…)`;
  return { site: indirectSite(value, value, resolved, scope, passed, prefix), builder };
}

/**
 * A site reached through a reference; `located` is the call (or the builder argument) the site is
 * reported at, `written` the arguments the norm layer receives there.
 */
function indirectSite(
  located: Node,
  callee: Node,
  reference: NormReference,
  scope: FileScope,
  written: CallArguments,
  prefix?: string,
): NormSite {
  const { signature, subclass } = reference;
  const hops = [...(prefix ? [prefix] : []), ...reference.path, signature.qualifiedName];
  const path = hops.join(' → ');
  const resolvedFrom = subclass ? `${path} (subclass ${subclass.name})` : path;
  const args = reference.bound ? mergeArguments(reference.bound, written) : written;
  const site = buildSite(located, callee, signature, resolvedFrom, scope, args);
  // A subclass with its own __init__ may take different arguments: nothing can be bound.
  return subclass?.ownInit ? { ...site, params: {} } : site;
}

function buildSite(
  located: Node,
  callee: Node,
  signature: NormSignature,
  resolvedFrom: string,
  scope: FileScope,
  args: CallArguments = splitArguments(located.childForFieldName('arguments'), scope.read),
): NormSite {
  return {
    kind: signature.kind,
    variant: signature.variant,
    framework: 'pytorch',
    location: { type: 'text', range: rangeOf(located) },
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

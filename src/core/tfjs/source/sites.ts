/**
 * Recognizes the tfjs normalization calls — the layer factories, the batchNorm and LRN ops, and
 * `tf.moments` — and builds their sites with effective parameters.
 */
import type { Node } from 'web-tree-sitter';
import type { Param } from '../../model';
import { descriptorOf, variantInfo } from '../../norms/index';
import { rangeOf, type ReadText } from '../../syntax/ranges';
import type { TfjsNormSite } from '../types';
import { argumentsOf, bindConfig, bindPositional } from './arguments';
import type { TfjsNames } from './imports';
import { MOMENTS_PARAMS, readMoments } from './moments';
import type { ValueResolver } from './values';

/** The tfjs paths NormLens reports, and how their arguments are written. */
const FORMS: ReadonlyMap<string, 'config' | 'positional' | 'moments'> = new Map([
  ['tf.layers.batchNormalization', 'config'],
  ['tf.layers.layerNormalization', 'config'],
  ['tf.batchNorm', 'positional'],
  ['tf.batchNorm2d', 'positional'],
  ['tf.batchNorm3d', 'positional'],
  ['tf.batchNorm4d', 'positional'],
  ['tf.localResponseNormalization', 'positional'],
  ['tf.moments', 'moments'],
]);

/** What a site builder needs to know about the file. */
export interface SourceScope {
  readonly names: TfjsNames;
  readonly values: ValueResolver;
  readonly read: ReadText;
}

/** The tfjs path of a call's callee, when it is one of the reported forms. */
export function normPath(call: Node, scope: SourceScope): string | undefined {
  const callee = call.childForFieldName('function');
  const path = callee ? scope.names.resolve(callee, scope.read) : undefined;
  return path !== undefined && FORMS.has(path) ? path : undefined;
}

/** The site for a call to one of the reported forms; undefined for any other call. */
export function siteOf(call: Node, scope: SourceScope): TfjsNormSite | undefined {
  const path = normPath(call, scope);
  const form = path && FORMS.get(path);
  const callee = call.childForFieldName('function');
  if (!path || !form || !callee) {
    return undefined;
  }
  const args = argumentsOf(call);
  const written = scope.read(callee);
  const base = {
    framework: 'tfjs' as const,
    location: { type: 'text' as const, range: rangeOf(call) },
    nameRange: rangeOf(callee),
    callee: written,
    context: { origin: 'source' as const },
  };
  if (form === 'moments') {
    const params = bindPositional(args, MOMENTS_PARAMS, scope.values, scope.read);
    const reading = readMoments(params['axis']?.value ?? null);
    return {
      ...base,
      kind: reading.kind,
      variant: 'tf.moments',
      resolvedFrom: `${arrow(written, path)} (hand-written normalization: ${reading.reason})`,
      params,
    };
  }
  const info = variantInfo(path, 'tfjs');
  if (!info) {
    return undefined;
  }
  const specs = descriptorOf(info.kind).params(info.variant, 'tfjs');
  const params: Record<string, Param> =
    form === 'config'
      ? bindConfig(args[0], specs, scope.values, scope.read)
      : bindPositional(args, specs, scope.values, scope.read);
  return {
    ...base,
    kind: info.kind,
    variant: info.variant,
    resolvedFrom: arrow(written, path),
    params,
  };
}

/** `L.batchNormalization → tf.layers.batchNormalization`, or the path alone when written so. */
function arrow(written: string, path: string): string {
  return written === path ? path : `${written} → ${path}`;
}

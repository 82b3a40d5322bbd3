/**
 * Binds the arguments of a tfjs call to the descriptor's parameters: a layer's single config
 * object (`{axis: 3, momentum: 0.9}`, held inline or in a constant, with spreads) or an op's
 * positional arguments. Unwritten parameters take the tfjs default, or stay unknown when a spread
 * or an opaque config could supply them.
 */
import type { Node } from 'web-tree-sitter';
import type { Param } from '../../model';
import type { ParamSpec } from '../../norms/index';
import { rangeOf, type ReadText } from '../../syntax/ranges';
import { childrenOf } from './syntax';
import type { Entries, ValueResolver } from './values';

/** The arguments of a call, without comments. */
export function argumentsOf(call: Node): Node[] {
  return childrenOf(call.childForFieldName('arguments'));
}

/** Binds a layer's config object (the first argument) to config-key parameters. */
export function bindConfig(
  config: Node | undefined,
  specs: readonly ParamSpec[],
  values: ValueResolver,
  read: ReadText,
): Record<string, Param> {
  const entries: Entries | undefined = config ? values.entries(config) : { entries: new Map() };
  const opaque = entries === undefined ? config : entries.openSpread;
  const bound: Record<string, Param> = {};
  for (const spec of specs) {
    const entry = entries?.entries.get(spec.name);
    if (entry) {
      bound[spec.name] = values.param(entry.value, entry.viaConstant);
    } else if (opaque) {
      // The config is not a literal object (or spreads one that is not): the key may be set there.
      bound[spec.name] = {
        value: null,
        source: 'unknown',
        expression: read(opaque),
        origin: rangeOf(opaque),
      };
    } else {
      bound[spec.name] = defaultOf(spec);
    }
  }
  return bound;
}

/** Binds an op's positional arguments; a spread argument makes the rest unknown. */
export function bindPositional(
  args: readonly Node[],
  specs: readonly ParamSpec[],
  values: ValueResolver,
  read: ReadText,
): Record<string, Param> {
  const spreadAt = args.findIndex((arg) => arg.type === 'spread_element');
  const bound: Record<string, Param> = {};
  for (const spec of specs) {
    const position = spec.position ?? -1;
    const spread = spreadAt >= 0 && position >= spreadAt ? args[spreadAt] : undefined;
    const argument = spread ? undefined : args[position];
    if (argument) {
      bound[spec.name] = values.param(argument);
    } else if (spread) {
      bound[spec.name] = {
        value: null,
        source: 'unknown',
        expression: read(spread),
        origin: rangeOf(spread),
      };
    } else {
      bound[spec.name] = defaultOf(spec);
    }
  }
  return bound;
}

/** The tfjs default of a parameter; required ones without an argument are unknown. */
function defaultOf(spec: ParamSpec): Param {
  const value = spec.defaults.tfjs;
  return value === undefined ? { value: null, source: 'unknown' } : { value, source: 'default' };
}

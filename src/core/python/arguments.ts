/**
 * Binds the arguments of a call to a signature, Python-style: positional arguments fill the
 * non-keyword-only parameters in order, keywords fill by name, the rest take their defaults.
 */
import type { Node } from 'web-tree-sitter';
import type { Param } from '../model';
import type { ReadText } from '../syntax/ranges';
import { rangeOf } from '../syntax/ranges';
import type { ParamSpec } from './signatures';
import type { ValueResolver } from './values';

/** The arguments of one call, split the way Python binds them. */
export interface CallArguments {
  readonly positional: readonly Node[];
  readonly keywords: ReadonlyMap<string, Node>;
  /** A `*args` or `**kwargs` argument: parameters it may fill are unknown. */
  readonly listSplat?: Node;
  readonly dictSplat?: Node;
}

/** Splits an `argument_list` node into positional, keyword and splat arguments. */
export function splitArguments(argumentList: Node | null, read: ReadText): CallArguments {
  const positional: Node[] = [];
  const keywords = new Map<string, Node>();
  let listSplat: Node | undefined;
  let dictSplat: Node | undefined;
  for (const argument of argumentList?.namedChildren ?? []) {
    if (!argument || argument.type === 'comment') {
      continue;
    }
    if (argument.type === 'keyword_argument') {
      const name = argument.childForFieldName('name');
      const value = argument.childForFieldName('value');
      if (name && value) {
        keywords.set(read(name), value);
      }
    } else if (argument.type === 'list_splat') {
      listSplat ??= argument;
    } else if (argument.type === 'dictionary_splat') {
      dictSplat ??= argument;
    } else if (!listSplat) {
      // Positional arguments after `*args` land at unknown positions, so they are not bound.
      positional.push(argument);
    }
  }
  return {
    positional,
    keywords,
    ...(listSplat ? { listSplat } : {}),
    ...(dictSplat ? { dictSplat } : {}),
  };
}

/** The effective value of every parameter of `params` for these arguments. */
export function bindArguments(
  args: CallArguments,
  params: readonly ParamSpec[],
  values: ValueResolver,
  read: ReadText,
): Record<string, Param> {
  const bound: Record<string, Param> = {};
  let position = 0;
  for (const spec of params) {
    const positional = spec.keywordOnly ? undefined : args.positional[position];
    if (!spec.keywordOnly) {
      position++;
    }
    const argument = positional ?? args.keywords.get(spec.name);
    const param = argument ? values.param(argument) : unwritten(spec, args, read);
    if (param) {
      bound[spec.name] = param;
    }
  }
  return bound;
}

/** The value of a parameter the call does not write: unknown behind a splat, else the default. */
function unwritten(spec: ParamSpec, args: CallArguments, read: ReadText): Param | undefined {
  if (spec.recent) {
    return undefined;
  }
  // A splat could supply the parameter: `*args` only the positional ones, `**kw` any.
  const splat = (spec.keywordOnly ? undefined : args.listSplat) ?? args.dictSplat;
  if (splat) {
    return { value: null, source: 'unknown', expression: read(splat), origin: rangeOf(splat) };
  }
  return spec.default === undefined
    ? { value: null, source: 'unknown' }
    : { value: spec.default, source: 'default' };
}

/** The argument written for a parameter known by keyword and position, if any. */
export function argumentAt(
  args: CallArguments,
  parameter: { readonly keyword: string; readonly position: number },
): Node | undefined {
  return args.keywords.get(parameter.keyword) ?? args.positional[parameter.position];
}

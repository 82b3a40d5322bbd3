/**
 * AdaIN-style statistics: `feat.view(N, C, -1).var(dim=2)` or `x.std(dim=(2, 3))` is Bessel-corrected
 * (unbiased), unlike InstanceNorm, and NaN on 1×1 maps. Reported only when the statistics re-scale
 * features (`normalized * style_std + style_mean`), directly or through the function returning them
 * (`calc_mean_std`), so other uses of a variance (metrics, tests) stay quiet.
 */
import type { Node } from 'web-tree-sitter';
import type { UnbiasedInstanceStats } from '../model';
import { rangeOf, type ReadText } from '../syntax/ranges';
import { splitArguments } from './arguments';
import {
  assignedNames,
  enclosingFunction,
  functionName,
  identifiersIn,
  keywordInsertion,
  methodCall,
  oneLine,
} from './code-patterns-syntax';

/** Receivers that flatten the spatial dims into one: `x.view(N, C, -1)`, `x.reshape(b, c, -1)`. */
const FLATTENING = new Set(['view', 'reshape']);

/**
 * A word every `x.var(…)`/`x.std(…)` call holds, however it is spaced: a top-level statement without
 * it in its code holds no statistic.
 */
export const STATISTICS_TOKEN = /\b(?:var|std)\b/g;

/**
 * `def name`, also after a line continuation; the name ends where its parameters start. A call to a
 * function computing statistics may re-scale what it returns ({@link rescaleOf}), so the statements
 * naming such functions are read with the ones holding the statistics.
 */
export const DEFINITION = /\bdef(?:\s|\\)+([^\s(:[\\]+)/g;

/** Unbiased per-sample, per-channel statistics that re-scale features, under `root`. */
export function findUnbiasedInstanceStats(root: Node, read: ReadText): UnbiasedInstanceStats[] {
  const found: UnbiasedInstanceStats[] = [];
  for (const call of root.descendantsOfType('call')) {
    const stat = call && spatialStatistic(call, read);
    const fn = call && enclosingFunction(call);
    if (!call || !stat || !fn) {
      continue;
    }
    const rescale = rescaleOf(call, fn, root, read);
    if (!rescale) {
      continue;
    }
    const keywordAt = keywordInsertion(call, read);
    found.push({
      range: rangeOf(call),
      statistic: stat.statistic,
      dims: stat.dims,
      functionName: functionName(fn, read),
      message: `${stat.statistic}(${stat.dims}) here`,
      rescale: { message: `re-scaled here: ${oneLine(read(rescale))}`, range: rangeOf(rescale) },
      ...(keywordAt ? { keywordAt } : {}),
    });
  }
  return found;
}

/**
 * `x.var(…)`/`x.std(…)` (or `torch.var(x, …)`) over spatial dims with Bessel's correction: dims all
 * ≥ 2 (`(2, 3)` of NCHW), or dim 2 / -1 of a `view(N, C, -1)`. Undefined otherwise, or when
 * `unbiased=False`/`correction=0` is written.
 */
function spatialStatistic(
  call: Node,
  read: ReadText,
): { readonly statistic: 'var' | 'std'; readonly dims: string } | undefined {
  const method = methodCall(call, read);
  const statistic = method?.name;
  if (!method || (statistic !== 'var' && statistic !== 'std')) {
    return undefined;
  }
  const args = splitArguments(call.childForFieldName('arguments'), read);
  const functional = read(method.receiver) === 'torch';
  const input = functional ? args.positional[0] : method.receiver;
  const dim = args.keywords.get('dim') ?? args.positional[functional ? 1 : 0];
  const unbiased = args.keywords.get('unbiased') ?? args.positional[functional ? 2 : 1];
  const correction = args.keywords.get('correction');
  if (
    !input ||
    !dim ||
    args.dictSplat ||
    (unbiased && read(unbiased) !== 'True') ||
    (correction && read(correction) !== '1')
  ) {
    return undefined;
  }
  const dims = intsOf(dim, read);
  const flattened = flattensSpatial(input, read);
  const spatial =
    dims !== undefined &&
    dims.length > 0 &&
    (dims.every((d) => d >= 2) || (flattened && dims.length === 1 && dims[0] === -1));
  return spatial ? { statistic, dims: `dim=${read(dim)}` } : undefined;
}

/** An int, or a tuple/list of ints, as numbers. */
function intsOf(node: Node, read: ReadText): number[] | undefined {
  const items = ['tuple', 'list'].includes(node.type) ? node.namedChildren : [node];
  const values: number[] = [];
  for (const item of items) {
    const text = item ? read(item) : '';
    if (!/^-?\d+$/.test(text)) {
      return undefined;
    }
    values.push(Number(text));
  }
  return values;
}

/** `x.view(a, b, -1)` / `x.reshape(a, b, -1)`: three dims, the spatial ones flattened last. */
function flattensSpatial(input: Node, read: ReadText): boolean {
  const method = input.type === 'call' ? methodCall(input, read) : undefined;
  const args = input.childForFieldName('arguments')?.namedChildren ?? [];
  return (
    method !== undefined &&
    FLATTENING.has(method.name) &&
    args.length === 3 &&
    read(args[2] ?? input) === '-1'
  );
}

/**
 * Where the statistic re-scales features: a `a * b + c` (or `a * b - c`) in `fn` naming a variable
 * bound to it, or, when `fn` returns it, in a caller binding `fn`'s results (`m, s = calc_mean_std(x)`).
 */
function rescaleOf(stat: Node, fn: Node, root: Node, read: ReadText): Node | undefined {
  const bound = boundNames(stat, fn, read);
  const local = bound.size > 0 ? affineUse(fn, bound, read) : undefined;
  if (local || !returns(fn, bound, stat, read)) {
    return local;
  }
  const name = functionName(fn, read);
  for (const call of root.descendantsOfType('call')) {
    const callee = call?.childForFieldName('function');
    const calleeText = callee ? read(callee) : '';
    if (!call || (calleeText !== name && !calleeText.endsWith(`.${name}`))) {
      continue;
    }
    const names = new Set(assignedNames(call, read) ?? []);
    const caller = enclosingFunction(call);
    const use = caller && names.size > 0 ? affineUse(caller, names, read) : undefined;
    if (use) {
      return use;
    }
  }
  return undefined;
}

/** Names assigned (in `fn`) from the statement holding `stat`, and from names derived from them. */
function boundNames(stat: Node, fn: Node, read: ReadText): Set<string> {
  const names = new Set<string>();
  let statement: Node | null = stat;
  while (statement && statement.parent?.type !== 'assignment') {
    statement = statement.parent;
    if (statement?.id === fn.id) {
      return names;
    }
  }
  for (const name of (statement && assignedNames(statement, read)) ?? []) {
    names.add(name);
  }
  // `std = var.sqrt()` after `var = feat.var(dim=2) + eps`: follow one step of derivation.
  for (const assignment of fn.descendantsOfType('assignment')) {
    const right = assignment?.childForFieldName('right');
    if (right && [...identifiersIn(right, read)].some((n) => names.has(n))) {
      for (const name of assignedNames(right, read) ?? []) {
        names.add(name);
      }
    }
  }
  return names;
}

/** True when `fn` returns the statistic or a name bound to it. */
function returns(fn: Node, bound: ReadonlySet<string>, stat: Node, read: ReadText): boolean {
  return fn.descendantsOfType('return_statement').some((ret) => {
    if (!ret) {
      return false;
    }
    const inside = ret.startIndex <= stat.startIndex && stat.endIndex <= ret.endIndex;
    return (
      inside || ret.descendantsOfType('identifier').some((id) => id !== null && bound.has(read(id)))
    );
  });
}

/** A `p * q ± r` in `fn` that names one of `names`: features re-scaled by the statistics. */
function affineUse(fn: Node, names: ReadonlySet<string>, read: ReadText): Node | undefined {
  for (const op of fn.descendantsOfType('binary_operator')) {
    const operator = op?.childForFieldName('operator');
    const left = op?.childForFieldName('left');
    if (!op || !operator || !['+', '-'].includes(read(operator))) {
      continue;
    }
    const scaled =
      left?.type === 'binary_operator' && read(left.childForFieldName('operator') ?? left) === '*';
    if (scaled && [...identifiersIn(op, read)].some((name) => names.has(name))) {
      return op;
    }
  }
  return undefined;
}

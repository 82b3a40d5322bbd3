/**
 * Copies of early torchvision `FrozenBatchNorm2d` compute `scale = w * rv.rsqrt()` with no epsilon,
 * which is Inf for a channel whose running variance is 0 (and NaN after `rm * scale`). Finds
 * `rsqrt` of the running variance without an added epsilon in classes that keep `running_var`.
 */
import type { Node } from 'web-tree-sitter';
import type { RsqrtWithoutEps } from '../model';
import { rangeOf, type ReadText } from '../syntax/ranges';
import {
  containsAddition,
  enclosingFunction,
  identifiersIn,
  methodCall,
} from './code-patterns-syntax';

/** Text that every top-level statement holding a finding of {@link findRsqrtWithoutEps} contains. */
export const RSQRT_TOKEN = /rsqrt/g;

/** Ways of bounding the variance away from 0 other than adding an epsilon. */
const GUARDED = /\beps|clamp|clip|max\(|\badd\(/;

/** Epsilons a class may store (`self.eps = eps`). */
const EPS_ATTRIBUTE = /\bself\.(eps|epsilon)\s*=/;

/** `rsqrt` of a running variance with no epsilon, in the classes under `root`. */
export function findRsqrtWithoutEps(root: Node, read: ReadText): RsqrtWithoutEps[] {
  const found: RsqrtWithoutEps[] = [];
  for (const cls of root.descendantsOfType('class_definition')) {
    const body = cls?.childForFieldName('body');
    const name = cls?.childForFieldName('name');
    if (!cls || !body || !name || !read(body).includes('running_var')) {
      continue;
    }
    const epsAttribute = EPS_ATTRIBUTE.exec(read(body))?.[0].replace(/\s*=$/, '');
    for (const call of body.descendantsOfType('call')) {
      const hit = call && rsqrtHit(call, read);
      if (hit) {
        found.push({
          range: hit.range,
          variance: hit.variance,
          ...(hit.definition ? { definition: hit.definition } : {}),
          className: read(name),
          classRange: rangeOf(name),
          message: `class ${read(name)} holds running_var`,
          ...(epsAttribute ? { epsAttribute } : {}),
          fix: { range: hit.replace, newText: hit.rewrite(epsAttribute ?? '1e-5') },
        });
      }
    }
  }
  return found;
}

interface RsqrtHit {
  readonly range: RsqrtWithoutEps['range'];
  readonly variance: string;
  readonly definition?: RsqrtWithoutEps['range'];
  /** The text the fix replaces, and its replacement for a given epsilon expression. */
  readonly replace: RsqrtWithoutEps['range'];
  readonly rewrite: (eps: string) => string;
}

/** `x.rsqrt()` or `torch.rsqrt(x)` where x is the running variance with nothing added. */
function rsqrtHit(call: Node, read: ReadText): RsqrtHit | undefined {
  const method = methodCall(call, read);
  if (method?.name !== 'rsqrt') {
    return undefined;
  }
  const args = call.childForFieldName('arguments')?.namedChildren.filter((a) => a !== null) ?? [];
  const receiverText = read(method.receiver);
  // `torch.rsqrt(x)`: the variance is the argument; `x.rsqrt()`: the receiver.
  const functional = receiverText === 'torch' && args.length === 1;
  const operand = functional ? args[0] : args.length === 0 ? method.receiver : undefined;
  if (!operand) {
    return undefined;
  }
  const variance = read(operand);
  const source = varianceSource(operand, call, read);
  if (!source || containsAddition(operand, read) || GUARDED.test(variance)) {
    return undefined;
  }
  return {
    range: rangeOf(call),
    variance,
    ...(source.definition ? { definition: rangeOf(source.definition) } : {}),
    replace: rangeOf(functional ? operand : call),
    rewrite: (eps) => (functional ? `${variance} + ${eps}` : `(${variance} + ${eps}).rsqrt()`),
  };
}

/**
 * Where `operand` gets the running variance: itself (`self.running_var`, `rv.reshape(…)` of it),
 * or the last assignment of a local name before the call (`rv = self.running_var.reshape(…)`),
 * provided that assignment adds nothing. Undefined when it is not the running variance.
 */
function varianceSource(
  operand: Node,
  call: Node,
  read: ReadText,
): { readonly definition?: Node } | undefined {
  if (read(operand).includes('running_var')) {
    return {};
  }
  const fn = enclosingFunction(call);
  const names = identifiersIn(operand, read);
  if (!fn || operand.type !== 'identifier') {
    return undefined;
  }
  let definition: Node | undefined;
  for (const assignment of fn.descendantsOfType('assignment')) {
    const left = assignment?.childForFieldName('left');
    const right = assignment?.childForFieldName('right');
    if (!assignment || !left || !right || assignment.startIndex > call.startIndex) {
      continue;
    }
    definition = assignedValue(left, right, names, read) ?? definition;
  }
  const text = definition ? read(definition) : '';
  const fromRunningVar = text.includes('running_var') && !GUARDED.test(text);
  return definition && fromRunningVar && !containsAddition(definition, read)
    ? { definition }
    : undefined;
}

/** The value `left = right` gives one of `names`: `rv = …`, or by position in `w, rv = a, b`. */
function assignedValue(
  left: Node,
  right: Node,
  names: ReadonlySet<string>,
  read: ReadText,
): Node | undefined {
  if (left.type === 'identifier') {
    return names.has(read(left)) ? right : undefined;
  }
  const targets = left.namedChildren;
  const values = right.namedChildren;
  if (!['pattern_list', 'tuple_pattern'].includes(left.type) || targets.length !== values.length) {
    return undefined;
  }
  const k = targets.findIndex((t) => t?.type === 'identifier' && names.has(read(t)));
  return k < 0 ? undefined : (values[k] ?? undefined);
}

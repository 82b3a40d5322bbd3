/**
 * Constant folding for JavaScript values: literals, `const` bindings (and `let`/`var` bindings
 * never reassigned), object properties and simple arithmetic. Anything else stays unknown.
 */
import type { Node } from 'web-tree-sitter';
import type { Param, ParamValue } from '../../model';
import {
  MAX_FOLD_NESTING,
  foldBinary,
  foldNumbers,
  foldSign,
  numericOperators,
} from '../../syntax/arithmetic';
import { SingleBindings } from '../../syntax/bindings';
import { rangeOf, type ReadText } from '../../syntax/ranges';
import { childrenOf, isPlainTemplate, keyName, stringContent, unwrap } from './syntax';

/** How deep constants may refer to each other; deeper chains stay unknown. */
const MAX_DEPTH = 16;

/** JavaScript division never throws: `x / 0` is ±Infinity (or NaN), as the code would compute. */
const OPERATORS = numericOperators({ '/': (a, b) => a / b });

/** A folded value, and whether a named constant was involved. */
export interface Folded {
  readonly value: ParamValue;
  readonly viaConstant: boolean;
}

/** One property of an object literal, after following spreads and constants. */
export interface Entry {
  readonly value: Node;
  /** True when the entry comes from a constant rather than the literal at the use site. */
  readonly viaConstant: boolean;
}

/** The properties of an object, and whether a spread of unknown content could add more. */
export interface Entries {
  readonly entries: ReadonlyMap<string, Entry>;
  readonly openSpread?: Node;
}

/** Collects single-assignment variable bindings (`const`, or `let`/`var` never reassigned). */
export function collectBindings(root: Node, read: ReadText): ReadonlyMap<string, Node> {
  const bindings = new SingleBindings<Node>();
  for (const declarator of root.descendantsOfType('variable_declarator')) {
    const name = declarator?.childForFieldName('name');
    const value = declarator?.childForFieldName('value');
    if (name?.type !== 'identifier' || !value) {
      continue;
    }
    bindings.bind(read(name), value);
  }
  for (const assignment of root.descendantsOfType([
    'assignment_expression',
    'augmented_assignment_expression',
  ])) {
    const left = assignment?.childForFieldName('left');
    if (left?.type === 'identifier') {
      bindings.reassign(read(left));
    }
  }
  return bindings.result();
}

/** Evaluates expressions against a file's bindings. */
export class ValueResolver {
  constructor(
    private readonly bindings: ReadonlyMap<string, Node>,
    private readonly read: ReadText,
  ) {}

  /** The expression `name` is bound to, when it is bound once. */
  binding(name: string): Node | undefined {
    return this.bindings.get(name);
  }

  /** The value of `node`, or undefined when it cannot be known statically. */
  evaluate(node: Node): Folded | undefined {
    return this.fold(node, 0);
  }

  /** A {@link Param} for an expression: literal, folded from constants, or unknown. */
  param(node: Node, fromConstant = false): Param {
    const folded = this.evaluate(node);
    const expression = this.read(node);
    const origin = rangeOf(node);
    if (!folded) {
      return { value: null, source: 'unknown', expression, origin };
    }
    const source = fromConstant || folded.viaConstant ? 'constant' : 'literal';
    return { value: folded.value, source, expression, origin };
  }

  /**
   * The properties of an object expression, an identifier bound to one, or a spread of those.
   * Undefined when `node` is not (statically) an object.
   */
  entries(node: Node, depth = 0): Entries | undefined {
    const target = unwrap(node);
    if (target.type === 'identifier') {
      const bound = this.bindings.get(this.read(target));
      const inner = bound && depth < MAX_DEPTH ? this.entries(bound, depth + 1) : undefined;
      return inner && markConstant(inner);
    }
    if (target.type === 'member_expression') {
      const object = target.childForFieldName('object');
      const property = target.childForFieldName('property');
      const outer = object && depth < MAX_DEPTH ? this.entries(object, depth + 1) : undefined;
      const entry = property && outer?.entries.get(this.read(property));
      const inner = entry ? this.entries(entry.value, depth + 1) : undefined;
      return inner && (entry?.viaConstant ? markConstant(inner) : inner);
    }
    if (target.type !== 'object') {
      return undefined;
    }
    const entries = new Map<string, Entry>();
    let openSpread: Node | undefined;
    for (const child of childrenOf(target)) {
      if (child.type === 'pair') {
        const key = child.childForFieldName('key');
        const value = child.childForFieldName('value');
        const name = key ? keyName(key, this.read) : undefined;
        if (name !== undefined && value) {
          entries.set(name, { value, viaConstant: false });
        }
      } else if (child.type === 'shorthand_property_identifier') {
        entries.set(this.read(child), { value: child, viaConstant: false });
      } else if (child.type === 'spread_element') {
        const spread = child.firstNamedChild;
        const inner = spread && depth < MAX_DEPTH ? this.entries(spread, depth + 1) : undefined;
        if (!inner) {
          // Later keys still override whatever the spread brings, so keep reading.
          openSpread = child;
          entries.clear();
          continue;
        }
        for (const [key, entry] of inner.entries) {
          entries.set(key, entry);
        }
        openSpread = inner.openSpread ?? openSpread;
      }
    }
    return openSpread ? { entries, openSpread } : { entries };
  }

  /** Expression levels being folded, against {@link MAX_FOLD_NESTING}. */
  private nesting = 0;

  private fold(raw: Node, depth: number): Folded | undefined {
    if (this.nesting >= MAX_FOLD_NESTING) {
      return undefined;
    }
    this.nesting++;
    try {
      return this.foldNode(unwrap(raw), depth);
    } finally {
      this.nesting--;
    }
  }

  private foldNode(node: Node, depth: number): Folded | undefined {
    switch (node.type) {
      case 'number':
        return literal(parseNumber(this.read(node)));
      case 'true':
        return literal(true);
      case 'false':
        return literal(false);
      case 'null':
      case 'undefined':
        return literal(null);
      case 'string':
        return literal(stringContent(node, this.read));
      case 'template_string':
        return isPlainTemplate(node) ? literal(this.read(node).slice(1, -1)) : undefined;
      case 'unary_expression':
        return this.foldUnary(node, depth);
      case 'binary_expression':
        return this.foldBinary(node, depth);
      case 'array':
        return this.foldArray(node, depth);
      case 'identifier':
      case 'shorthand_property_identifier':
        return this.foldName(this.read(node), depth);
      case 'member_expression':
        return this.foldMember(node, depth);
      default:
        return undefined;
    }
  }

  private foldName(name: string, depth: number): Folded | undefined {
    if (name === 'undefined') {
      return literal(null);
    }
    const bound = this.bindings.get(name);
    const folded = bound && depth < MAX_DEPTH ? this.fold(bound, depth + 1) : undefined;
    return folded && { value: folded.value, viaConstant: true };
  }

  private foldMember(node: Node, depth: number): Folded | undefined {
    const object = node.childForFieldName('object');
    const property = node.childForFieldName('property');
    const entries = object && depth < MAX_DEPTH ? this.entries(object, depth + 1) : undefined;
    const entry = property && entries?.entries.get(this.read(property));
    const folded = entry ? this.fold(entry.value, depth + 1) : undefined;
    return folded && { value: folded.value, viaConstant: true };
  }

  private foldUnary(node: Node, depth: number): Folded | undefined {
    const operator = node.childForFieldName('operator');
    const argument = node.childForFieldName('argument');
    const inner = argument && this.fold(argument, depth);
    if (!operator || !inner) {
      return undefined;
    }
    const op = this.read(operator);
    const signed = foldSign(op, inner, combine);
    if (signed) {
      return signed;
    }
    return op === '!' && typeof inner.value === 'boolean'
      ? { value: !inner.value, viaConstant: inner.viaConstant }
      : undefined;
  }

  private foldBinary(node: Node, depth: number): Folded | undefined {
    const left = node.childForFieldName('left');
    const right = node.childForFieldName('right');
    const operator = node.childForFieldName('operator');
    const a = left && this.fold(left, depth);
    const b = right && this.fold(right, depth);
    return foldBinary(OPERATORS, operator ? this.read(operator) : undefined, a, b, combine);
  }

  private foldArray(node: Node, depth: number): Folded | undefined {
    return foldNumbers(childrenOf(node), (element) => this.fold(element, depth), combine);
  }
}

function literal(value: ParamValue): Folded {
  return { value, viaConstant: false };
}

/** A value computed from `parts` came through a constant when any of them did. */
function combine(value: ParamValue, parts: readonly Folded[]): Folded {
  return { value, viaConstant: parts.some((part) => part.viaConstant) };
}

function markConstant(entries: Entries): Entries {
  const marked = new Map<string, Entry>();
  for (const [key, entry] of entries.entries) {
    marked.set(key, { value: entry.value, viaConstant: true });
  }
  return entries.openSpread
    ? { entries: marked, openSpread: entries.openSpread }
    : { entries: marked };
}

/** A JavaScript numeric literal: decimal, exponent, hex/octal/binary, with `_` separators. */
function parseNumber(text: string): number {
  const clean = text.replace(/_/g, '').replace(/n$/, '');
  return /^0[box]/i.test(clean) ? Number(clean) : Number.parseFloat(clean);
}

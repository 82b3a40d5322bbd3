/**
 * Constant folding for argument values: literals, module-level constants and simple arithmetic.
 * Anything else is left unknown, never guessed.
 */
import type { Node } from 'web-tree-sitter';
import type { Param, ParamValue, SourceRange } from '../model';
import {
  MAX_FOLD_NESTING,
  foldBinary,
  foldNumbers,
  foldSign,
  numericOperators,
} from '../syntax/arithmetic';
import { SingleBindings } from '../syntax/bindings';
import type { ReadText } from '../syntax/ranges';
import { rangeOf } from '../syntax/ranges';

/** A module-level `NAME = value` binding that is assigned exactly once. */
export interface ConstantDefinition {
  readonly name: string;
  readonly value: Node;
  /** The whole assignment, so a hover can point at `NAME = value`. */
  readonly range: SourceRange;
  readonly text: string;
}

/** A folded value and the constants it was folded from. */
export interface Folded {
  readonly value: ParamValue;
  readonly constants: readonly ConstantDefinition[];
}

/** How deep constant definitions may refer to each other; deeper chains stay unknown. */
const MAX_CONSTANT_DEPTH = 16;

/**
 * Python's own arithmetic on numbers (integer/float distinctions are not tracked): division by
 * zero raises, so it is not folded, and the remainder takes the sign of the divisor.
 */
const OPERATORS = numericOperators({
  '/': (a, b) => (b === 0 ? undefined : a / b),
  '//': (a, b) => (b === 0 ? undefined : Math.floor(a / b)),
  '%': (a, b) => (b === 0 ? undefined : ((a % b) + b) % b),
});

/** Collects module-level constants; a name assigned more than once is not a constant. */
export function collectConstants(
  module: Node,
  read: ReadText,
): ReadonlyMap<string, ConstantDefinition> {
  const constants = new SingleBindings<ConstantDefinition>();
  for (const statement of module.namedChildren) {
    const assignment =
      statement?.type === 'expression_statement' ? statement.firstNamedChild : null;
    if (assignment?.type !== 'assignment') {
      continue;
    }
    const left = assignment.childForFieldName('left');
    const right = assignment.childForFieldName('right');
    if (left?.type !== 'identifier' || !right) {
      continue;
    }
    const name = read(left);
    constants.bind(name, {
      name,
      value: right,
      range: rangeOf(assignment),
      text: read(assignment),
    });
  }
  return constants.result();
}

/** Evaluates expressions against a file's module-level constants. */
export class ValueResolver {
  constructor(
    private readonly constants: ReadonlyMap<string, ConstantDefinition>,
    private readonly read: ReadText,
  ) {}

  /** The expression a module-level constant is bound to, if `name` is one. */
  definition(name: string): Node | undefined {
    return this.constants.get(name)?.value;
  }

  /** The value of `node`, or undefined when it cannot be known statically. */
  evaluate(node: Node): Folded | undefined {
    return this.fold(node, 0);
  }

  /** A {@link Param} for an argument expression: literal, constant-folded, or unknown. */
  param(node: Node): Param {
    const folded = this.evaluate(node);
    const expression = this.read(node);
    if (!folded) {
      return { value: null, source: 'unknown', expression, origin: rangeOf(node) };
    }
    const [only, ...others] = folded.constants;
    if (!only) {
      return { value: folded.value, source: 'literal', expression, origin: rangeOf(node) };
    }
    // A single constant is best explained by its definition; a mix by the argument itself.
    const origin = others.length === 0 ? only.range : rangeOf(node);
    return { value: folded.value, source: 'constant', expression, origin };
  }

  /** Expression levels being folded, against {@link MAX_FOLD_NESTING}. */
  private nesting = 0;

  private fold(node: Node, depth: number): Folded | undefined {
    if (this.nesting >= MAX_FOLD_NESTING) {
      return undefined;
    }
    this.nesting++;
    try {
      return this.foldNode(node, depth);
    } finally {
      this.nesting--;
    }
  }

  private foldNode(node: Node, depth: number): Folded | undefined {
    switch (node.type) {
      case 'integer':
      case 'float':
        return literal(parseNumber(this.read(node)));
      case 'true':
        return literal(true);
      case 'false':
        return literal(false);
      case 'none':
        return { value: null, constants: [] };
      case 'string':
        return literal(stringValue(node, this.read));
      case 'parenthesized_expression': {
        const inner = node.firstNamedChild;
        return inner ? this.fold(inner, depth) : undefined;
      }
      case 'unary_operator':
        return this.foldUnary(node, depth);
      case 'binary_operator':
        return this.foldBinary(node, depth);
      case 'tuple':
      case 'list':
        return this.foldSequence(node, depth);
      case 'identifier':
        return this.foldConstant(this.read(node), depth);
      default:
        return undefined;
    }
  }

  private foldConstant(name: string, depth: number): Folded | undefined {
    const definition = this.constants.get(name);
    if (!definition || depth >= MAX_CONSTANT_DEPTH) {
      return undefined;
    }
    const folded = this.fold(definition.value, depth + 1);
    return folded && { value: folded.value, constants: [definition, ...folded.constants] };
  }

  private foldUnary(node: Node, depth: number): Folded | undefined {
    const argument = node.childForFieldName('argument');
    const operand = argument ? this.fold(argument, depth) : undefined;
    return foldSign(node.childForFieldName('operator')?.type, operand, combine);
  }

  private foldBinary(node: Node, depth: number): Folded | undefined {
    const leftNode = node.childForFieldName('left');
    const rightNode = node.childForFieldName('right');
    const left = leftNode ? this.fold(leftNode, depth) : undefined;
    const right = rightNode ? this.fold(rightNode, depth) : undefined;
    const operator = node.childForFieldName('operator')?.type;
    return foldBinary(OPERATORS, operator, left, right, combine);
  }

  private foldSequence(node: Node, depth: number): Folded | undefined {
    return foldNumbers(
      node.namedChildren,
      (element) => (element ? this.fold(element, depth) : undefined),
      combine,
    );
  }
}

function literal(value: ParamValue | undefined): Folded | undefined {
  return value === undefined ? undefined : { value, constants: [] };
}

/** Python numeric literal text to a number; complex literals (`2j`) are not numbers here. */
function parseNumber(text: string): number | undefined {
  const clean = text.replace(/_/g, '');
  if (/[jJ]$/.test(clean) || /[lL]$/.test(clean)) {
    return undefined;
  }
  const value = Number(clean);
  return Number.isNaN(value) ? undefined : value;
}

/** The value of a plain string literal; f-strings and byte strings are not folded. */
function stringValue(node: Node, read: ReadText): string | undefined {
  const start = node.firstChild;
  const prefix = start ? read(start) : '';
  if (/[fFbB]/.test(prefix)) {
    return undefined;
  }
  return node.namedChildren
    .filter((child) => child?.type === 'string_content')
    .map((child) => (child ? read(child) : ''))
    .join('');
}

/** A value computed from `parts` depends on every constant any of them was folded from. */
function combine(value: ParamValue, parts: readonly Folded[]): Folded {
  return { value, constants: unique(parts.flatMap((part) => part.constants)) };
}

function unique<T>(items: readonly T[]): T[] {
  return [...new Set(items)];
}

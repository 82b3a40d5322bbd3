/**
 * Constant folding of numeric expressions, shared by the Python and JavaScript extractors. Each
 * language says which binary operators it folds (Python refuses `x / 0`, JavaScript gives
 * Infinity) and how a folded value records what it was computed from; the folding is the same.
 */
import type { ParamValue } from '../model';

/** A binary operation on numbers; undefined where the language would raise. */
export type NumericOperation = (a: number, b: number) => number | undefined;

/** A language's foldable binary operators, by operator text. */
export type NumericOperators = ReadonlyMap<string, NumericOperation>;

/** A folded value, plus whatever a language records about where it came from. */
export interface FoldedValue {
  readonly value: ParamValue;
}

/** Builds a folded value from the parts it was computed from (to merge their provenance). */
export type Combine<F extends FoldedValue> = (value: ParamValue, parts: readonly F[]) => F;

/** Operators that mean the same on numbers in Python and JavaScript. */
const COMMON: Readonly<Record<string, NumericOperation>> = {
  '+': (a, b) => a + b,
  '-': (a, b) => a - b,
  '*': (a, b) => a * b,
  '**': (a, b) => a ** b,
};

/** The common operators plus a language's own (which win on a clash). */
export function numericOperators(
  own: Readonly<Record<string, NumericOperation>>,
): NumericOperators {
  // A Map, not the object: operator text must never reach inherited keys such as `constructor`.
  return new Map(Object.entries({ ...COMMON, ...own }));
}

/** `left operator right` when both sides folded to numbers and the operator is foldable. */
export function foldBinary<F extends FoldedValue>(
  operators: NumericOperators,
  operator: string | undefined,
  left: F | null | undefined,
  right: F | null | undefined,
  combine: Combine<F>,
): F | undefined {
  if (typeof left?.value !== 'number' || typeof right?.value !== 'number') {
    return undefined;
  }
  const operation = operator === undefined ? undefined : operators.get(operator);
  const value = operation?.(left.value, right.value);
  return value === undefined ? undefined : combine(value, [left, right]);
}

/** `-operand` or `+operand` on a number; undefined for anything else. */
export function foldSign<F extends FoldedValue>(
  operator: string | undefined,
  operand: F | null | undefined,
  combine: Combine<F>,
): F | undefined {
  if (typeof operand?.value !== 'number') {
    return undefined;
  }
  const value = operator === '-' ? -operand.value : operator === '+' ? operand.value : undefined;
  return value === undefined ? undefined : combine(value, [operand]);
}

/** A list of numbers when every element folds to a number; stops at the first that does not. */
export function foldNumbers<T, F extends FoldedValue>(
  elements: Iterable<T>,
  fold: (element: T) => F | null | undefined,
  combine: Combine<F>,
): F | undefined {
  const values: number[] = [];
  const parts: F[] = [];
  for (const element of elements) {
    const folded = fold(element);
    if (typeof folded?.value !== 'number') {
      return undefined;
    }
    values.push(folded.value);
    parts.push(folded);
  }
  return combine(values, parts);
}

/**
 * Expressions nested deeper than this are not folded. Folding recurses once per level, and
 * generated code (`a+a+…` twenty thousand times) would overflow the stack; hand-written parameter
 * expressions are never this deep.
 */
export const MAX_FOLD_NESTING = 100;

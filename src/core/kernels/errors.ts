// Argument errors. Messages follow PyTorch's wording so users recognize them.

/** What was wrong with the arguments of a kernel call. */
export type KernelErrorCode =
  | 'shape-mismatch'
  | 'rank'
  | 'groups-not-divisible'
  | 'invalid-eps'
  | 'invalid-argument'
  | 'too-few-values';

/** Thrown by a kernel for invalid arguments; `code` says which check failed. */
export class KernelArgumentError extends Error {
  override readonly name = 'KernelArgumentError';

  constructor(
    readonly code: KernelErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/** A number as Python prints a float: 0 → "0.0", 1e-5 → "1e-05". */
export function pythonFloat(value: number): string {
  const magnitude = Math.abs(value);
  if (Number.isInteger(value) && magnitude < 1e16) {
    return value.toFixed(1);
  }
  // Python switches to exponent notation below 1e-4 and from 1e16, with two exponent digits.
  const text = magnitude < 1e-4 || magnitude >= 1e16 ? value.toExponential() : String(value);
  return text.replace(/e([+-])(\d)$/, 'e$10$2');
}

/** A shape as PyTorch prints it in messages: [2, 6, 3, 3]. */
export function shapeText(shape: readonly number[]): string {
  return `[${shape.join(', ')}]`;
}

/** Checks that eps is positive and finite, as PyTorch's training-mode check does. */
export function requirePositiveEps(op: string, eps: number): void {
  if (!(eps > 0) || !Number.isFinite(eps)) {
    throw new KernelArgumentError(
      'invalid-eps',
      `${op} eps must be positive, but got ${pythonFloat(eps)}`,
    );
  }
}

/** Checks that an optional per-channel parameter has `expected` entries. */
export function requireLength(
  name: string,
  values: ArrayLike<number> | undefined,
  expected: number,
): void {
  if (values && values.length !== expected) {
    throw new KernelArgumentError(
      'shape-mismatch',
      `${name} should contain ${expected} elements not ${values.length}`,
    );
  }
}

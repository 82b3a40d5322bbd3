/**
 * Tiny builders for rule tests: a PyTorch site or a batch-size evidence on a given line.
 */
import type { BatchSizeEvidence, FileContext, NormKind, NormSite, Param, SourceRange } from '../../../src/core/index';

/** A one-line range starting at `character` on `line` (0-based). */
export function lineRange(line: number, character = 0, length = 10): SourceRange {
  return { start: { line, character }, end: { line, character: character + length } };
}

/** A literal parameter. */
export function literal(value: Param['value'], expression = String(value)): Param {
  return { value, source: 'literal', expression };
}

/** A defaulted parameter. */
export function byDefault(value: Param['value']): Param {
  return { value, source: 'default' };
}

/** A PyTorch site whose call `callee(…)` spans line `line`. */
export function pytorchSite(
  variant: string,
  params: Readonly<Record<string, Param>>,
  options: { kind?: NormKind; callee?: string; line?: number } = {},
): NormSite {
  const line = options.line ?? 5;
  const callee = options.callee ?? `nn.${variant}`;
  return {
    kind: options.kind ?? 'batchnorm',
    variant,
    framework: 'pytorch',
    location: { type: 'text', range: lineRange(line, 4, callee.length + 5) },
    nameRange: lineRange(line, 4, callee.length),
    callee,
    params,
  };
}

/** A file context with the given loader batch sizes (each on its own line from 20). */
export function withBatches(...batches: readonly (number | Partial<BatchSizeEvidence> & { value: number })[]): FileContext {
  return {
    batchSizes: batches.map((batch, i) => ({
      message: 'DataLoader batch size',
      origin: `DataLoader(batch_size=${typeof batch === 'number' ? batch : batch.value})`,
      range: lineRange(20 + i),
      ...(typeof batch === 'number' ? { value: batch } : batch),
    })),
  };
}

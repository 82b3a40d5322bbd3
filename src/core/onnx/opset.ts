/**
 * Operator versions: which schema of an op applies under a model's opset import.
 */

/** Versions in which the normalization ops of ai.onnx changed (Operators.md / Changelog.md). */
const SINCE_VERSIONS: ReadonlyMap<string, readonly number[]> = new Map([
  ['BatchNormalization', [1, 6, 7, 9, 14, 15]],
  ['InstanceNormalization', [1, 6, 22]],
  ['LayerNormalization', [17]],
  ['GroupNormalization', [18, 21]],
  ['RMSNormalization', [23]],
  ['LRN', [1, 13]],
  ['MeanVarianceNormalization', [1, 9, 13]],
  ['LpNormalization', [1, 22]],
]);

/** The model's import for `domain`; `ai.onnx` and `''` are the same domain. */
export function opsetImportOf(
  imports: ReadonlyMap<string, number>,
  domain: string,
): number | undefined {
  return imports.get(domain === 'ai.onnx' ? '' : domain);
}

/**
 * The version of `op`'s schema in effect: the greatest version ≤ the import. Undefined when the op
 * did not exist yet at that opset, or when it is not one of the known normalization ops.
 */
export function opVersion(op: string, opsetImport: number | undefined): number | undefined {
  const versions = SINCE_VERSIONS.get(op);
  if (versions === undefined || opsetImport === undefined) {
    return undefined;
  }
  let found: number | undefined;
  for (const version of versions) {
    if (version <= opsetImport) {
      found = version;
    }
  }
  return found;
}

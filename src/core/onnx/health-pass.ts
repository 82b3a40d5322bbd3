/**
 * Weight health of many sites in one streaming pass: sites are taken in batches, each batch's
 * tensors are read together (sorted by offset, neighbours combined) and assessed, and results are
 * yielded batch by batch, so the first findings of a 10,000-layer model show within milliseconds
 * and the caller can stop at any time.
 */
import { loadKernels } from '../kernels/index';
import type { OnnxNormSite } from './detect/site';
import { OnnxReadAbortedError, type AbortSignalLike } from './errors';
import {
  assessWeights,
  siteConstants,
  type HealthOptions,
  type SiteConstant,
  type SiteValues,
  type WeightHealth,
} from './health';
import { readTensorsBatched, type TensorValues } from './tensor-batch';
import type { OnnxModel, OnnxTensor } from './types';

/** Options of {@link weightHealthOfSites}. */
export interface HealthPassOptions extends HealthOptions {
  /** Stops the pass between batches (it then throws `OnnxReadAbortedError`). */
  readonly signal?: AbortSignalLike;
  /** Sites read and assessed together (default 256): larger batches read less often. */
  readonly batchSize?: number;
}

/** The weight health of one site, or why its weights could not be read. */
export type SiteHealth =
  | { readonly site: OnnxNormSite; readonly index: number; readonly health: WeightHealth }
  | { readonly site: OnnxNormSite; readonly index: number; readonly error: unknown };

const DEFAULT_BATCH = 256;
const FIRST_BATCH = 16;

function tensorOf(constant: SiteConstant): OnnxTensor | undefined {
  return constant.ref.type === 'tensor' ? constant.ref.tensor : undefined;
}

/** The site's constants with their values, or the first error in role order. */
function valuesOf(
  constants: readonly SiteConstant[],
  read: ReadonlyMap<OnnxTensor, TensorValues>,
): { values: SiteValues[] } | { error: unknown } {
  const values: SiteValues[] = [];
  for (const constant of constants) {
    const tensor = tensorOf(constant);
    if (constant.ref.type === 'inline') {
      values.push({ ...constant, values: Float32Array.from(constant.ref.values) });
      continue;
    }
    const result = tensor && read.get(tensor);
    if (!result) {
      return { error: new Error(`tensor '${constant.name}' was not read`) };
    }
    if (!result.ok) {
      return { error: result.error };
    }
    values.push({ ...constant, values: result.values });
  }
  return { values };
}

/**
 * Weight health of `sites` (the same results as calling `weightHealth` on each), yielded in site
 * order one batch at a time. A site whose weights cannot be read yields its error; the pass goes on.
 */
export async function* weightHealthOfSites(
  model: OnnxModel,
  sites: readonly OnnxNormSite[],
  options: HealthPassOptions = {},
): AsyncGenerator<SiteHealth> {
  const kernels = await loadKernels();
  const largest = Math.max(1, options.batchSize ?? DEFAULT_BATCH);
  // Batches grow from small to `largest`, so the first results come before a full batch is read.
  let batch = Math.min(FIRST_BATCH, largest);
  for (let first = 0; first < sites.length; first += batch, batch = Math.min(2 * batch, largest)) {
    if (options.signal?.aborted) {
      throw new OnnxReadAbortedError();
    }
    const chunk = sites.slice(first, first + batch);
    const constants = chunk.map((site) => siteConstants(model, site));
    const tensors = constants.flat().flatMap((c) => tensorOf(c) ?? []);
    const read = await readTensorsBatched(model, tensors);
    for (const [k, site] of chunk.entries()) {
      const index = first + k;
      const found = valuesOf(constants[k] ?? [], read);
      if ('error' in found) {
        yield { site, index, error: found.error };
        continue;
      }
      let result: SiteHealth;
      try {
        result = { site, index, health: assessWeights(kernels, site, found.values, options) };
      } catch (error) {
        result = { site, index, error };
      }
      yield result;
    }
  }
}

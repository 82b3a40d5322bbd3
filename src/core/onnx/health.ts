/**
 * Weight health of one ONNX normalization site, read lazily: only the site's own γ, β and running
 * statistics are read, and only when asked. The statistics and checks are the format-independent
 * ones of `weights/health`, re-exported here for the ONNX module's importers.
 */
import { loadKernels, type Kernels } from '../kernels/index';
import {
  assessTensors,
  type AssessedTensor,
  type HealthOptions,
  type TensorIdentity,
  type WeightHealth,
} from '../weights/health';
import type { ConstantRef } from './graph-index';
import { graphIndexAt, readConstant } from './lookup';
import type { OnnxNormSite, TensorRole } from './detect/site';
import { dataTypeName } from './tensor-layout';
import { DataType, type OnnxModel } from './types';

export {
  statisticsAtInit,
  tensorIssues,
  type HealthIssue,
  type HealthIssueKind,
  type HealthOptions,
  type TensorHealth,
  type WeightHealth,
} from '../weights/health';

const ROLES: readonly TensorRole[] = ['scale', 'bias', 'mean', 'var'];

/** One constant of a site, by role: the tensor the site names and what it refers to. */
export interface SiteConstant {
  readonly role: TensorRole;
  readonly name: string;
  readonly ref: ConstantRef;
}

/** The site's γ, β and running statistics that are constants, in role order (scale, bias, mean, var). */
export function siteConstants(model: OnnxModel, site: OnnxNormSite): SiteConstant[] {
  const index = graphIndexAt(model, site.context.graph);
  const found: SiteConstant[] = [];
  for (const role of ROLES) {
    const name = site.context.tensors[role];
    const ref = name === undefined ? undefined : index?.constant(name);
    if (name !== undefined && ref !== undefined) {
      found.push({ role, name, ref });
    }
  }
  return found;
}

/** A site's constants with their values, read by the caller. */
export interface SiteValues extends SiteConstant {
  readonly values: Float32Array;
}

/** How a constant is reported, and its storage when that is below float32 (fp16/bf16). */
function assessed({ role, name, ref, values }: SiteValues): AssessedTensor {
  const tensor = ref.type === 'tensor' ? ref.tensor : undefined;
  const identity: TensorIdentity = {
    role,
    name,
    dtype: tensor ? dataTypeName(tensor.dataType) : 'float',
    shape: tensor ? tensor.dims : [values.length],
  };
  const low =
    tensor?.dataType === DataType.float16 || tensor?.dataType === DataType.bfloat16
      ? { lowPrecision: identity.dtype }
      : {};
  return { identity, values, ...low };
}

/**
 * Statistics and problems of a site's constants whose values are already read: invalid or
 * near-zero running_var, dead γ, running stats never updated (mean ≡ 0 and var ≡ 1), and
 * fp16/bf16 storage. Synchronous, so a pass over many sites reads first and computes here.
 */
export function assessWeights(
  kernels: Kernels,
  site: OnnxNormSite,
  constants: readonly SiteValues[],
  options: HealthOptions = {},
): WeightHealth {
  const declared = site.params['epsilon']?.value;
  const epsilon = typeof declared === 'number' ? declared : 1e-5;
  return assessTensors(kernels, constants.map(assessed), epsilon, options);
}

/**
 * Reads the site's γ, β and running statistics (only those that are constants) and reports their
 * statistics and problems (see {@link assessWeights}). For many sites, `weightHealthOfSites` reads
 * the weights in one pass instead.
 */
export async function weightHealth(
  model: OnnxModel,
  site: OnnxNormSite,
  options: HealthOptions = {},
): Promise<WeightHealth> {
  const kernels = await loadKernels();
  const constants: SiteValues[] = [];
  for (const constant of siteConstants(model, site)) {
    constants.push({ ...constant, values: await readConstant(model, constant.ref) });
  }
  return assessWeights(kernels, site, constants, options);
}

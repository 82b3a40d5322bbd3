/**
 * Builds the panel's `LayerWeights` for one inventory row: the layer's effective attributes, its
 * γ, β and running statistics (each capped at MAX_LAYER_VALUES values) and the problems the weight
 * health found. ONNX reads only that layer's tensors from the model; tfjs reads only that layer's
 * weights from the shards.
 */
import {
  MAX_LAYER_VALUES,
  dataTypeName,
  findTensor,
  readTensor,
  weightHealth,
  type HealthIssue,
  type LayerAttribute,
  type LayerIssue,
  type LayerTensor,
  type LayerWeights,
  type NormSite,
  type OnnxModel,
  type OnnxNormSite,
  type TensorRole,
  type TfjsNormSite,
  type TfjsWeightRole,
  type WeightRole,
} from '../../core/index';
// The manifest reader is not part of the core's public surface yet (see the report of this change).
import { manifestEntries, ShardReader, type ShardLoader } from '../../core/tfjs/model-json/weights';

/** Tensors larger than this are not read for the panel (a norm layer's tensors are per channel). */
const MAX_READ_VALUES = 16 * 1024 * 1024;
/** Channels listed per issue; the panel marks them on its channel map. */
const MAX_ISSUE_CHANNELS = 4096;
const ROLES: readonly WeightRole[] = ['scale', 'bias', 'mean', 'var'];

/** The weights of one ONNX site, read lazily from `model`. */
export async function onnxLayerWeights(
  model: OnnxModel,
  site: OnnxNormSite,
  source: string,
): Promise<LayerWeights> {
  const tensors: LayerTensor[] = [];
  for (const role of ROLES) {
    const name = site.context.tensors[role];
    const ref = name === undefined ? undefined : findTensor(model, name);
    if (name === undefined || ref === undefined) {
      continue;
    }
    const count = ref.type === 'tensor' ? ref.tensor.size : ref.values.length;
    if (count > MAX_READ_VALUES) {
      continue;
    }
    tensors.push(
      capped(
        role,
        name,
        ref.type === 'tensor' ? ref.tensor.dims : [count],
        await readTensor(model, name),
        ref.type === 'tensor' ? dataTypeName(ref.tensor.dataType) : 'float',
      ),
    );
  }
  const health = await weightHealth(model, site);
  return {
    name: site.location.type === 'graph' ? site.location.nodes.join(', ') : site.variant,
    opType: site.context.op,
    kind: site.kind,
    source,
    attributes: attributesOf(site),
    tensors,
    issues: health.issues.filter(isShownRole).map(toLayerIssue),
  };
}

const TFJS_ROLE: Readonly<Record<TfjsWeightRole, WeightRole>> = {
  gamma: 'scale',
  beta: 'bias',
  moving_mean: 'mean',
  moving_variance: 'var',
};

/**
 * The weights of one model.json layer, read through `loadShard`. `issues` are the layer's weight
 * health problems from the analysis. Rejects with a one-line reason when no weight can be read.
 */
export async function tfjsLayerWeights(
  json: unknown,
  site: TfjsNormSite,
  loadShard: ShardLoader,
  issues: readonly HealthIssue[],
  source: string,
): Promise<LayerWeights> {
  const manifest =
    typeof json === 'object' && json !== null
      ? (json as { weightsManifest?: unknown }).weightsManifest
      : undefined;
  const byName = new Map(manifestEntries(manifest).map((entry) => [entry.name, entry]));
  const reader = new ShardReader(loadShard);
  const tensors: LayerTensor[] = [];
  const problems: string[] = [];
  for (const [tfjsRole, role] of Object.entries(TFJS_ROLE) as [TfjsWeightRole, WeightRole][]) {
    const name = site.context.weights?.[tfjsRole];
    const entry = name === undefined ? undefined : byName.get(name);
    if (!entry) {
      continue;
    }
    const values = await reader.values(entry);
    if (typeof values === 'string') {
      problems.push(values);
      continue;
    }
    tensors.push(capped(role, entry.name, entry.shape, values, entry.storedAs ?? entry.dtype));
  }
  if (tensors.length === 0) {
    throw new Error(problems[0] ?? 'this layer has no weights in the manifest');
  }
  return {
    name: site.location.type === 'graph' ? site.location.nodes.join(', ') : site.variant,
    opType: site.callee ?? site.variant,
    kind: site.kind,
    source,
    attributes: attributesOf(site),
    tensors,
    issues: issues.filter(isShownRole).map(toLayerIssue),
  };
}

function capped(
  role: WeightRole,
  name: string,
  shape: readonly number[],
  values: Float32Array,
  dtype: string,
): LayerTensor {
  return {
    role,
    name,
    shape,
    dtype,
    // A copy, so that only the capped values travel to the webview (not the whole buffer).
    values: values.slice(0, MAX_LAYER_VALUES),
    totalCount: values.length,
  };
}

/** Effective parameters with a value; booleans read as `true`/`false`. */
function attributesOf(site: NormSite): Record<string, LayerAttribute> {
  const attributes: Record<string, LayerAttribute> = {};
  for (const [name, param] of Object.entries(site.params)) {
    const { value } = param;
    if (value === null) {
      continue;
    }
    attributes[name] = typeof value === 'boolean' ? String(value) : value;
  }
  return attributes;
}

function isShownRole(issue: HealthIssue): issue is HealthIssue & { role: WeightRole } {
  return (ROLES as readonly TensorRole[]).includes(issue.role);
}

function toLayerIssue(issue: HealthIssue & { role: WeightRole }): LayerIssue {
  return {
    kind: issue.kind,
    role: issue.role,
    message: issue.message,
    channels: issue.channels.slice(0, MAX_ISSUE_CHANNELS),
  };
}

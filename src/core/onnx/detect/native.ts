/**
 * Native normalization ops (ai.onnx and ONNX Runtime's contrib ops) → one site each, with every
 * attribute's effective value: as written, or the default of the schema version in effect.
 */
import type { NormKind, Param, ParamValue } from '../../model';
import { opVersion } from '../opset';
import type { OnnxNode } from '../types';
import {
  attributesOf,
  byDefault,
  inputOf,
  literal,
  makeSite,
  producerOf,
  UNKNOWN,
  type DetectScope,
  type OnnxNormSite,
  type TensorRole,
} from './site';

/** Defaults of one op, given the schema version in effect; `null` marks a required attribute. */
type Defaults = (version: number | undefined) => Readonly<Record<string, ParamValue>>;

interface NativeSpec {
  readonly kind: NormKind;
  readonly domains: readonly string[];
  /** Role of each input after X (input 0). */
  readonly roles: readonly TensorRole[];
  readonly defaults: Defaults;
}

const ONNX = [''];
const MS = ['com.microsoft'];
const LN_DEFAULTS: Defaults = () => ({ axis: -1, epsilon: 1e-5, stash_type: 1 });
const MS_GROUP_NORM: NativeSpec = {
  kind: 'groupnorm',
  domains: MS,
  roles: ['scale', 'bias', 'skip', 'skipBias'],
  defaults: () => ({ epsilon: 1e-5, groups: null, activation: null, channels_last: 1 }),
};

/** Every native op NormLens reports, by op type. */
const NATIVE: ReadonlyMap<string, NativeSpec> = new Map([
  [
    'BatchNormalization',
    {
      kind: 'batchnorm',
      domains: ONNX,
      roles: ['scale', 'bias', 'mean', 'var'],
      defaults: (v) => ({
        epsilon: 1e-5,
        momentum: 0.9,
        ...(v !== undefined && v < 7 ? { is_test: 0 } : {}),
        ...(v !== undefined && v < 9 ? { spatial: 1 } : {}),
        ...(v === undefined || v >= 14 ? { training_mode: 0 } : {}),
      }),
    },
  ],
  [
    'InstanceNormalization',
    {
      kind: 'instancenorm',
      domains: ONNX,
      roles: ['scale', 'bias'],
      defaults: () => ({ epsilon: 1e-5 }),
    },
  ],
  [
    'LayerNormalization',
    { kind: 'layernorm', domains: ONNX, roles: ['scale', 'bias'], defaults: LN_DEFAULTS },
  ],
  [
    'GroupNormalization',
    {
      kind: 'groupnorm',
      domains: ONNX,
      roles: ['scale', 'bias'],
      defaults: (v) => ({
        epsilon: 1e-5,
        num_groups: null,
        ...(v === 18 ? {} : { stash_type: 1 }),
      }),
    },
  ],
  ['RMSNormalization', { kind: 'rmsnorm', domains: ONNX, roles: ['scale'], defaults: LN_DEFAULTS }],
  [
    'LRN',
    {
      kind: 'lrn',
      domains: ONNX,
      roles: [],
      defaults: () => ({ size: null, alpha: 1e-4, beta: 0.75, bias: 1 }),
    },
  ],
  [
    'MeanVarianceNormalization',
    {
      kind: 'other',
      domains: ONNX,
      roles: [],
      defaults: (v) =>
        v !== undefined && v < 9
          ? { across_channels: 0, normalize_variance: 1 }
          : { axes: [0, 2, 3] },
    },
  ],
  [
    'LpNormalization',
    { kind: 'other', domains: ONNX, roles: [], defaults: () => ({ axis: -1, p: 2 }) },
  ],
  [
    'SimplifiedLayerNormalization',
    { kind: 'rmsnorm', domains: [...ONNX, ...MS], roles: ['scale'], defaults: LN_DEFAULTS },
  ],
  [
    'SkipLayerNormalization',
    {
      kind: 'layernorm',
      domains: MS,
      roles: ['skip', 'scale', 'bias', 'skipBias'],
      defaults: () => ({ epsilon: 1e-12 }),
    },
  ],
  [
    'SkipSimplifiedLayerNormalization',
    {
      kind: 'rmsnorm',
      domains: MS,
      roles: ['skip', 'scale', 'skipBias'],
      defaults: () => ({ epsilon: 1e-12 }),
    },
  ],
  ['GroupNorm', MS_GROUP_NORM],
  ['SkipGroupNorm', MS_GROUP_NORM],
]);

/** Producers a BatchNormalization can be folded into (B.10). */
const FOLDABLE_PRODUCERS = new Set(['Conv', 'ConvTranspose', 'Gemm']);

/** True when `node` is a native normalization op NormLens reports. */
export function isNativeNorm(node: OnnxNode): boolean {
  const domain = node.domain === 'ai.onnx' ? '' : node.domain;
  return NATIVE.get(node.opType)?.domains.includes(domain) ?? false;
}

function effectiveParams(
  node: OnnxNode,
  defaults: Readonly<Record<string, ParamValue>>,
): Record<string, Param> {
  const params: Record<string, Param> = {};
  const written = attributesOf(node);
  for (const [name, fallback] of Object.entries(defaults)) {
    const value = written[name];
    if (value !== undefined) {
      params[name] = literal(value as ParamValue);
    } else {
      params[name] = fallback === null ? UNKNOWN : byDefault(fallback);
    }
  }
  // Attributes outside the schema's defaults (e.g. BN-1's consumed_inputs) are still shown.
  for (const [name, value] of Object.entries(written)) {
    params[name] ??= literal(value as ParamValue);
  }
  return params;
}

function variantOf(
  node: OnnxNode,
  version: number | undefined,
  opsetImport: number | undefined,
): string {
  if (node.opType === 'GroupNormalization' && version !== undefined) {
    return `GroupNormalization-${version}`;
  }
  if (
    node.domain === '' &&
    (node.opType === 'LayerNormalization' || node.opType === 'SimplifiedLayerNormalization') &&
    version === undefined
  ) {
    // ORT registers these in the default domain since opset 1; other runtimes do not know them.
    return `${node.opType} (ONNX Runtime, opset ${opsetImport ?? '?'})`;
  }
  return node.opType;
}

/** The site of one native normalization node. */
export function nativeSite(scope: DetectScope, node: OnnxNode): OnnxNormSite | undefined {
  const spec = NATIVE.get(node.opType);
  if (!spec || !isNativeNorm(node)) {
    return undefined;
  }
  const { index } = scope;
  const opsetImport = scope.imports.get(node.domain === 'ai.onnx' ? '' : node.domain);
  const version =
    node.domain === '' || node.domain === 'ai.onnx'
      ? opVersion(node.opType, opsetImport)
      : undefined;
  const tensors: Partial<Record<TensorRole, string>> = {};
  spec.roles.forEach((role, k) => {
    const name = node.inputs[k + 1];
    if (name !== undefined && name !== '') {
      tensors[role] = name;
    }
  });
  const scale = tensors.scale === undefined ? undefined : index.constant(tensors.scale);
  const producer = producerOf(index, node.inputs[0]);
  const producerNode = index.producer(node.inputs[0]);
  const params = effectiveParams(node, spec.defaults(version));
  const foldable =
    node.opType === 'BatchNormalization' &&
    producerNode !== undefined &&
    FOLDABLE_PRODUCERS.has(producerNode.opType) &&
    params['training_mode']?.value !== 1 &&
    index.consumersOf(node.inputs[0]).length === 1 &&
    !index.isGraphOutput(node.inputs[0] ?? '') &&
    spec.roles.every(
      (role) => tensors[role] !== undefined && index.constant(tensors[role]) !== undefined,
    );
  const computedBy =
    node.opType === 'BatchNormalization' ? statsComputedBy(index, tensors) : undefined;
  return makeSite(scope, {
    kind: spec.kind,
    variant: foldable
      ? `BatchNormalization after ${producerNode.opType} (unfused)`
      : variantOf(node, version, opsetImport),
    nodes: foldable ? [producerNode, node] : [node],
    params,
    context: {
      op: node.opType,
      domain: node.domain,
      opVersion: version,
      decomposed: false,
      input: inputOf(index, node.inputs[0]),
      producer,
      attributes: attributesOf(node),
      tensors,
      outputCount: node.outputs.filter((o) => o !== '').length,
      ...(scale?.type === 'tensor' ? { scaleShape: scale.tensor.dims } : {}),
      ...(foldable ? { foldableInto: producerNode.id } : {}),
      ...(computedBy === undefined ? {} : { statsComputedBy: computedBy }),
    },
  });
}

/** The node computing the mean or variance input, when one is computed rather than constant. */
function statsComputedBy(
  index: DetectScope['index'],
  tensors: Partial<Record<TensorRole, string>>,
): string | undefined {
  for (const role of ['mean', 'var'] as const) {
    const name = tensors[role];
    const producer = name === undefined ? undefined : index.producer(name);
    if (name !== undefined && producer && index.constant(name) === undefined) {
      return producer.id;
    }
  }
  return undefined;
}

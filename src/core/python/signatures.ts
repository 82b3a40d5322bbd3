/**
 * The PyTorch normalization callables NormLens recognises, keyed by their qualified names, with
 * their signatures in positional order (reference catalog §A.1.1 and the functional forms).
 */
import type { NormKind, ParamValue } from '../model';

/** One parameter of a callable. */
export interface ParamSpec {
  readonly name: string;
  /** The default value; absent for a required parameter. */
  readonly default?: ParamValue;
  /** True for parameters after `*`, which can only be passed by keyword. */
  readonly keywordOnly?: boolean;
  /**
   * True for parameters only recent PyTorch versions accept (the keyword-only `bias=` of
   * BatchNorm, InstanceNorm and GroupNorm): reported when written, never as a default.
   */
  readonly recent?: boolean;
}

/** A normalization callable: its kind, the name shown to users, and its parameters. */
export interface NormSignature {
  readonly kind: NormKind;
  readonly variant: string;
  /** The canonical qualified name, e.g. `torch.nn.BatchNorm2d`. */
  readonly qualifiedName: string;
  readonly params: readonly ParamSpec[];
}

const required = (name: string): ParamSpec => ({ name });
const optional = (name: string, value: ParamValue): ParamSpec => ({ name, default: value });
const recentKeywordOnly = (name: string, value: ParamValue): ParamSpec => ({
  name,
  default: value,
  keywordOnly: true,
  recent: true,
});

const DEVICE_DTYPE = [optional('device', null), optional('dtype', null)];

/** `_NormBase` parameters shared by BatchNorm and InstanceNorm; only the affine defaults differ. */
function normBase(
  leading: readonly ParamSpec[],
  affine: boolean,
  extra: readonly ParamSpec[] = [],
) {
  return [
    ...leading,
    optional('eps', 1e-5),
    optional('momentum', 0.1),
    optional('affine', affine),
    optional('track_running_stats', affine),
    ...extra,
    ...DEVICE_DTYPE,
    recentKeywordOnly('bias', true),
  ];
}

const NUM_FEATURES = [required('num_features')];

function moduleSignature(
  kind: NormKind,
  variant: string,
  params: readonly ParamSpec[],
  namespace = 'torch.nn',
): NormSignature {
  return { kind, variant, qualifiedName: `${namespace}.${variant}`, params };
}

/** Functional forms are shown with their usual prefix, `F.batch_norm` or `torch.batch_norm`. */
function functionSignature(
  kind: NormKind,
  name: string,
  params: readonly ParamSpec[],
  namespace: 'torch.nn.functional' | 'torch',
): NormSignature {
  const prefix = namespace === 'torch' ? 'torch' : 'F';
  return { kind, variant: `${prefix}.${name}`, qualifiedName: `${namespace}.${name}`, params };
}

function dimensions(prefix: string): readonly string[] {
  return ['1d', '2d', '3d'].map((suffix) => prefix + suffix);
}

const MODULES: readonly NormSignature[] = [
  ...dimensions('BatchNorm').map((v) =>
    moduleSignature('batchnorm', v, normBase(NUM_FEATURES, true)),
  ),
  ...dimensions('LazyBatchNorm').map((v) => moduleSignature('batchnorm', v, normBase([], true))),
  moduleSignature(
    'batchnorm',
    'SyncBatchNorm',
    normBase(NUM_FEATURES, true, [optional('process_group', null)]),
  ),
  ...dimensions('InstanceNorm').map((v) =>
    moduleSignature('instancenorm', v, normBase(NUM_FEATURES, false)),
  ),
  ...dimensions('LazyInstanceNorm').map((v) =>
    moduleSignature('instancenorm', v, normBase([], false)),
  ),
  moduleSignature('layernorm', 'LayerNorm', [
    required('normalized_shape'),
    optional('eps', 1e-5),
    optional('elementwise_affine', true),
    optional('bias', true),
    ...DEVICE_DTYPE,
  ]),
  moduleSignature('groupnorm', 'GroupNorm', [
    required('num_groups'),
    required('num_channels'),
    optional('eps', 1e-5),
    optional('affine', true),
    ...DEVICE_DTYPE,
    recentKeywordOnly('bias', true),
  ]),
  moduleSignature('rmsnorm', 'RMSNorm', [
    required('normalized_shape'),
    optional('eps', null),
    optional('elementwise_affine', true),
    ...DEVICE_DTYPE,
  ]),
  moduleSignature('lrn', 'LocalResponseNorm', [
    required('size'),
    optional('alpha', 1e-4),
    optional('beta', 0.75),
    optional('k', 1.0),
  ]),
  moduleSignature('lrn', 'CrossMapLRN2d', [
    required('size'),
    optional('alpha', 1e-4),
    optional('beta', 0.75),
    optional('k', 1),
  ]),
  moduleSignature(
    'batchnorm',
    'FrozenBatchNorm2d',
    [required('num_features'), optional('eps', 1e-5)],
    'torchvision.ops',
  ),
];

const INPUT = required('input');
const STATS = [optional('running_mean', null), optional('running_var', null)];
const AFFINE = [optional('weight', null), optional('bias', null)];

const FUNCTIONS: readonly NormSignature[] = [
  functionSignature(
    'batchnorm',
    'batch_norm',
    [
      INPUT,
      required('running_mean'),
      required('running_var'),
      ...AFFINE,
      optional('training', false),
      optional('momentum', 0.1),
      optional('eps', 1e-5),
    ],
    'torch.nn.functional',
  ),
  functionSignature(
    'instancenorm',
    'instance_norm',
    [
      INPUT,
      ...STATS,
      ...AFFINE,
      optional('use_input_stats', true),
      optional('momentum', 0.1),
      optional('eps', 1e-5),
    ],
    'torch.nn.functional',
  ),
  functionSignature(
    'layernorm',
    'layer_norm',
    [INPUT, required('normalized_shape'), ...AFFINE, optional('eps', 1e-5)],
    'torch.nn.functional',
  ),
  functionSignature(
    'groupnorm',
    'group_norm',
    [INPUT, required('num_groups'), ...AFFINE, optional('eps', 1e-5)],
    'torch.nn.functional',
  ),
  functionSignature(
    'rmsnorm',
    'rms_norm',
    [INPUT, required('normalized_shape'), optional('weight', null), optional('eps', null)],
    'torch.nn.functional',
  ),
  functionSignature(
    'lrn',
    'local_response_norm',
    [INPUT, required('size'), optional('alpha', 1e-4), optional('beta', 0.75), optional('k', 1.0)],
    'torch.nn.functional',
  ),
  // The `torch.*` operators follow the ATen schemas, whose argument order differs from `F.*`.
  functionSignature(
    'batchnorm',
    'batch_norm',
    [
      INPUT,
      required('weight'),
      required('bias'),
      required('running_mean'),
      required('running_var'),
      required('training'),
      required('momentum'),
      required('eps'),
      required('cudnn_enabled'),
    ],
    'torch',
  ),
  functionSignature(
    'instancenorm',
    'instance_norm',
    [
      INPUT,
      required('weight'),
      required('bias'),
      required('running_mean'),
      required('running_var'),
      required('use_input_stats'),
      required('momentum'),
      required('eps'),
      required('cudnn_enabled'),
    ],
    'torch',
  ),
  functionSignature(
    'layernorm',
    'layer_norm',
    [
      INPUT,
      required('normalized_shape'),
      ...AFFINE,
      optional('eps', 1e-5),
      optional('cudnn_enable', true),
    ],
    'torch',
  ),
  functionSignature(
    'groupnorm',
    'group_norm',
    [
      INPUT,
      required('num_groups'),
      ...AFFINE,
      optional('eps', 1e-5),
      optional('cudnn_enabled', true),
    ],
    'torch',
  ),
  functionSignature(
    'rmsnorm',
    'rms_norm',
    [INPUT, required('normalized_shape'), optional('weight', null), optional('eps', null)],
    'torch',
  ),
];

/** Other module paths under which the same classes are importable. */
const MODULE_HOMES: Readonly<Record<string, readonly string[]>> = {
  'torch.nn': ['torch.nn.modules'],
  'torchvision.ops': ['torchvision.ops.misc'],
};

/** Submodules of `torch.nn.modules` that define each kind. */
const TORCH_SUBMODULES: Readonly<Record<NormKind, string>> = {
  batchnorm: 'batchnorm',
  instancenorm: 'instancenorm',
  layernorm: 'normalization',
  groupnorm: 'normalization',
  rmsnorm: 'normalization',
  lrn: 'normalization',
  other: 'normalization',
};

function buildIndex(): ReadonlyMap<string, NormSignature> {
  const index = new Map<string, NormSignature>();
  for (const signature of FUNCTIONS) {
    index.set(signature.qualifiedName, signature);
  }
  for (const signature of MODULES) {
    index.set(signature.qualifiedName, signature);
    const namespace = signature.qualifiedName.slice(0, signature.qualifiedName.lastIndexOf('.'));
    for (const home of MODULE_HOMES[namespace] ?? []) {
      index.set(`${home}.${signature.variant}`, signature);
      if (home === 'torch.nn.modules') {
        index.set(`${home}.${TORCH_SUBMODULES[signature.kind]}.${signature.variant}`, signature);
      }
    }
  }
  return index;
}

const INDEX = buildIndex();

/** The normalization callable with this fully qualified name, if it is one. */
export function lookupSignature(qualifiedName: string): NormSignature | undefined {
  return INDEX.get(qualifiedName);
}

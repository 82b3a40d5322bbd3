/**
 * Graph-model topology (`"format": "graph-model"`, a TensorFlow GraphDef as JSON). BatchNorm is
 * usually folded into the convolution by the converter, which leaves a `_FusedConv2D` with a
 * `<conv>_bn_offset` input: those are reported as folded sites instead of pretending there is
 * no normalization. Unfolded FusedBatchNorm* and LRN nodes are reported as they are. Each site
 * names its weights in the manifest (γ, β and moving statistics of a surviving BatchNorm, the
 * folded offset of a folded one), so their health can be read from the shards.
 */
import type { Param } from '../../model';
import { descriptorOf, variantInfo } from '../../norms/index';
import type { TfjsNormSite, TfjsWeightRole } from '../types';
import { arrayOf, field, numberOf, shortJson, stringOf } from './json';

/** Ops the converter emits for an unfolded normalization. */
const NORM_OPS = new Set(['FusedBatchNorm', 'FusedBatchNormV2', 'FusedBatchNormV3', 'LRN']);

/** Fused ops that may carry a folded BatchNorm. */
const FUSED =
  /^(_FusedConv2D|_FusedConv3D|FusedDepthwiseConv2dNative|_FusedDepthwiseConv2dNative|_FusedMatMul)$/;

/** Input names the BatchNorm folding pass gives the folded offset (fold_batch_norms.py). */
const BN_OFFSET = /_bn_offset(:\d+)?$/;

/** FusedBatchNorm* inputs after x, in order (TensorFlow's op definition). */
const BN_INPUT_ROLES: readonly TfjsWeightRole[] = [
  'gamma',
  'beta',
  'moving_mean',
  'moving_variance',
];

/** How many Identity nodes are followed from an input to the constant holding it. */
const MAX_IDENTITY_HOPS = 8;

/**
 * One site per normalization node and per fused op carrying a BatchNorm. `weightNames` are the
 * manifest's weight names: an input found there (directly or through Identity nodes) is a weight.
 */
export function graphModelSites(
  topology: unknown,
  weightNames: readonly string[] = [],
): TfjsNormSite[] {
  const nodes = arrayOf(field(topology, 'node'));
  const weights = new WeightLookup(nodes, weightNames);
  const sites: TfjsNormSite[] = [];
  for (const node of nodes) {
    const op = stringOf(field(node, 'op')) ?? '';
    const name = stringOf(field(node, 'name')) ?? '';
    const inputs = arrayOf(field(node, 'input')).map((input) => stringOf(input) ?? '');
    if (NORM_OPS.has(op)) {
      const roles = op === 'LRN' ? {} : weights.roles(inputs.slice(1));
      const site = nativeSite(op, name, field(node, 'attr'), roles);
      if (site) {
        sites.push(site);
      }
    } else if (FUSED.test(op)) {
      const offset = inputs.find((input) => BN_OFFSET.test(input));
      const fusedOps = field(field(field(node, 'attr'), 'fused_ops'), 'list');
      const listed = arrayOf(field(fusedOps, 's')).some((s) =>
        decodeBase64(stringOf(s) ?? '').startsWith('FusedBatchNorm'),
      );
      if (listed) {
        // Grappler's fused form keeps the BatchNorm: its four arguments follow x and the filter.
        sites.push(fusedSite(op, name, field(node, 'attr'), weights.roles(inputs.slice(2))));
      } else if (offset !== undefined) {
        sites.push(foldedSite(op, name, offset, weights.find(offset)));
      }
    }
  }
  return sites;
}

/** Finds the manifest weight behind a node input, through Identity nodes. */
class WeightLookup {
  private readonly names: ReadonlySet<string>;
  private readonly identities = new Map<string, string>();

  constructor(nodes: readonly unknown[], weightNames: readonly string[]) {
    this.names = new Set(weightNames);
    for (const node of nodes) {
      const input = stringOf(arrayOf(field(node, 'input'))[0]);
      const name = stringOf(field(node, 'name'));
      if (stringOf(field(node, 'op')) === 'Identity' && name !== undefined && input !== undefined) {
        this.identities.set(name, input);
      }
    }
  }

  /** The weight name an input (`name`, `name:0`, `^control` excluded) reads, if any. */
  find(input: string): string | undefined {
    let name = input.replace(/:\d+$/, '');
    for (let hop = 0; hop <= MAX_IDENTITY_HOPS && !name.startsWith('^'); hop++) {
      if (this.names.has(name)) {
        return name;
      }
      const next = this.identities.get(name);
      if (next === undefined) {
        return undefined;
      }
      name = next.replace(/:\d+$/, '');
    }
    return undefined;
  }

  /** The weights of BatchNorm arguments in role order (γ, β, moving mean, moving variance). */
  roles(args: readonly string[]): Partial<Record<TfjsWeightRole, string>> {
    const roles: Partial<Record<TfjsWeightRole, string>> = {};
    BN_INPUT_ROLES.forEach((role, index) => {
      const weight = args[index] === undefined ? undefined : this.find(args[index]);
      if (weight !== undefined) {
        roles[role] = weight;
      }
    });
    return roles;
  }
}

function nativeSite(
  op: string,
  name: string,
  attr: unknown,
  weights: Partial<Record<TfjsWeightRole, string>>,
): TfjsNormSite | undefined {
  const info = variantInfo(op, 'tfjs');
  if (info?.framework !== 'tfjs') {
    return undefined;
  }
  const params: Record<string, Param> = {};
  for (const spec of descriptorOf(info.kind).params(info.variant, 'tfjs')) {
    const key = [spec.name, ...(spec.aliases ?? [])].find((k) => field(attr, k) !== undefined);
    const raw = key === undefined ? undefined : field(attr, key);
    const value = attributeValue(raw);
    const fallback = spec.defaults.tfjs;
    params[spec.name] =
      value !== undefined && key !== undefined
        ? { value, source: 'literal', expression: `${key}: ${shortJson(raw)}` }
        : fallback === undefined
          ? { value: null, source: 'unknown' }
          : { value: fallback, source: 'default' };
  }
  return {
    kind: info.kind,
    variant: info.variant,
    framework: 'tfjs',
    location: { type: 'graph', nodes: [name] },
    callee: op,
    resolvedFrom: `graph-model op ${op}`,
    params,
    context: { origin: 'graph-model', ...withWeights(weights) },
  };
}

/** A `_FusedConv2D` whose fused ops start with FusedBatchNorm: the BatchNorm runs inside it. */
function fusedSite(
  op: string,
  name: string,
  attr: unknown,
  weights: Partial<Record<TfjsWeightRole, string>>,
): TfjsNormSite {
  const native = nativeSite('FusedBatchNormV3', name, attr, weights);
  return {
    kind: 'batchnorm',
    variant: 'FusedBatchNorm',
    framework: 'tfjs',
    location: { type: 'graph', nodes: [name] },
    callee: op,
    resolvedFrom: `BatchNorm fused into ${op} ${name} (its statistics are kept)`,
    params: native?.params ?? {},
    context: { origin: 'graph-model', ...withWeights(weights) },
  };
}

function foldedSite(
  op: string,
  name: string,
  offset: string,
  offsetWeight: string | undefined,
): TfjsNormSite {
  return {
    kind: 'batchnorm',
    variant: 'FusedBatchNorm',
    framework: 'tfjs',
    location: { type: 'graph', nodes: [name, offset.replace(/:\d+$/, '')] },
    callee: op,
    resolvedFrom: `BatchNorm folded into ${op} ${name} by the converter`,
    params: {},
    context: {
      origin: 'graph-model',
      foldedInto: name,
      ...(offsetWeight === undefined ? {} : { foldedOffset: offsetWeight }),
    },
  };
}

function withWeights(weights: Partial<Record<TfjsWeightRole, string>>): {
  weights?: Partial<Record<TfjsWeightRole, string>>;
} {
  return Object.keys(weights).length > 0 ? { weights } : {};
}

/** A TensorFlow AttrValue as JSON: `{"f": 0.001}`, `{"i": "5"}`, `{"s": "TkhXQw=="}`, `{"b": true}`. */
function attributeValue(raw: unknown): number | string | boolean | undefined {
  const f = numberOf(field(raw, 'f'));
  if (f !== undefined) {
    return f;
  }
  const i = field(raw, 'i');
  if (typeof i === 'string' && /^-?\d+$/.test(i)) {
    return Number(i);
  }
  if (typeof i === 'number') {
    return i;
  }
  const s = stringOf(field(raw, 's'));
  if (s !== undefined) {
    return decodeBase64(s);
  }
  const b = field(raw, 'b');
  return typeof b === 'boolean' ? b : undefined;
}

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** Decodes base64 to a Latin-1 string (attribute strings are ASCII: `NHWC`, `BiasAdd`). */
export function decodeBase64(text: string): string {
  let bits = 0;
  let value = 0;
  let out = '';
  for (const char of text) {
    const digit = BASE64.indexOf(char);
    if (digit < 0) {
      continue;
    }
    value = (value << 6) | digit;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += String.fromCharCode((value >> bits) & 0xff);
      value &= (1 << bits) - 1;
    }
  }
  return out;
}

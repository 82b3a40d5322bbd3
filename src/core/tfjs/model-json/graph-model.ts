/**
 * Graph-model topology (`"format": "graph-model"`, a TensorFlow GraphDef as JSON). BatchNorm is
 * usually folded into the convolution by the converter, which leaves a `_FusedConv2D` with a
 * `<conv>_bn_offset` input: those are reported as folded sites instead of pretending there is
 * no normalization. Unfolded FusedBatchNorm* and LRN nodes are reported as they are.
 */
import type { Param } from '../../model';
import { descriptorOf, variantInfo } from '../../norms/index';
import type { TfjsNormSite } from '../types';
import { arrayOf, field, numberOf, shortJson, stringOf } from './json';

/** Ops the converter emits for an unfolded normalization. */
const NORM_OPS = new Set(['FusedBatchNorm', 'FusedBatchNormV2', 'FusedBatchNormV3', 'LRN']);

/** Fused ops that may carry a folded BatchNorm. */
const FUSED =
  /^(_FusedConv2D|_FusedConv3D|FusedDepthwiseConv2dNative|_FusedDepthwiseConv2dNative|_FusedMatMul)$/;

/** Input names the BatchNorm folding pass gives the folded offset (fold_batch_norms.py). */
const BN_OFFSET = /_bn_offset(:\d+)?$/;

/** One site per normalization node and per fused op carrying a folded BatchNorm. */
export function graphModelSites(topology: unknown): TfjsNormSite[] {
  const sites: TfjsNormSite[] = [];
  for (const node of arrayOf(field(topology, 'node'))) {
    const op = stringOf(field(node, 'op')) ?? '';
    const name = stringOf(field(node, 'name')) ?? '';
    if (NORM_OPS.has(op)) {
      const site = nativeSite(op, name, field(node, 'attr'));
      if (site) {
        sites.push(site);
      }
    } else if (FUSED.test(op)) {
      const offset = arrayOf(field(node, 'input'))
        .map(stringOf)
        .find((input) => input !== undefined && BN_OFFSET.test(input));
      const fusedOps = arrayOf(field(field(field(node, 'attr'), 'fused_ops'), 'list'));
      const listed = arrayOf(field(fusedOps, 's')).some((s) =>
        decodeBase64(stringOf(s) ?? '').startsWith('FusedBatchNorm'),
      );
      if (offset !== undefined || listed) {
        sites.push(foldedSite(op, name, offset));
      }
    }
  }
  return sites;
}

function nativeSite(op: string, name: string, attr: unknown): TfjsNormSite | undefined {
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
    context: { origin: 'graph-model' },
  };
}

function foldedSite(op: string, name: string, offset: string | undefined): TfjsNormSite {
  return {
    kind: 'batchnorm',
    variant: 'FusedBatchNorm',
    framework: 'tfjs',
    location: {
      type: 'graph',
      nodes: offset === undefined ? [name] : [name, offset.replace(/:\d+$/, '')],
    },
    callee: op,
    resolvedFrom: `BatchNorm folded into ${op} ${name} by the converter`,
    params: {},
    context: { origin: 'graph-model', foldedInto: name },
  };
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

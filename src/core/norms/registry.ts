/**
 * The descriptor of every kind and the lookup from any framework spelling (`nn.BatchNorm2d`,
 * `torch.nn.functional.layer_norm`, `LayerNormalization`, `com.microsoft.SkipLayerNormalization`)
 * to its kind, framework and canonical variant name.
 */
import type { Framework, NormKind } from '../model';
import { BATCH_NORM } from './batchnorm';
import { GROUP_NORM } from './groupnorm';
import { INSTANCE_NORM } from './instancenorm';
import { LAYER_NORM } from './layernorm';
import { LOCAL_RESPONSE_NORM } from './lrn';
import { OTHER_NORM } from './other';
import { RMS_NORM } from './rmsnorm';
import type { NormDescriptor, VariantSpec } from './types';

/** Every descriptor, one per kind. */
export const DESCRIPTORS: readonly NormDescriptor[] = [
  BATCH_NORM,
  LAYER_NORM,
  INSTANCE_NORM,
  GROUP_NORM,
  RMS_NORM,
  LOCAL_RESPONSE_NORM,
  OTHER_NORM,
];

const BY_KIND = new Map(DESCRIPTORS.map((d) => [d.kind, d]));

/** The descriptor of a kind. */
export function descriptorOf(kind: NormKind): NormDescriptor {
  const descriptor = BY_KIND.get(kind);
  if (descriptor === undefined) {
    throw new Error(`No normalization descriptor for kind '${kind}'`);
  }
  return descriptor;
}

/** A resolved variant name. */
export interface VariantInfo {
  readonly kind: NormKind;
  readonly framework: Framework;
  /** The canonical name, accepted by `params` and `reduction`. */
  readonly variant: string;
}

/**
 * When a bare name exists in several frameworks and no framework is given, PyTorch wins, then ONNX,
 * then tfjs: `GroupNorm` is torch.nn.GroupNorm (not ORT's com.microsoft GroupNorm), and
 * `BatchNormalization`/`LayerNormalization`/`LRN` are the ONNX ops (not the tfjs/Keras classes).
 */
const PRIORITY: readonly Framework[] = ['pytorch', 'onnx', 'tfjs'];

const INDEX = new Map<string, { readonly kind: NormKind; readonly spec: VariantSpec }[]>();
for (const descriptor of DESCRIPTORS) {
  for (const spec of descriptor.variants) {
    for (const name of [spec.name, ...spec.aliases]) {
      const entries = INDEX.get(name) ?? [];
      entries.push({ kind: descriptor.kind, spec });
      INDEX.set(name, entries);
    }
  }
}
for (const entries of INDEX.values()) {
  entries.sort((a, b) => PRIORITY.indexOf(a.spec.framework) - PRIORITY.indexOf(b.spec.framework));
}

/**
 * Resolves a class, function, op or model.json class name. Pass `framework` when the name's
 * origin is known (an ONNX node's op_type, a model.json class_name), since some names exist in
 * several frameworks. Returns undefined for names that are not normalizations.
 */
export function variantInfo(name: string, framework?: Framework): VariantInfo | undefined {
  const entries = INDEX.get(name.trim());
  const entry = entries?.find((e) => e.spec.framework === framework) ?? entries?.[0];
  return entry === undefined
    ? undefined
    : { kind: entry.kind, framework: entry.spec.framework, variant: entry.spec.name };
}

/** The full spec of a variant, as {@link variantInfo} resolves it. */
export function variantSpec(name: string, framework?: Framework): VariantSpec | undefined {
  const info = variantInfo(name, framework);
  return info === undefined
    ? undefined
    : descriptorOf(info.kind).variants.find(
        (v) => v.name === info.variant && v.framework === info.framework,
      );
}

/** Every name `variantInfo` knows, canonical names and aliases alike. */
export function knownVariantNames(): readonly string[] {
  return [...INDEX.keys()];
}

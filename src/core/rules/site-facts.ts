/**
 * Small questions rules ask of a site: a parameter as a number, the ONNX model context, the static
 * input shape, the framework's default for a parameter. Kept here so rules stay one screen long.
 */
import type { Evidence, Framework, NormSite, Param, ParamValue } from '../model';
import { descriptorOf } from '../norms/index';
import type { OnnxNormSite, OnnxSiteContext } from '../onnx/index';
import { pythonContext } from '../python/index';
import type { ProducerLayer, TfjsNormSite, TfjsSiteContext } from '../tfjs/index';

/** The first of `names` whose value is a finite number. */
export function numberParam(site: NormSite, ...names: readonly string[]): number | undefined {
  for (const name of names) {
    const value = site.params[name]?.value;
    if (typeof value === 'number' && Number.isFinite(value)) {
      return value;
    }
  }
  return undefined;
}

/** An axis written as a number or a one-element list (model.json writes `[3]`). */
export function singleAxis(value: ParamValue | undefined): number | undefined {
  if (typeof value === 'number') {
    return value;
  }
  const list: readonly unknown[] = Array.isArray(value) ? value : [];
  const [only] = list;
  return list.length === 1 && typeof only === 'number' ? only : undefined;
}

/** The first of `names` that the site has, with its name. */
export function paramOf(
  site: NormSite,
  ...names: readonly string[]
): { readonly name: string; readonly param: Param } | undefined {
  for (const name of names) {
    const param = site.params[name];
    if (param) {
      return { name, param };
    }
  }
  return undefined;
}

/** The model context of an ONNX site (undefined for source sites). */
export function onnxContext(site: NormSite): OnnxSiteContext | undefined {
  if (site.framework !== 'onnx' || !('context' in site)) {
    return undefined;
  }
  return (site as OnnxNormSite).context;
}

/** The source or model.json context of a tfjs site. */
export function tfjsContext(site: NormSite): TfjsSiteContext | undefined {
  if (site.framework !== 'tfjs' || !('context' in site)) {
    return undefined;
  }
  return (site as TfjsNormSite).context;
}

/** A tfjs producer's layer type, spelled the same in sources and model.json (`conv2d`). */
export function producerKind(producer: ProducerLayer | undefined): string | undefined {
  return producer?.layer.replace(/_/g, '').toLowerCase();
}

/**
 * The channel axes a BatchNorm after this tfjs layer may name: `-1` and its positive spelling for
 * channels-last output (axis 3 after conv2d), `1` for channels-first. Undefined for other layers.
 */
export function channelAxes(producer: ProducerLayer | undefined): readonly number[] | undefined {
  const kind = producerKind(producer);
  const spatial =
    kind === undefined ? undefined : /^(?:conv|separableconv|depthwiseconv)(\d)d/.exec(kind)?.[1];
  if (kind === 'dense') {
    return [-1, 1];
  }
  if (spatial === undefined) {
    return undefined;
  }
  return channelsFirst(producer) ? [1] : [-1, Number(spatial) + 1];
}

/** True for a tfjs producer writing channels first (`channelsFirst`, `channels_first`). */
export function channelsFirst(producer: ProducerLayer | undefined): boolean {
  return producer?.dataFormat?.replace(/_/g, '').toLowerCase() === 'channelsfirst';
}

/** The layer or node feeding a site, in either kind of model, with evidence pointing at it. */
export interface SiteProducer {
  /** Lower-cased type without underscores: `conv2d`, `dropout`, `lstm`. */
  readonly kind: string;
  /** As shown to users: `Dropout 'drop_3'`, `Conv2d 'conv1'`, `lstm`. */
  readonly label: string;
  readonly evidence: Evidence;
}

/** The producer of a PyTorch, ONNX or tfjs site, when the extraction knows it. */
export function siteProducer(site: NormSite): SiteProducer | undefined {
  const onnx = onnxContext(site)?.producer;
  if (onnx) {
    const label = `${onnx.op} '${onnx.node}'`;
    return { kind: onnx.op.toLowerCase(), label, evidence: { message: label, nodes: [onnx.node] } };
  }
  const torch = pythonContext(site)?.producer;
  if (torch) {
    const label = torch.name === undefined ? torch.layer : `${torch.layer} '${torch.name}'`;
    return {
      kind: torch.layer.toLowerCase(),
      label,
      evidence: { message: label, range: torch.range },
    };
  }
  const tfjs = tfjsContext(site)?.producer;
  const kind = producerKind(tfjs);
  if (!tfjs || !kind) {
    return undefined;
  }
  const label = tfjs.name === undefined ? tfjs.layer : `${tfjs.layer} '${tfjs.name}'`;
  return {
    kind,
    label,
    evidence: tfjs.range ? { message: label, range: tfjs.range } : { message: label },
  };
}

/** The input shape when every dim is a known number. */
export function staticShape(context: OnnxSiteContext | undefined): number[] | undefined {
  const shape = context?.input?.shape;
  if (!shape || shape.length === 0) {
    return undefined;
  }
  const dims: number[] = [];
  for (const dim of shape) {
    if (typeof dim !== 'number' || dim < 0) {
      return undefined;
    }
    dims.push(dim);
  }
  return dims;
}

/** Dim `axis` (negative counts from the end) of the input shape, when it is a known number. */
export function knownDim(context: OnnxSiteContext | undefined, axis: number): number | undefined {
  const shape = context?.input?.shape;
  if (!shape) {
    return undefined;
  }
  const dim = shape[axis < 0 ? shape.length + axis : axis];
  return typeof dim === 'number' && dim >= 0 ? dim : undefined;
}

/** The framework's default for parameter `name` of this variant, read from the descriptors. */
export function frameworkDefault(site: NormSite, name: string): ParamValue | undefined {
  return defaultsOf(site, name)[site.framework];
}

/** The defaults of the equivalent parameter in every framework (descriptor `ParamSpec.defaults`). */
export function defaultsOf(site: NormSite, name: string): Partial<Record<Framework, ParamValue>> {
  const specs = descriptorOf(site.kind).params(site.variant, site.framework);
  return specs.find((spec) => spec.name === name)?.defaults ?? {};
}

/** Plain effective values of a site's parameters, as descriptors' `reduction` takes them. */
export function paramValues(site: NormSite): Record<string, ParamValue> {
  const values: Record<string, ParamValue> = {};
  for (const [name, param] of Object.entries(site.params)) {
    values[name] = param.value;
  }
  return values;
}

/** `1e-12` rather than `1.0000000000000001e-12`: short, exact enough for messages. */
export function formatNumber(value: number): string {
  if (value !== 0 && (Math.abs(value) < 1e-3 || Math.abs(value) >= 1e6)) {
    return value.toExponential(Number(value.toPrecision(3)) === value ? undefined : 2);
  }
  return String(Number(value.toPrecision(6)));
}

/**
 * Layers-model topology (`"format": "layers-model"`, Keras Sequential/Functional/Model configs,
 * Keras 2 and Keras 3 flavours): one site per normalization layer, with its config, producer
 * (previous layer or inbound node), the model's input shape, and weight names from the manifest.
 */
import type { Param } from '../../model';
import { descriptorOf, variantInfo, type ParamSpec } from '../../norms/index';
import type { DtypeEvidence, ProducerLayer, TfjsNormSite, TfjsWeightRole } from '../types';
import { arrayOf, field, isObject, numberOf, paramValueOf, shortJson, stringOf } from './json';

/** Classes whose config nests a whole model. */
const MODEL_CLASSES = new Set(['Sequential', 'Functional', 'Model']);

/** Wrapper classes whose config holds one inner layer. */
const WRAPPERS = new Set(['TimeDistributed', 'Bidirectional', 'Wrapper']);

/** Keras layers written in model.json that tfjs cannot load, as the name rules see them. */
const UNLOADABLE = new Set(['GroupNormalization', 'InstanceNormalization']);

/** More layers than this are not walked (the rest is reported as skipped). */
export const MAX_LAYERS = 100_000;

const WEIGHT_ROLES: readonly TfjsWeightRole[] = ['gamma', 'beta', 'moving_mean', 'moving_variance'];

/** What the topology walk produces. */
export interface LayersModelResult {
  readonly sites: TfjsNormSite[];
  readonly dtypes: DtypeEvidence[];
  readonly truncated: boolean;
}

/** One layer entry of a model config. */
interface LayerEntry {
  readonly className: string;
  readonly name: string;
  readonly config: unknown;
  readonly inbound: readonly string[];
}

/** Walks a layers-model topology. `weightNames` are the manifest's weight names. */
export function layersModelSites(
  topology: unknown,
  weightNames: readonly string[],
): LayersModelResult {
  const root = field(topology, 'model_config') ?? topology;
  const result: LayersModelResult = { sites: [], dtypes: [], truncated: false };
  const walker = new Walker(result, weightNames);
  walker.model(root, []);
  return result;
}

class Walker {
  private visited = 0;

  constructor(
    private readonly result: { sites: TfjsNormSite[]; dtypes: DtypeEvidence[]; truncated: boolean },
    private readonly weightNames: readonly string[],
  ) {}

  /** A Sequential/Functional/Model entry: its layers in order, linked by inbound nodes. */
  model(model: unknown, path: readonly string[]): void {
    const className = stringOf(field(model, 'class_name')) ?? '';
    const config = field(model, 'config');
    // Old Sequential configs are the layer list itself.
    const layers = (Array.isArray(config) ? config : arrayOf(field(config, 'layers'))).map(entryOf);
    const inputShape = firstInputShape(layers);
    const byName = new Map(layers.map((layer) => [layer.name, layer]));
    layers.forEach((layer, index) => {
      const previous =
        className === 'Sequential' || Array.isArray(config) ? layers[index - 1] : undefined;
      const producer = layer.inbound[0] !== undefined ? byName.get(layer.inbound[0]) : previous;
      this.layer(layer, path, producer, inputShape);
    });
  }

  private layer(
    layer: LayerEntry,
    path: readonly string[],
    producer: LayerEntry | undefined,
    inputShape: readonly (number | null)[] | undefined,
  ): void {
    if (++this.visited > MAX_LAYERS) {
      this.result.truncated = true;
      return;
    }
    if (MODEL_CLASSES.has(layer.className)) {
      this.model({ class_name: layer.className, config: layer.config }, [...path, layer.name]);
      return;
    }
    if (WRAPPERS.has(layer.className)) {
      const inner = entryOf(field(layer.config, 'layer'));
      this.layer({ ...inner, inbound: layer.inbound }, [...path, layer.name], producer, inputShape);
      return;
    }
    this.dtype(layer, [...path, layer.name]);
    const site = this.site(layer, path, producer, inputShape);
    if (site) {
      this.result.sites.push(site);
    }
  }

  private site(
    layer: LayerEntry,
    path: readonly string[],
    producer: LayerEntry | undefined,
    inputShape: readonly (number | null)[] | undefined,
  ): TfjsNormSite | undefined {
    const bare = layer.className.replace(/^Addons>/, '');
    const info = variantInfo(layer.className, 'tfjs') ?? variantInfo(bare, 'tfjs');
    if (info?.framework !== 'tfjs') {
      return undefined;
    }
    const unloadable = layer.className.startsWith('Addons>') || UNLOADABLE.has(bare);
    const specs = descriptorOf(info.kind).params(info.variant, 'tfjs');
    const weights = this.weightsOf([...path, layer.name]);
    return {
      kind: info.kind,
      variant: info.variant,
      framework: 'tfjs',
      location: { type: 'graph', nodes: [[...path, layer.name].join('/')] },
      callee: layer.className,
      resolvedFrom: `model.json class_name ${layer.className} → ${info.variant}`,
      params: bindConfig(layer.config, specs),
      context: {
        origin: 'layers-model',
        ...(producer ? { producer: producerOf(producer) } : {}),
        ...(inputShape ? { inputShape } : {}),
        ...(unloadable ? { unsupportedClass: layer.className } : {}),
        ...(Object.keys(weights).length > 0 ? { weights } : {}),
      },
    };
  }

  /** Manifest names `<layer>/gamma` etc.; nested models may prefix the layer's path. */
  private weightsOf(path: readonly string[]): Partial<Record<TfjsWeightRole, string>> {
    const weights: Partial<Record<TfjsWeightRole, string>> = {};
    const layer = path.at(-1) ?? '';
    for (const role of WEIGHT_ROLES) {
      const suffix = `${layer}/${role}`;
      const full = `${path.join('/')}/${role}`;
      const name =
        this.weightNames.find((n) => n === full) ??
        this.weightNames.find((n) => n === suffix || n.endsWith(`/${suffix}`));
      if (name !== undefined) {
        weights[role] = name;
      }
    }
    return weights;
  }

  /** A layer config's dtype when it is not the float32 default (`float16`, `mixed_float16`). */
  private dtype(layer: LayerEntry, path: readonly string[]): void {
    const raw = field(layer.config, 'dtype');
    const policy = stringOf(raw) ?? stringOf(field(field(raw, 'config'), 'name'));
    if (policy !== undefined && policy !== 'float32') {
      this.result.dtypes.push({
        value: policy.includes('float16') ? 'float16' : policy,
        message: `layer ${path.join('/')} has dtype '${policy}'`,
        nodes: [path.join('/')],
      });
    }
  }
}

function entryOf(raw: unknown): LayerEntry {
  const config = field(raw, 'config');
  return {
    className: stringOf(field(raw, 'class_name')) ?? '',
    name: stringOf(field(raw, 'name')) ?? stringOf(field(config, 'name')) ?? '',
    config,
    inbound: inboundNames(field(raw, 'inbound_nodes')),
  };
}

/**
 * Names of the layers feeding the first call of a layer. Keras 2 writes
 * `[[["conv", 0, 0, {}]]]`; Keras 3 writes `[{args: [{config: {keras_history: ["conv", 0, 0]}}]}]`.
 */
function inboundNames(nodes: unknown): readonly string[] {
  const first = arrayOf(nodes)[0];
  if (Array.isArray(first)) {
    return first
      .map((edge) => stringOf(arrayOf(edge)[0]))
      .filter((n): n is string => n !== undefined);
  }
  const names: string[] = [];
  const visit = (value: unknown, depth: number): void => {
    if (depth > 8) {
      return;
    }
    const history = arrayOf(field(field(value, 'config'), 'keras_history'));
    const name = stringOf(history[0]);
    if (name !== undefined) {
      names.push(name);
      return;
    }
    for (const item of Array.isArray(value) ? value : isObject(value) ? Object.values(value) : []) {
      visit(item, depth + 1);
    }
  };
  visit(field(first, 'args'), 0);
  return names;
}

/** The input shape (without batch) from the first layer's `batch_input_shape` or an InputLayer. */
function firstInputShape(layers: readonly LayerEntry[]): readonly (number | null)[] | undefined {
  const first = layers[0];
  const shape = arrayOf(
    field(first?.config, 'batch_input_shape') ?? field(first?.config, 'batch_shape'),
  );
  if (shape.length === 0 || !shape.every((d) => d === null || typeof d === 'number')) {
    return undefined;
  }
  return shape.slice(1);
}

/** Binds config keys (camelCase spec names, snake_case aliases) to parameters. */
function bindConfig(config: unknown, specs: readonly ParamSpec[]): Record<string, Param> {
  const params: Record<string, Param> = {};
  for (const spec of specs) {
    const keys = [spec.name, snakeCase(spec.name), ...(spec.aliases ?? [])];
    const key = keys.find((k) => field(config, k) !== undefined);
    const raw = key === undefined ? undefined : field(config, key);
    const value = paramValueOf(raw);
    if (key !== undefined && value !== undefined) {
      params[spec.name] = { value, source: 'literal', expression: `${key}: ${shortJson(raw)}` };
    } else if (key !== undefined) {
      params[spec.name] = {
        value: null,
        source: 'unknown',
        expression: `${key}: ${shortJson(raw)}`,
      };
    } else {
      const fallback = spec.defaults.tfjs;
      params[spec.name] =
        fallback === undefined
          ? { value: null, source: 'unknown' }
          : { value: fallback, source: 'default' };
    }
  }
  return params;
}

function snakeCase(name: string): string {
  return name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

/** What a producer layer's config says about its output. */
function producerOf(layer: LayerEntry): ProducerLayer {
  const config = layer.config;
  const channels = numberOf(field(config, 'filters')) ?? numberOf(field(config, 'units'));
  const useBias = field(config, 'use_bias');
  const kernel = field(config, 'kernel_size');
  const dataFormat = stringOf(field(config, 'data_format'));
  const kernelSize =
    typeof kernel === 'number' ||
    (Array.isArray(kernel) && kernel.every((k) => typeof k === 'number'))
      ? (kernel as number | readonly number[])
      : undefined;
  return {
    layer: layer.className,
    name: layer.name,
    ...(channels !== undefined ? { outputChannels: channels } : {}),
    ...(typeof useBias === 'boolean' ? { useBias } : {}),
    ...(kernelSize !== undefined ? { kernelSize } : {}),
    ...(dataFormat !== undefined ? { dataFormat } : {}),
  };
}

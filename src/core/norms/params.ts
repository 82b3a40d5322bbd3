/**
 * Small builders for parameter lists and variant names, so each kind file states only its facts:
 * positional order is written once (as list order) and framework name spellings are generated.
 */
import type { Framework, ParamValue } from '../model';
import type { ParamSpec, VariantSpec } from './types';

/** Fields of a ParamSpec other than name, defaults, doc and position (set only by the list builders). */
type SpecExtras = Omit<ParamSpec, 'name' | 'defaults' | 'doc' | 'position'>;

/** One parameter spec. */
export function spec(
  name: string,
  defaults: Partial<Record<Framework, ParamValue>>,
  doc: string,
  extras: SpecExtras = {},
): ParamSpec {
  return { name, defaults, doc, ...extras };
}

/** The same spec under another name (a functional form's or another framework's spelling). */
export function renamed(
  base: ParamSpec,
  name: string,
  extras: Partial<Omit<ParamSpec, 'name' | 'position'>> = {},
): ParamSpec {
  return { ...base, name, ...extras };
}

/**
 * A Python or JS call signature: list order is positional order. Specs marked `keywordOnly`
 * (everything after `*`) get no position.
 */
export function positional(...specs: readonly ParamSpec[]): readonly ParamSpec[] {
  let next = 0;
  return specs.map((s) => (s.keywordOnly === true ? s : { ...s, position: next++ }));
}

/** A config object (tfjs layer args) or ONNX attributes: no positions. */
export function named(...specs: readonly ParamSpec[]): readonly ParamSpec[] {
  return specs;
}

/** Keyword-only config keys, as tfjs layer args are. */
export function configKeys(...specs: readonly ParamSpec[]): readonly ParamSpec[] {
  return specs.map((s) => ({ ...s, keywordOnly: true }));
}

/** `device=None, dtype=None`, the factory kwargs every PyTorch module takes. */
export const TORCH_FACTORY: readonly ParamSpec[] = [
  spec('device', { pytorch: null }, 'Device for parameters and buffers.'),
  spec('dtype', { pytorch: null }, 'Dtype for parameters and buffers.'),
];

/** The input tensor, first argument of every functional form. */
export const INPUT = spec('input', {}, 'The tensor to normalize.');

type VariantBody = Omit<VariantSpec, 'name' | 'framework' | 'aliases'> & {
  readonly aliases?: readonly string[];
};

/** A `torch.nn` module: `X`, `nn.X`, `torch.nn.X`, `torch.nn.modules.<file>.X`. */
export function torchModule(name: string, file: string, body: VariantBody): VariantSpec {
  const aliases = [`nn.${name}`, `torch.nn.${name}`, `torch.nn.modules.${file}.${name}`];
  return { ...body, name, framework: 'pytorch', aliases: [...aliases, ...(body.aliases ?? [])] };
}

/** A `torch.nn.functional` function, canonical `F.x`. */
export function torchFunctional(name: string, body: VariantBody): VariantSpec {
  const aliases = [`torch.nn.functional.${name}`, `nn.functional.${name}`, `functional.${name}`];
  return {
    ...body,
    name: `F.${name}`,
    framework: 'pytorch',
    aliases: [...aliases, ...(body.aliases ?? [])],
  };
}

/** A `torch.x` ATen binding (positional, no keyword defaults for most). */
export function torchOp(name: string, body: VariantBody): VariantSpec {
  return { ...body, name: `torch.${name}`, framework: 'pytorch', aliases: body.aliases ?? [] };
}

/** A tfjs layer factory `tf.layers.x`; its model.json class name is an alias. */
export function tfjsLayer(name: string, className: string, body: VariantBody): VariantSpec {
  const aliases = [`layers.${name}`, name, className];
  return {
    ...body,
    name: `tf.layers.${name}`,
    framework: 'tfjs',
    aliases: [...aliases, ...(body.aliases ?? [])],
  };
}

/** A tfjs op `tf.x`. */
export function tfjsOp(name: string, body: VariantBody): VariantSpec {
  return {
    ...body,
    name: `tf.${name}`,
    framework: 'tfjs',
    aliases: [name, ...(body.aliases ?? [])],
  };
}

/** A TensorFlow op found in a tfjs graph-model model.json. */
export function tfjsGraphOp(name: string, body: VariantBody): VariantSpec {
  return { ...body, name, framework: 'tfjs', aliases: body.aliases ?? [] };
}

/** An ONNX operator; `domain` is `ai.onnx` or `com.microsoft`. */
export function onnxOp(name: string, domain: string, body: VariantBody): VariantSpec {
  return {
    ...body,
    name,
    framework: 'onnx',
    domain,
    aliases: [`${domain}.${name}`, ...(body.aliases ?? [])],
  };
}

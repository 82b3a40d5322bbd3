/**
 * Tiny builders for rule tests: PyTorch, tfjs and ONNX sites, and batch-size evidence.
 */
import type {
  BatchSizeEvidence,
  FileContext,
  NormKind,
  NormSite,
  OnnxNormSite,
  OnnxSiteContext,
  Param,
  ProducerLayer,
  PythonSiteContext,
  SiteInput,
  SourceRange,
  TfjsNormSite,
  TfjsSiteContext,
} from '../../../src/core/index';

/** A one-line range starting at `character` on `line` (0-based). */
export function lineRange(line: number, character = 0, length = 10): SourceRange {
  return { start: { line, character }, end: { line, character: character + length } };
}

/** A literal parameter, written at `origin` (by default inside the call on line 5). */
export function literal(
  value: Param['value'],
  expression = String(value),
  origin: SourceRange = lineRange(5, 20, expression.length),
): Param {
  return { value, source: 'literal', expression, origin };
}

/** A parameter folded from a module-level constant defined on line 1. */
export function constant(value: Param['value'], expression: string): Param {
  return { value, source: 'constant', expression, origin: lineRange(1, 0, expression.length) };
}

/** A defaulted parameter. */
export function byDefault(value: Param['value']): Param {
  return { value, source: 'default' };
}

/** A PyTorch site whose call `callee(…)` spans line `line`. */
export function pytorchSite(
  variant: string,
  params: Readonly<Record<string, Param>>,
  options: { kind?: NormKind; callee?: string; line?: number; context?: PythonSiteContext } = {},
): NormSite {
  const line = options.line ?? 5;
  const callee = options.callee ?? `nn.${variant}`;
  return {
    kind: options.kind ?? 'batchnorm',
    variant,
    framework: 'pytorch',
    location: { type: 'text', range: lineRange(line, 4, callee.length + 5) },
    nameRange: lineRange(line, 4, callee.length),
    callee,
    params,
    ...(options.context ? { context: options.context } : {}),
  };
}

/** A file context with the given loader batch sizes (each on its own line from 20). */
export function withBatches(
  ...batches: readonly (number | (Partial<BatchSizeEvidence> & { value: number }))[]
): FileContext {
  return {
    batchSizes: batches.map((batch, i) => ({
      message: 'DataLoader batch size',
      origin: `DataLoader(batch_size=${typeof batch === 'number' ? batch : batch.value})`,
      range: lineRange(20 + i),
      ...(typeof batch === 'number' ? { value: batch } : batch),
    })),
  };
}

/** An ONNX site for `op` with the given attributes and model context (defaults: opset 21, float). */
export function onnxSite(
  op: string,
  params: Readonly<Record<string, Param>>,
  context: Partial<OnnxSiteContext> & { kind?: NormKind; variant?: string } = {},
): OnnxNormSite {
  const { kind, variant, ...rest } = context;
  return {
    kind: kind ?? ONNX_KINDS[op] ?? 'other',
    variant: variant ?? op,
    framework: 'onnx',
    location: { type: 'graph', nodes: [`${op}_0`] },
    // Model attributes have no source text to point at.
    params: Object.fromEntries(
      Object.entries(params).map(([name, param]) => [name, withoutOrigin(param)]),
    ),
    context: {
      graph: 'main',
      op,
      domain: '',
      opsetImport: 21,
      opVersion: 21,
      decomposed: false,
      input: undefined,
      producer: undefined,
      attributes: {},
      tensors: {},
      outputCount: 1,
      ...rest,
    },
  };
}

function withoutOrigin(param: Param): Param {
  const { value, source, expression } = param;
  return expression === undefined ? { value, source } : { value, source, expression };
}

/** The declared input of an ONNX site. */
export function onnxInput(shape: readonly (number | string)[], dtype = 'float'): SiteInput {
  return { name: 'X', dtype, shape };
}

const ONNX_KINDS: Readonly<Record<string, NormKind>> = {
  BatchNormalization: 'batchnorm',
  InstanceNormalization: 'instancenorm',
  LayerNormalization: 'layernorm',
  GroupNormalization: 'groupnorm',
  GroupNorm: 'groupnorm',
  RMSNormalization: 'rmsnorm',
  SimplifiedLayerNormalization: 'rmsnorm',
  SkipLayerNormalization: 'layernorm',
  LRN: 'lrn',
};

/** A tfjs source site (`tf.layers.<variant>(…)`) on line 5 with its context. */
export function tfjsSite(
  variant: string,
  kind: NormKind,
  params: Readonly<Record<string, Param>>,
  context: Partial<TfjsSiteContext> = {},
): TfjsNormSite {
  return {
    ...pytorchSite(variant, params, { kind, callee: `tf.layers.${variant}` }),
    framework: 'tfjs',
    context: { origin: 'source', ...context },
  };
}

/** A tfjs producer layer written on line 4. */
export function tfjsProducer(layer: string, options: Partial<ProducerLayer> = {}): ProducerLayer {
  return { layer, range: lineRange(4, 2, layer.length + 12), ...options };
}

/**
 * The ONNX flavour of {@link NormSite}: node names, effective parameters, and the model context a
 * rule or the inventory needs (opset, input shape and type, producer, tensors by role).
 */
import type { NormKind, NormSite, Param, ParamValue } from '../../model';
import type { GraphIndex } from '../graph-index';
import { opsetImportOf } from '../opset';
import { dataTypeName } from '../tensor-layout';
import type { Dim, OnnxNode } from '../types';

/** Tensor roles a normalization reads; names refer to initializers or Constant outputs. */
export type TensorRole = 'scale' | 'bias' | 'mean' | 'var' | 'skip' | 'skipBias';

/** An attribute as written in the model (tensors and graphs omitted). */
export type AttributeSummary = number | string | readonly number[] | readonly string[];

/** The normalized input of a site. */
export interface SiteInput {
  readonly name: string;
  /** Element type name (`float`, `float16`), when declared. */
  readonly dtype: string | undefined;
  readonly shape: readonly Dim[] | undefined;
}

/** The node that produces the normalized input. */
export interface SiteProducer {
  readonly node: string;
  readonly op: string;
  /** Output channels of a Conv/ConvTranspose/Gemm producer, from its weight's dims. */
  readonly outputChannels: number | undefined;
  /** For Conv/ConvTranspose (input B) and Gemm (input C): whether a bias input is given. */
  readonly hasBias?: boolean;
}

/** What the model says around one site. */
export interface OnnxSiteContext {
  /** The graph holding the site: `main`, `main/If_3.then_branch`, `function:custom.Foo`. */
  readonly graph: string;
  /** The native op, or the anchor op of a decomposed pattern. */
  readonly op: string;
  readonly domain: string;
  /** The model's opset import for the op's domain. */
  readonly opsetImport: number | undefined;
  /** The op schema version in effect (greatest version ≤ the import), for ai.onnx ops. */
  readonly opVersion: number | undefined;
  /** True for patterns assembled from primitive ops. */
  readonly decomposed: boolean;
  readonly input: SiteInput | undefined;
  readonly producer: SiteProducer | undefined;
  /** Attributes as written on the native node (empty for decomposed patterns). */
  readonly attributes: Readonly<Record<string, AttributeSummary>>;
  readonly tensors: Readonly<Partial<Record<TensorRole, string>>>;
  /** Storage type of a decomposed pattern's epsilon constant (`float16` can underflow). */
  readonly epsilonType?: string;
  /** Number of outputs the native node produces (3 for a training-mode BatchNormalization). */
  readonly outputCount: number;
  /** Dims of the scale (γ) tensor, when it is a constant. */
  readonly scaleShape?: readonly number[];
  /** A BatchNormalization left unfused: the Conv/ConvTranspose/Gemm it could be folded into. */
  readonly foldableInto?: string;
  /**
   * For BatchNormalization: the node computing its mean or variance input in the graph (a
   * ReduceMean of X, as exporters lower `track_running_stats=False`) instead of a constant.
   */
  readonly statsComputedBy?: string;
}

/** A normalization found in an ONNX model. */
export interface OnnxNormSite extends NormSite {
  readonly framework: 'onnx';
  readonly location: { readonly type: 'graph'; readonly nodes: readonly string[] };
  readonly context: OnnxSiteContext;
}

/** What a detector knows about the graph it works on. */
export interface DetectScope {
  readonly index: GraphIndex;
  readonly imports: ReadonlyMap<string, number>;
}

/** A parameter written in the model. */
export function literal(value: ParamValue, expression?: string): Param {
  return expression === undefined
    ? { value, source: 'literal' }
    : { value, source: 'literal', expression };
}

/** A parameter taken from the op's default. */
export function byDefault(value: ParamValue): Param {
  return { value, source: 'default' };
}

/** A parameter read from a constant tensor (`expression` names it). */
export function fromConstant(value: ParamValue, expression: string): Param {
  return { value, source: 'constant', expression };
}

/** A parameter whose value could not be determined. */
export const UNKNOWN: Param = { value: null, source: 'unknown' };

/** The attributes of a node as plain values. */
export function attributesOf(node: OnnxNode): Record<string, AttributeSummary> {
  const result: Record<string, AttributeSummary> = {};
  for (const attribute of node.attributes.values()) {
    const value =
      attribute.f ??
      attribute.i ??
      attribute.s ??
      (attribute.ints.length > 0 ? attribute.ints : undefined) ??
      (attribute.floats.length > 0 ? attribute.floats : undefined) ??
      (attribute.strings.length > 0 ? attribute.strings : undefined);
    if (value !== undefined) {
      result[attribute.name] = value;
    }
  }
  return result;
}

/** The declared type and shape of a value. */
export function inputOf(index: GraphIndex, name: string | undefined): SiteInput | undefined {
  if (name === undefined || name === '') {
    return undefined;
  }
  const info = index.valueInfo(name);
  return {
    name,
    dtype: info?.elemType === undefined ? undefined : dataTypeName(info.elemType),
    shape: info?.shape,
  };
}

/** The producer of `name`, with output channels for Conv/ConvTranspose/Gemm. */
export function producerOf(index: GraphIndex, name: string | undefined): SiteProducer | undefined {
  const node = index.producer(name);
  if (!node) {
    return undefined;
  }
  const biasInput = BIAS_INPUT[node.opType];
  return {
    node: node.id,
    op: node.opType,
    outputChannels: outputChannels(index, node),
    ...(biasInput === undefined ? {} : { hasBias: (node.inputs[biasInput] ?? '') !== '' }),
  };
}

/** The input that carries a per-output bias, by producer op (an empty name means absent). */
const BIAS_INPUT: Readonly<Record<string, number>> = { Conv: 2, ConvTranspose: 2, Gemm: 2 };

function outputChannels(index: GraphIndex, node: OnnxNode): number | undefined {
  const weight = index.constant(node.inputs[1]);
  const dims = weight?.type === 'tensor' ? weight.tensor.dims : undefined;
  if (!dims) {
    return undefined;
  }
  switch (node.opType) {
    case 'Conv':
      return dims[0];
    case 'ConvTranspose': {
      const group = node.attributes.get('group')?.i ?? 1;
      return dims[1] === undefined ? undefined : dims[1] * group;
    }
    case 'Gemm':
      return node.attributes.get('transB')?.i ? dims[0] : dims[1];
    default:
      return undefined;
  }
}

/**
 * Nodes that exist only to feed the given nodes with constants: Constant nodes (an exporter's eps
 * or exponent) and constant-only plumbing (the Concat/Slice chain computing an LRN's pads). They
 * belong to the pattern and are listed with it.
 */
export function exclusiveFeeders(index: GraphIndex, nodes: readonly OnnxNode[]): OnnxNode[] {
  const members = new Set(nodes);
  const feeders: OnnxNode[] = [];
  const constantOnly = new Map<OnnxNode, boolean>();
  const isConstantOnly = (node: OnnxNode, depth: number): boolean => {
    const known = constantOnly.get(node);
    if (known !== undefined) {
      return known;
    }
    constantOnly.set(node, false); // Guards against cycles in malformed graphs.
    const result =
      depth < 32 &&
      node.inputs.every((input) => {
        if (input === '' || index.constant(input)?.type === 'tensor') {
          return true;
        }
        const producer = index.producer(input);
        return producer !== undefined && isConstantOnly(producer, depth + 1);
      });
    constantOnly.set(node, result);
    return result;
  };
  const queue = [...nodes];
  while (queue.length > 0) {
    const node = queue.pop();
    for (const input of node?.inputs ?? []) {
      const producer = index.producer(input);
      if (
        producer &&
        !members.has(producer) &&
        isConstantOnly(producer, 0) &&
        producer.outputs.every((o) => index.consumersOf(o).every((c) => members.has(c)))
      ) {
        members.add(producer);
        feeders.push(producer);
        queue.push(producer);
      }
    }
  }
  return feeders;
}

/** Assembles a site; `nodes` are listed in graph order. */
export function makeSite(
  scope: DetectScope,
  fields: {
    readonly kind: NormKind;
    readonly variant: string;
    readonly nodes: readonly OnnxNode[];
    readonly params: Readonly<Record<string, Param>>;
    readonly context: Omit<OnnxSiteContext, 'graph' | 'opsetImport'>;
  },
): OnnxNormSite {
  const { index } = scope;
  const nodes = [...new Set(fields.nodes)].sort((a, b) => index.position(a) - index.position(b));
  return {
    kind: fields.kind,
    variant: fields.variant,
    framework: 'onnx',
    location: { type: 'graph', nodes: nodes.map((n) => n.id) },
    params: fields.params,
    context: {
      ...fields.context,
      graph: scope.index.graph.path,
      opsetImport: opsetImportOf(scope.imports, fields.context.domain),
    },
  };
}

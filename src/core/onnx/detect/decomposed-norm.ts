/**
 * LayerNorm and RMSNorm written out in primitive ops, as exporters emit them below opset 17/23:
 *
 *   LayerNorm  ReduceMean → Sub → Pow|Mul → ReduceMean → Add(eps) → Sqrt → Div | Reciprocal·Mul
 *              (or var = ReduceMean(x²) − ReduceMean(x)²) → [Mul γ] → [Add β]
 *   RMSNorm    Pow|Mul → ReduceMean → Add(eps) → Sqrt → Div | Reciprocal·Mul → [Mul γ]
 *
 * The match is anchored on `Add(ReduceMean(…), eps) → Sqrt` and walks outwards.
 */
import type { Param } from '../../model';
import { dataTypeName } from '../tensor-layout';
import type { OnnxNode } from '../types';
import { decomposedSite } from './decomposed-site';
import { byDefault, fromConstant, literal, type DetectScope, type OnnxNormSite } from './site';
import {
  constantOperand,
  consumersThrough,
  origin,
  producerThrough,
  reduceAxes,
  sameValue,
  scalarOf,
  soleConsumer,
  squaredInput,
  type MatchContext,
} from './walk';

/** What the variance part of the pattern revealed. */
interface Statistics {
  readonly layer: 'layernorm' | 'rmsnorm';
  /** The normalized input X. */
  readonly input: string;
  /** The value divided by the std: X − mean for LayerNorm, X for RMSNorm. */
  readonly numerator: string;
  readonly axes: readonly number[] | undefined;
  readonly nodes: readonly OnnxNode[];
}

/** Both reductions of a LayerNorm run over the same axes (unknown axes are not held against it). */
function sameAxes(a: readonly number[] | undefined, b: readonly number[] | undefined): boolean {
  return (
    a === undefined || b === undefined || (a.length === b.length && a.every((v, k) => v === b[k]))
  );
}

/** Matches the variance computation feeding `reduce` (the ReduceMean under the eps Add). */
function statistics(context: MatchContext, reduce: OnnxNode): Statistics | undefined {
  const { index } = context;
  const inner = producerThrough(index, reduce.inputs[0]);
  const squared = squaredInput(context, inner.node);
  const axes = reduceAxes(context, reduce);
  if (squared !== undefined && inner.node) {
    const centered = producerThrough(index, squared);
    const sub = centered.node;
    const mean = sub?.opType === 'Sub' ? producerThrough(index, sub.inputs[1]) : undefined;
    if (
      sub &&
      mean?.node?.opType === 'ReduceMean' &&
      sameValue(index, mean.node.inputs[0], sub.inputs[0])
    ) {
      if (!sameAxes(axes, reduceAxes(context, mean.node))) {
        return undefined; // Centred over other axes than the variance: not a LayerNorm.
      }
      return {
        layer: 'layernorm',
        input: origin(index, sub.inputs[0]).name ?? '',
        numerator: sub.outputs[0] ?? '',
        axes,
        nodes: [
          mean.node,
          ...mean.via,
          sub,
          ...centered.via,
          inner.node,
          ...inner.via,
          reduce,
          ...origin(index, sub.inputs[0]).via,
        ],
      };
    }
    return {
      layer: 'rmsnorm',
      input: origin(index, squared).name ?? '',
      numerator: origin(index, squared).name ?? '',
      axes,
      nodes: [inner.node, ...inner.via, reduce, ...origin(index, squared).via],
    };
  }
  return undefined;
}

/** The `E[x²] − E[x]²` form: Sub(ReduceMean(x²), ReduceMean(x)²), numerator Sub(x, ReduceMean(x)). */
function moments(context: MatchContext, sub: OnnxNode): Statistics | undefined {
  const { index } = context;
  const meanOfSquares = producerThrough(index, sub.inputs[0]);
  const squareOfMean = producerThrough(index, sub.inputs[1]);
  const square =
    meanOfSquares.node?.opType === 'ReduceMean'
      ? producerThrough(index, meanOfSquares.node.inputs[0])
      : undefined;
  const x = squaredInput(context, square?.node);
  const meanName = squaredInput(context, squareOfMean.node);
  const mean = producerThrough(index, meanName);
  if (
    x === undefined ||
    !square?.node ||
    !meanOfSquares.node ||
    !squareOfMean.node ||
    mean.node?.opType !== 'ReduceMean' ||
    !sameValue(index, mean.node.inputs[0], x)
  ) {
    return undefined;
  }
  const axes = reduceAxes(context, meanOfSquares.node);
  const numerator = consumersThrough(index, mean.node.outputs[0]).find(
    (c) =>
      c.node.opType === 'Sub' &&
      sameValue(index, c.node.inputs[0], x) &&
      sameValue(index, c.node.inputs[1], mean.node?.outputs[0]),
  );
  if (!numerator) {
    return undefined;
  }
  return {
    layer: 'layernorm',
    input: origin(index, x).name ?? '',
    numerator: numerator.node.outputs[0] ?? '',
    axes,
    nodes: [
      mean.node,
      ...mean.via,
      square.node,
      ...square.via,
      meanOfSquares.node,
      ...meanOfSquares.via,
      squareOfMean.node,
      ...squareOfMean.via,
      sub,
      numerator.node,
      ...numerator.via,
      ...origin(index, x).via,
    ],
  };
}

/** Finds `Div(numerator, std)` or `Mul(numerator, Reciprocal(std))` after the Sqrt. */
function division(
  context: MatchContext,
  sqrt: OnnxNode,
  numerator: string,
): OnnxNode[] | undefined {
  const { index } = context;
  for (const { node, via } of consumersThrough(index, sqrt.outputs[0])) {
    if (node.opType === 'Div' && sameValue(index, node.inputs[0], numerator)) {
      return [...via, node];
    }
    // 1/std written as Reciprocal(std) or Div(1, std).
    const reciprocal =
      node.opType === 'Reciprocal' ||
      (node.opType === 'Div' &&
        scalarOf(context, node.inputs[0]) === 1 &&
        sameValue(index, node.inputs[1], sqrt.outputs[0]));
    if (reciprocal) {
      const mul = consumersThrough(index, node.outputs[0]).find(
        (c) => c.node.opType === 'Mul' && c.node.inputs.some((i) => sameValue(index, i, numerator)),
      );
      if (mul) {
        return [...via, node, ...mul.via, mul.node];
      }
    }
  }
  return undefined;
}

/** Optional `Mul(γ)` and, for LayerNorm, `Add(β)` after the normalized value. */
function affine(
  context: MatchContext,
  normalized: OnnxNode,
  withBias: boolean,
): { scale?: string; bias?: string; nodes: OnnxNode[] } {
  const nodes: OnnxNode[] = [];
  const mul = soleConsumer(context.index, normalized);
  const scale = mul?.node.opType === 'Mul' ? constantOperand(context, mul.node) : undefined;
  if (!mul || !scale) {
    return { nodes };
  }
  nodes.push(...mul.via, mul.node);
  const add = withBias ? soleConsumer(context.index, mul.node) : undefined;
  const bias = add?.node.opType === 'Add' ? constantOperand(context, add.node) : undefined;
  if (add && bias) {
    nodes.push(...add.via, add.node);
    return { scale: scale.constant, bias: bias.constant, nodes };
  }
  return { scale: scale.constant, nodes };
}

/** Tries to read a decomposed LayerNorm/RMSNorm anchored on the Add node `add`. */
export function decomposedNormAt(
  scope: DetectScope,
  context: MatchContext,
  add: OnnxNode,
): OnnxNormSite | undefined {
  const { index } = context;
  if (add.opType !== 'Add') {
    return undefined;
  }
  const operands = constantOperand(context, add);
  const below = operands && producerThrough(index, operands.other);
  const sqrt = consumersThrough(index, add.outputs[0]).find((c) => c.node.opType === 'Sqrt');
  if (!below?.node || !sqrt) {
    return undefined;
  }
  // The variance is a ReduceMean (two-pass forms) or a Sub of two means (the E[x²] − E[x]² form).
  const stats =
    below.node.opType === 'ReduceMean'
      ? statistics(context, below.node)
      : below.node.opType === 'Sub'
        ? moments(context, below.node)
        : undefined;
  const divide = stats && division(context, sqrt.node, stats.numerator);
  const normalized = divide?.[divide.length - 1];
  if (!stats || !divide || !normalized) {
    return undefined;
  }
  const tail = affine(context, normalized, stats.layer === 'layernorm');
  const core = [
    ...stats.nodes,
    ...below.via,
    add,
    ...sqrt.via,
    sqrt.node,
    ...divide,
    ...tail.nodes,
  ];
  if (!operands) {
    return undefined;
  }
  const epsilon = scalarOf(context, operands.constant);
  const epsilonRef = index.constant(operands.constant);
  const epsilonType =
    epsilonRef?.type === 'tensor' ? dataTypeName(epsilonRef.tensor.dataType) : 'float';
  const params: Record<string, Param> = {
    epsilon:
      epsilon === undefined
        ? { value: null, source: 'unknown', expression: operands.constant }
        : fromConstant(epsilon, operands.constant),
    axes: stats.axes ? literal(stats.axes) : byDefault(null),
    elementwise_affine: literal(tail.scale !== undefined),
    ...(stats.layer === 'layernorm' ? { bias: literal(tail.bias !== undefined) } : {}),
  };
  return decomposedSite(scope, {
    kind: stats.layer,
    variant: stats.layer === 'layernorm' ? 'decomposed LayerNorm' : 'decomposed RMSNorm',
    nodes: core,
    params,
    op: 'ReduceMean',
    input: stats.input,
    tensors: {
      ...(tail.scale ? { scale: tail.scale } : {}),
      ...(tail.bias ? { bias: tail.bias } : {}),
    },
    epsilonType,
  });
}

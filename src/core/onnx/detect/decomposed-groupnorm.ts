/**
 * GroupNorm as PyTorch's TorchScript exporter writes it at every opset (and the dynamo exporter
 * below 21): Reshape(N, G, −1) → InstanceNormalization(scale=1, B=0) → Reshape(Shape(x)) →
 * [Mul γ → Add β]. Any G is accepted.
 */
import type { OnnxNode } from '../types';
import { decomposedSite } from './decomposed-site';
import { byDefault, fromConstant, literal, type DetectScope, type OnnxNormSite } from './site';
import {
  constantOperand,
  origin,
  producerThrough,
  sameValue,
  soleConsumer,
  type MatchContext,
} from './walk';

function allEqual(values: readonly number[] | undefined, expected: number): boolean {
  return values === undefined || values.every((v) => v === expected);
}

/** Tries to read a decomposed GroupNorm around the InstanceNormalization node `norm`. */
export function decomposedGroupNormAt(
  scope: DetectScope,
  context: MatchContext,
  norm: OnnxNode,
): OnnxNormSite | undefined {
  const { index, constants } = context;
  if (norm.opType !== 'InstanceNormalization') {
    return undefined;
  }
  const before = producerThrough(index, norm.inputs[0]);
  const after = soleConsumer(index, norm);
  if (before.node?.opType !== 'Reshape' || after?.node.opType !== 'Reshape') {
    return undefined;
  }
  const scale = constants.valuesOf(index, norm.inputs[1]);
  const bias = constants.valuesOf(index, norm.inputs[2]);
  // A real GroupNorm decomposition normalizes only; the affine part comes after the reshape back.
  if (!allEqual(scale, 1) || !allEqual(bias, 0)) {
    return undefined;
  }
  const x = origin(index, before.node.inputs[0]).name;
  const shapeName = before.node.inputs[1];
  const target = constants.valuesOf(index, shapeName);
  const groups = target?.length !== undefined && target.length >= 2 ? target[1] : scale?.length;
  const restore = index.producer(after.node.inputs[1]);
  const nodes: OnnxNode[] = [before.node, ...before.via, norm, ...after.via, after.node];
  if (restore?.opType === 'Shape' && sameValue(index, restore.inputs[0], x)) {
    nodes.push(restore);
  }
  const mul = soleConsumer(index, after.node);
  const gamma = mul?.node.opType === 'Mul' ? constantOperand(context, mul.node) : undefined;
  const add = gamma && mul ? soleConsumer(index, mul.node) : undefined;
  const beta = add?.node.opType === 'Add' ? constantOperand(context, add.node) : undefined;
  if (mul && gamma) {
    nodes.push(...mul.via, mul.node);
    if (add && beta) {
      nodes.push(...add.via, add.node);
    }
  }
  const epsilon = norm.attributes.get('epsilon')?.f;
  return decomposedSite(scope, {
    kind: 'groupnorm',
    variant: 'decomposed GroupNorm',
    nodes,
    params: {
      num_groups:
        groups === undefined
          ? { value: null, source: 'unknown' }
          : fromConstant(
              groups,
              target ? `${shapeName ?? ''}[1]` : `${norm.inputs[1] ?? ''} length`,
            ),
      epsilon: epsilon === undefined ? byDefault(1e-5) : literal(epsilon),
      affine: literal(gamma !== undefined),
    },
    op: 'InstanceNormalization',
    input: x,
    tensors: {
      ...(gamma ? { scale: gamma.constant } : {}),
      ...(beta ? { bias: beta.constant } : {}),
    },
  });
}

/**
 * PyTorch's LocalResponseNorm as exported: x² → (reshape, pad) → AveragePool(size) → … →
 * Mul(α) → Add(k) → Pow(β) → Div(x, ·). The shape plumbing between the square and the Mul varies
 * by opset (an If appears from 13), so the match collects every node on a path between them.
 */
import { implicitInputs } from '../graph-index';
import type { OnnxNode } from '../types';
import { decomposedSite } from './decomposed-site';
import { fromConstant, type DetectScope, type OnnxNormSite } from './site';
import { constantOperand, scalarOf, squaredInput, type MatchContext } from './walk';

/** The plumbing between x² and Mul(α) is about 30 nodes; stop looking well beyond that. */
const MAX_CHAIN = 96;

function reachableBackward(context: MatchContext, from: OnnxNode): Set<OnnxNode> {
  const seen = new Set<OnnxNode>();
  const stack = [from];
  while (stack.length > 0 && seen.size < MAX_CHAIN) {
    const node = stack.pop();
    if (!node || seen.has(node)) {
      continue;
    }
    seen.add(node);
    for (const input of [...node.inputs, ...implicitInputs(node)]) {
      const producer = context.index.producer(input);
      if (producer && producer.opType !== 'Constant') {
        stack.push(producer);
      }
    }
  }
  return seen;
}

function reachableForward(
  context: MatchContext,
  from: OnnxNode,
  within: Set<OnnxNode>,
): OnnxNode[] {
  const seen = new Set<OnnxNode>();
  const stack = [from];
  while (stack.length > 0) {
    const node = stack.pop();
    if (!node || seen.has(node) || !within.has(node)) {
      continue;
    }
    seen.add(node);
    node.outputs.forEach((o) => stack.push(...context.index.consumersOf(o)));
  }
  return [...seen];
}

/** Tries to read a torch-style LRN chain ending in the Div node `div`. */
export function lrnChainAt(
  scope: DetectScope,
  context: MatchContext,
  div: OnnxNode,
): OnnxNormSite | undefined {
  const { index } = context;
  const [x, denominator] = div.inputs;
  const pow = div.opType === 'Div' ? index.producer(denominator) : undefined;
  const add = pow?.opType === 'Pow' ? index.producer(pow.inputs[0]) : undefined;
  const addOperands = add?.opType === 'Add' ? constantOperand(context, add) : undefined;
  const mul = addOperands && index.producer(addOperands.other);
  const mulOperands = mul?.opType === 'Mul' ? constantOperand(context, mul) : undefined;
  if (!pow || !add || !addOperands || !mul || !mulOperands) {
    return undefined;
  }
  // Scanning x's consumers last keeps many plain Divs of one tensor linear (a hostile model had
  // 20,000 of them).
  const square = index.consumersOf(x).find((c) => c !== div && squaredInput(context, c) === x);
  if (!square) {
    return undefined;
  }
  const upstream = reachableBackward(context, mul);
  const chain = reachableForward(context, square, upstream);
  const pool = chain.find((n) => n.opType === 'AveragePool');
  const size = pool?.attributes.get('kernel_shape')?.ints[0];
  const alpha = scalarOf(context, mulOperands.constant);
  const bias = scalarOf(context, addOperands.constant);
  const beta = scalarOf(context, pow.inputs[1]);
  if (
    !pool ||
    !chain.includes(mul) ||
    size === undefined ||
    alpha === undefined ||
    bias === undefined ||
    beta === undefined
  ) {
    return undefined;
  }
  return decomposedSite(scope, {
    kind: 'lrn',
    variant: 'decomposed LRN',
    nodes: [...chain, add, pow, div],
    params: {
      size: fromConstant(size, `${pool.id}.kernel_shape[0]`),
      alpha: fromConstant(alpha, mulOperands.constant),
      beta: fromConstant(beta, pow.inputs[1] ?? ''),
      bias: fromConstant(bias, addOperands.constant),
    },
    op: 'AveragePool',
    input: x,
    tensors: {},
  });
}

/**
 * Small graph walks shared by the pattern detectors. Exporters sprinkle Cast (and sometimes
 * Identity) nodes between the steps of a decomposed norm, so walks look through them.
 */
import type { GraphIndex } from '../graph-index';
import type { OnnxNode } from '../types';
import type { ConstantTable } from './constants';

/** Ops that do not change what a value means for pattern matching. */
const TRANSPARENT = new Set(['Cast', 'Identity']);

/** What a pattern matcher works with. */
export interface MatchContext {
  readonly index: GraphIndex;
  readonly constants: ConstantTable;
}

/** Casts and Identities chained back to back are few; a longer chain is a malformed (cyclic) graph. */
const MAX_HOPS = 16;

/** The value behind `name` once Casts are looked through, plus the Casts passed. */
export function origin(
  index: GraphIndex,
  name: string | undefined,
): { name: string | undefined; via: OnnxNode[] } {
  const via: OnnxNode[] = [];
  let current = name;
  for (let hop = 0; hop < MAX_HOPS; hop++) {
    const producer = index.producer(current);
    if (!producer || !TRANSPARENT.has(producer.opType)) {
      break;
    }
    via.push(producer);
    current = producer.inputs[0];
  }
  return { name: current, via };
}

/** The producer of `name` looking through Casts. */
export function producerThrough(
  index: GraphIndex,
  name: string | undefined,
): { node: OnnxNode | undefined; via: OnnxNode[] } {
  const { name: source, via } = origin(index, name);
  return { node: index.producer(source), via };
}

/** Consumers of `name`, looking through Casts; each with the Casts passed on the way. */
export function consumersThrough(
  index: GraphIndex,
  name: string | undefined,
): { node: OnnxNode; via: OnnxNode[] }[] {
  const result: { node: OnnxNode; via: OnnxNode[] }[] = [];
  const visit = (value: string | undefined, via: OnnxNode[], depth: number): void => {
    for (const consumer of index.consumersOf(value)) {
      if (TRANSPARENT.has(consumer.opType) && depth < 4) {
        visit(consumer.outputs[0], [...via, consumer], depth + 1);
      } else {
        result.push({ node: consumer, via });
      }
    }
  };
  visit(name, [], 0);
  return result;
}

/** True when two names carry the same value once Casts are looked through. */
export function sameValue(
  index: GraphIndex,
  a: string | undefined,
  b: string | undefined,
): boolean {
  return a !== undefined && origin(index, a).name === origin(index, b).name;
}

/** The single value of a scalar constant (any rank, one element). */
export function scalarOf(context: MatchContext, name: string | undefined): number | undefined {
  const values = context.constants.valuesOf(context.index, name);
  return values?.length === 1 ? values[0] : undefined;
}

/** For `Pow(a, 2)` or `Mul(a, a)`: the squared input `a`. */
export function squaredInput(
  context: MatchContext,
  node: OnnxNode | undefined,
): string | undefined {
  if (node?.opType === 'Pow' && scalarOf(context, node.inputs[1]) === 2) {
    return node.inputs[0];
  }
  if (node?.opType === 'Mul' && sameValue(context.index, node.inputs[0], node.inputs[1])) {
    return node.inputs[0];
  }
  return undefined;
}

/** The reduction axes of a ReduceMean: the attribute (opset < 18) or the constant second input. */
export function reduceAxes(context: MatchContext, node: OnnxNode): readonly number[] | undefined {
  const attribute = node.attributes.get('axes');
  if (attribute) {
    return attribute.ints;
  }
  return node.inputs[1] ? context.constants.valuesOf(context.index, node.inputs[1]) : undefined;
}

/** For a binary op with one constant operand: that operand's name and the other input. */
export function constantOperand(
  context: MatchContext,
  node: OnnxNode,
): { constant: string; other: string } | undefined {
  const [a, b] = node.inputs;
  if (a === undefined || b === undefined) {
    return undefined;
  }
  if (context.index.constant(b)) {
    return { constant: b, other: a };
  }
  return context.index.constant(a) ? { constant: a, other: b } : undefined;
}

/** The only consumer of a node's output (through Casts), when there is exactly one. */
export function soleConsumer(
  index: GraphIndex,
  node: OnnxNode,
): { node: OnnxNode; via: OnnxNode[] } | undefined {
  const output = node.outputs[0];
  if (output === undefined || index.isGraphOutput(output)) {
    return undefined;
  }
  const consumers = consumersThrough(index, output);
  return consumers.length === 1 ? consumers[0] : undefined;
}

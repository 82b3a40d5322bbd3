/**
 * Name lookups over one graph: who produces a value, who consumes it, and which values are
 * constants (initializers or Constant nodes, including those of enclosing graphs).
 */
import type { OnnxGraph, OnnxNode, OnnxTensor, OnnxValueInfo } from './types';

/** A constant value: a tensor handle, or numbers written inline in a Constant node's attribute. */
export type ConstantRef =
  | { readonly type: 'tensor'; readonly tensor: OnnxTensor; readonly node: OnnxNode | undefined }
  | { readonly type: 'inline'; readonly values: readonly number[]; readonly node: OnnxNode };

/** Lookups over one graph, built once per graph. */
export class GraphIndex {
  private readonly producers = new Map<string, OnnxNode>();
  private readonly consumers = new Map<string, OnnxNode[]>();
  private readonly positions = new Map<OnnxNode, number>();

  constructor(
    readonly graph: OnnxGraph,
    private readonly parent?: GraphIndex,
  ) {
    graph.nodes.forEach((node, position) => this.positions.set(node, position));
    for (const node of graph.nodes) {
      for (const output of node.outputs) {
        if (output !== '') {
          this.producers.set(output, node);
        }
      }
      const inputs = hasSubgraphs(node) ? [...node.inputs, ...implicitInputs(node)] : node.inputs;
      for (const input of inputs) {
        if (input === '') {
          continue;
        }
        const list = this.consumers.get(input);
        if (!list) {
          this.consumers.set(input, [node]);
        } else if (list[list.length - 1] !== node) {
          // A node reading the same value twice (Mul(x, x)) is one consumer.
          list.push(node);
        }
      }
    }
  }

  /** Position of a node of this graph in graph order. */
  position(node: OnnxNode): number {
    return this.positions.get(node) ?? -1;
  }

  /** The node in this graph that produces `name`, if any. */
  producer(name: string | undefined): OnnxNode | undefined {
    return name === undefined ? undefined : this.producers.get(name);
  }

  /** Nodes of this graph that read `name`. */
  consumersOf(name: string | undefined): readonly OnnxNode[] {
    return name === undefined ? [] : (this.consumers.get(name) ?? []);
  }

  /** True when `name` is a graph output (so removing its producer would change the model). */
  isGraphOutput(name: string): boolean {
    return this.graph.outputs.some((o) => o.name === name);
  }

  /** The constant behind `name`: an initializer or a Constant node, here or in an enclosing graph. */
  constant(name: string | undefined): ConstantRef | undefined {
    if (name === undefined || name === '') {
      return undefined;
    }
    const producer = this.producers.get(name);
    if (producer) {
      return producer.opType === 'Constant' ? constantOfNode(producer) : undefined;
    }
    const tensor = this.graph.initializers.get(name);
    if (tensor) {
      return { type: 'tensor', tensor, node: undefined };
    }
    return this.parent?.constant(name);
  }

  /** Declared type and shape of `name` (graph input/output or value_info), here or outside. */
  valueInfo(name: string | undefined): OnnxValueInfo | undefined {
    if (name === undefined) {
      return undefined;
    }
    const found =
      this.graph.valueInfo.get(name) ??
      this.graph.inputs.find((v) => v.name === name) ??
      this.graph.outputs.find((v) => v.name === name);
    if (found) {
      return found;
    }
    const init = this.graph.initializers.get(name);
    if (init) {
      return { name, elemType: init.dataType, shape: init.dims };
    }
    return this.parent?.valueInfo(name);
  }
}

/** The value of a Constant node: `value` (a tensor) or one of the inline numeric attributes. */
export function constantOfNode(node: OnnxNode): ConstantRef | undefined {
  const value = node.attributes.get('value');
  if (value?.t) {
    return { type: 'tensor', tensor: value.t, node };
  }
  for (const key of ['value_float', 'value_int'] as const) {
    const attribute = node.attributes.get(key);
    const single = attribute?.f ?? attribute?.i;
    if (single !== undefined) {
      return { type: 'inline', values: [single], node };
    }
  }
  for (const key of ['value_floats', 'value_ints'] as const) {
    const attribute = node.attributes.get(key);
    if (attribute) {
      return {
        type: 'inline',
        values: key === 'value_floats' ? attribute.floats : attribute.ints,
        node,
      };
    }
  }
  return undefined;
}

function hasSubgraphs(node: OnnxNode): boolean {
  for (const attribute of node.attributes.values()) {
    if (attribute.g || attribute.graphs.length > 0) {
      return true;
    }
  }
  return false;
}

/**
 * Outer-scope names a node's subgraphs read (an If branch using a value of the enclosing graph).
 * They are real data dependencies even though the node does not list them as inputs.
 */
export function implicitInputs(node: OnnxNode): Set<string> {
  const names = new Set<string>();
  if (!hasSubgraphs(node)) {
    return names;
  }
  for (const attribute of node.attributes.values()) {
    for (const sub of attribute.g ? [attribute.g, ...attribute.graphs] : attribute.graphs) {
      const local = new Set<string>([...sub.initializers.keys(), ...sub.inputs.map((v) => v.name)]);
      for (const inner of sub.nodes) {
        inner.outputs.forEach((o) => local.add(o));
      }
      for (const inner of sub.nodes) {
        for (const name of [...inner.inputs, ...implicitInputs(inner)]) {
          if (name !== '' && !local.has(name)) {
            names.add(name);
          }
        }
      }
    }
  }
  return names;
}

/** Every graph of a model part: the graph itself and all subgraphs below it, depth first. */
export function* graphsBelow(graph: OnnxGraph): Generator<OnnxGraph> {
  yield graph;
  for (const node of graph.nodes) {
    for (const attribute of node.attributes.values()) {
      if (attribute.g) {
        yield* graphsBelow(attribute.g);
      }
      for (const sub of attribute.graphs) {
        yield* graphsBelow(sub);
      }
    }
  }
}

/**
 * Producer context for layer sites: the layer written just before a normalization in
 * `tf.sequential({layers: […]})`, in a chain of `model.add(…)` statements, or feeding it through
 * `.apply(…)` in the functional API; and the model's `inputShape` from the first layer.
 */
import type { Node } from 'web-tree-sitter';
import { rangeOf } from '../../syntax/ranges';
import type { ProducerLayer } from '../types';
import { argumentsOf } from './arguments';
import type { SourceScope } from './sites';
import { childrenOf, unwrap } from './syntax';
import type { VariableWrites } from './writes';

/** What the surrounding model says about one layer call. */
export interface LayerNeighbourhood {
  readonly producer?: ProducerLayer;
  readonly inputShape?: readonly (number | null)[];
}

/** The elements of one array literal, and each element's index by node id. */
interface ArrayElements {
  readonly elements: readonly Node[];
  readonly indices: ReadonlyMap<number, number>;
}

/** How many `.apply` hops and variable writes are followed back to a producer. */
const MAX_HOPS = 8;

/** Finds producers in one file, following variables through their writes. */
export class ProducerFinder {
  /** {@link addChain}'s blocks read so far: block node id → receiver → its `add` calls. */
  private readonly addChains = new Map<number, Map<string, Node[]>>();
  /** {@link arrayElements}' arrays read so far: array node id → its elements and their indices. */
  private readonly arrays = new Map<number, ArrayElements>();

  constructor(
    private readonly scope: SourceScope,
    private readonly writes: VariableWrites,
  ) {}

  /** The producer and input shape around a layer-factory call. */
  around(call: Node): LayerNeighbourhood {
    return this.inSequentialArray(call) ?? this.inAddChain(call) ?? this.throughApply(call) ?? {};
  }

  /** `tf.sequential({layers: [conv, bn]})`: the previous array element. */
  private inSequentialArray(call: Node): LayerNeighbourhood | undefined {
    const array = call.parent;
    if (array?.type !== 'array') {
      return undefined;
    }
    const { elements, indices } = this.arrayElements(array);
    const index = indices.get(call.id) ?? -1;
    const previous = index > 0 ? elements[index - 1] : undefined;
    return this.neighbourhood(previous, elements[0]);
  }

  /**
   * The elements of an array literal with each one's index. Each array is read once, as every layer
   * site in it asks (an array of thousands of layers would otherwise be read once per site).
   */
  private arrayElements(array: Node): ArrayElements {
    let read = this.arrays.get(array.id);
    if (!read) {
      const elements = childrenOf(array);
      read = { elements, indices: new Map(elements.map((element, k) => [element.id, k])) };
      this.arrays.set(array.id, read);
    }
    return read;
  }

  /** `model.add(conv); model.add(bn);`: the previous `add` on the same receiver in the block. */
  private inAddChain(call: Node): LayerNeighbourhood | undefined {
    const add = addCall(call.parent?.parent ?? null);
    const statement = add?.parent;
    if (!add || statement?.type !== 'expression_statement' || !statement.parent) {
      return undefined;
    }
    const chain = this.addChain(statement.parent, this.receiverOf(add));
    const index = chain.findIndex((c) => c.id === add.id);
    const layerOf = (c: Node | undefined): Node | undefined => (c ? argumentsOf(c)[0] : undefined);
    return this.neighbourhood(layerOf(chain[index - 1]), layerOf(chain[0]));
  }

  /**
   * The `receiver.add(…)` statements of a block, in order. Each block is read once, as every layer
   * site in it asks (a block of thousands of `add`s would otherwise be read once per site).
   */
  private addChain(block: Node, receiver: string): readonly Node[] {
    let chains = this.addChains.get(block.id);
    if (!chains) {
      chains = new Map();
      for (const statement of childrenOf(block)) {
        const add =
          statement.type === 'expression_statement'
            ? addCall(statement.firstNamedChild)
            : undefined;
        if (add) {
          const key = this.receiverOf(add);
          const chain = chains.get(key) ?? [];
          chain.push(add);
          chains.set(key, chain);
        }
      }
      this.addChains.set(block.id, chains);
    }
    return chains.get(receiver) ?? [];
  }

  /** `tf.layers.batchNormalization().apply(x)` or `bn.apply(x)`: the layer that produced x. */
  private throughApply(call: Node): LayerNeighbourhood | undefined {
    const member = call.parent;
    const property =
      member?.type === 'member_expression' ? member.childForFieldName('property') : null;
    let apply = property && this.scope.read(property) === 'apply' ? member?.parent : undefined;
    if (!apply) {
      const declarator = call.parent?.type === 'variable_declarator' ? call.parent : undefined;
      const name = declarator?.childForFieldName('name');
      apply = name ? this.applyOf(this.scope.read(name), call) : undefined;
    }
    const input = apply?.type === 'call_expression' ? argumentsOf(apply)[0] : undefined;
    const producer = input && this.producedBy(input, apply ?? call, 0);
    return producer && { producer: layerInfo(producer, this.scope) };
  }

  /** The first `name.apply(…)` call after the layer's declaration. */
  private applyOf(name: string, after: Node): Node | undefined {
    let node: Node | null = after.parent;
    while (node?.parent) {
      node = node.parent;
    }
    return node?.descendantsOfType('call_expression').find((c): c is Node => {
      const callee = c?.childForFieldName('function');
      return (
        c !== null &&
        c.startIndex > after.startIndex &&
        callee?.type === 'member_expression' &&
        this.scope.read(callee) === `${name}.apply`
      );
    });
  }

  /** The layer-factory call whose output `value` is, following variables and `.apply`. */
  private producedBy(raw: Node, use: Node, hops: number): Node | undefined {
    const value = unwrap(raw);
    if (hops > MAX_HOPS) {
      return undefined;
    }
    if (value.type === 'identifier') {
      const write = this.writes.lastBefore(this.scope.read(value), use);
      return write && this.producedBy(write, write, hops + 1);
    }
    const callee = value.type === 'call_expression' ? value.childForFieldName('function') : null;
    const property =
      callee?.type === 'member_expression' ? callee.childForFieldName('property') : null;
    const object = callee?.childForFieldName('object');
    if (!property || !object || this.scope.read(property) !== 'apply') {
      return undefined;
    }
    const layer = unwrap(object);
    if (this.isLayerCall(layer)) {
      return layer;
    }
    const bound =
      layer.type === 'identifier' ? this.writes.lastBefore(this.scope.read(layer), use) : undefined;
    return bound && this.isLayerCall(unwrap(bound)) ? unwrap(bound) : undefined;
  }

  private neighbourhood(previous: Node | undefined, first: Node | undefined): LayerNeighbourhood {
    const producer =
      previous && this.isLayerCall(unwrap(previous))
        ? layerInfo(unwrap(previous), this.scope)
        : undefined;
    const inputShape =
      first && this.isLayerCall(unwrap(first)) ? this.inputShapeOf(unwrap(first)) : undefined;
    return { ...(producer ? { producer } : {}), ...(inputShape ? { inputShape } : {}) };
  }

  private isLayerCall(node: Node): boolean {
    const callee = node.type === 'call_expression' ? node.childForFieldName('function') : null;
    return (
      callee !== null &&
      (this.scope.names.resolve(callee, this.scope.read)?.startsWith('tf.layers.') ?? false)
    );
  }

  private inputShapeOf(call: Node): readonly (number | null)[] | undefined {
    const entries = this.scope.values.entries(argumentsOf(call)[0] ?? call);
    const shape = entries?.entries.get('inputShape') ?? entries?.entries.get('batchInputShape');
    const array = shape && unwrap(shape.value);
    if (array?.type !== 'array') {
      return undefined;
    }
    // Dims may be null (unknown), which the generic folder does not allow in lists.
    const dims: (number | null)[] = [];
    for (const element of childrenOf(array)) {
      const value = this.scope.values.evaluate(element)?.value;
      if (typeof value !== 'number' && value !== null) {
        return undefined;
      }
      dims.push(value);
    }
    return entries?.entries.has('inputShape') ? dims : dims.slice(1);
  }

  private receiverOf(add: Node): string {
    const callee = add.childForFieldName('function');
    const object = callee?.childForFieldName('object');
    return object ? this.scope.read(object) : '';
  }
}

/** The call when `node` is `something.add(…)`. */
function addCall(node: Node | null): Node | undefined {
  const callee = node?.type === 'call_expression' ? node.childForFieldName('function') : null;
  const property =
    callee?.type === 'member_expression' ? callee.childForFieldName('property') : null;
  return property?.text === 'add' && node ? node : undefined;
}

/** Factories whose `useBias` defaults to true and that have output channels. */
const BIASED =
  /^(conv[123]d|conv2dTranspose|conv3dTranspose|depthwiseConv2d|separableConv2d|dense)$/;

/** What a `tf.layers.x({...})` call says about its output. */
function layerInfo(call: Node, scope: SourceScope): ProducerLayer {
  const callee = call.childForFieldName('function');
  const path = callee ? (scope.names.resolve(callee, scope.read) ?? '') : '';
  const layer = path.replace(/^tf\.layers\./, '');
  const entries = scope.values.entries(argumentsOf(call)[0] ?? call)?.entries;
  const read = (key: string): unknown => {
    const entry = entries?.get(key);
    return entry ? scope.values.evaluate(entry.value)?.value : undefined;
  };
  const channels = read('filters') ?? read('units');
  // tfjs defaults useBias to true; an opaque config could turn it off, so then it stays unknown.
  const useBias =
    read('useBias') ??
    (BIASED.test(layer) && entries && !entries.has('useBias') ? true : undefined);
  const kernelSize = read('kernelSize');
  const dataFormat = read('dataFormat');
  const name = read('name');
  return {
    layer,
    range: rangeOf(call),
    ...(typeof name === 'string' ? { name } : {}),
    ...(typeof channels === 'number' ? { outputChannels: channels } : {}),
    ...(typeof useBias === 'boolean' ? { useBias } : {}),
    ...(typeof kernelSize === 'number' || Array.isArray(kernelSize)
      ? { kernelSize: kernelSize as number | readonly number[] }
      : {}),
    ...(typeof dataFormat === 'string' ? { dataFormat } : {}),
  };
}

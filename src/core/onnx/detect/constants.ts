/**
 * Small constants (epsilons, exponents, axes, reshape targets, group-norm ones/zeros) read before
 * pattern matching, so the matchers can stay synchronous. Weights are never read here.
 */
import { OnnxFormatError } from '../errors';
import { graphsBelow, GraphIndex, type ConstantRef } from '../graph-index';
import { readConstant } from '../lookup';
import { bytesPerElement } from '../tensor-layout';
import type { OnnxGraph, OnnxModel, OnnxTensor } from '../types';

/** Constants with at most this many elements are read for matching. */
export const SMALL_CONSTANT = 256;

/**
 * Ops whose constant operands the matchers look at (eps, exponents, axes, reshape targets, the
 * GroupNorm InstanceNormalization's ones and zeros). Weights of Conv or BatchNormalization are
 * never needed to list a model.
 */
const MATCHED_OPS = new Set([
  'Add',
  'Sub',
  'Mul',
  'Div',
  'Pow',
  'ReduceMean',
  'Reshape',
  'InstanceNormalization',
]);

/** Values of the small numeric constants of a model, keyed by tensor handle. */
export class ConstantTable {
  private constructor(private readonly values: ReadonlyMap<OnnxTensor, Float32Array>) {}

  /** Reads the small numeric constants (initializers or Constant nodes) the matchers inspect. */
  static async load(
    model: OnnxModel,
    indexes: ReadonlyMap<OnnxGraph, GraphIndex>,
  ): Promise<ConstantTable> {
    const values = new Map<OnnxTensor, Float32Array>();
    const wanted = new Set<OnnxTensor>();
    for (const [graph, index] of indexes) {
      for (const node of graph.nodes) {
        if (!MATCHED_OPS.has(node.opType)) {
          continue;
        }
        for (const input of node.inputs) {
          const constant = index.constant(input);
          if (constant?.type === 'tensor') {
            wanted.add(constant.tensor);
          }
        }
      }
    }
    for (const tensor of wanted) {
      if (tensor.size <= SMALL_CONSTANT && bytesPerElement(tensor.dataType) !== undefined) {
        try {
          values.set(
            tensor,
            await readConstant(model, { type: 'tensor', tensor, node: undefined }),
          );
        } catch (error) {
          // An unreadable constant (e.g. external data without a resolver) leaves its parameter
          // 'unknown' in the inventory; any other failure is a bug and propagates.
          if (!(error instanceof OnnxFormatError)) {
            throw error;
          }
        }
      }
    }
    return new ConstantTable(values);
  }

  /** The values of `name` as seen from `index`, when it is a small constant. */
  valuesOf(index: GraphIndex, name: string | undefined): readonly number[] | undefined {
    const ref = index.constant(name);
    return ref === undefined ? undefined : this.valuesOfRef(ref);
  }

  /** The values behind a constant reference, when small enough to have been read. */
  valuesOfRef(ref: ConstantRef): readonly number[] | undefined {
    if (ref.type === 'inline') {
      return ref.values;
    }
    const values = this.values.get(ref.tensor);
    return values && Array.from(values);
  }
}

/** All graphs of a model: main graph, subgraphs, function bodies (and their subgraphs). */
export function allGraphs(model: OnnxModel): OnnxGraph[] {
  return [...graphsBelow(model.graph), ...model.functions.flatMap((f) => [...graphsBelow(f.body)])];
}

/** Builds a {@link GraphIndex} per graph, each linked to its parent's index. */
export function indexGraphs(graphs: readonly OnnxGraph[]): Map<OnnxGraph, GraphIndex> {
  const indexes = new Map<OnnxGraph, GraphIndex>();
  // graphsBelow yields parents before children, so the parent index always exists.
  for (const graph of graphs) {
    indexes.set(graph, new GraphIndex(graph, graph.parent && indexes.get(graph.parent)));
  }
  return indexes;
}

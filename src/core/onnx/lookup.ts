/**
 * Finding a named tensor anywhere in a model and reading its values.
 */
import { GraphIndex, graphsBelow, type ConstantRef } from './graph-index';
import { readTensorValues } from './tensor';
import type { OnnxGraph, OnnxModel } from './types';

/** The indexes of one model's graphs, in graph order and by graph path. */
interface ModelIndexes {
  readonly list: readonly GraphIndex[];
  readonly byPath: ReadonlyMap<string, GraphIndex>;
}

/**
 * The indexes of every graph of a model (main graph, subgraphs, function bodies), built once per
 * model: weight health looks up several tensors per layer, and a 10,000-node graph takes tens of
 * milliseconds to index (walking all graphs per lookup made weight health quadratic).
 */
const indexes = new WeakMap<OnnxModel, ModelIndexes>();

function modelIndexes(model: OnnxModel): ModelIndexes {
  let found = indexes.get(model);
  if (!found) {
    const graphs = [
      ...graphsBelow(model.graph),
      ...model.functions.flatMap((f) => [...graphsBelow(f.body)]),
    ];
    const byGraph = new Map<OnnxGraph, GraphIndex>();
    // graphsBelow yields parents first; the parent's index lets a subgraph see outer constants.
    for (const graph of graphs) {
      byGraph.set(graph, new GraphIndex(graph, graph.parent && byGraph.get(graph.parent)));
    }
    const list = [...byGraph.values()];
    const byPath = new Map<string, GraphIndex>();
    for (const index of list) {
      // Paths are unique in practice; should two collide, the first graph keeps the path.
      if (!byPath.has(index.graph.path)) {
        byPath.set(index.graph.path, index);
      }
    }
    found = { list, byPath };
    indexes.set(model, found);
  }
  return found;
}

/** The index of the graph at `path` (a site's `context.graph`), built once per model. */
export function graphIndexAt(model: OnnxModel, path: string): GraphIndex | undefined {
  return modelIndexes(model).byPath.get(path);
}

/** Finds the constant called `name` in the main graph, its subgraphs or the function bodies. */
export function findTensor(model: OnnxModel, name: string): ConstantRef | undefined {
  for (const index of modelIndexes(model).list) {
    const found = index.constant(name);
    if (found) {
      return found;
    }
  }
  return undefined;
}

/** Reads the values of a constant as float32. */
export async function readConstant(model: OnnxModel, constant: ConstantRef): Promise<Float32Array> {
  return constant.type === 'tensor'
    ? readTensorValues(model, constant.tensor)
    : Float32Array.from(constant.values);
}

/**
 * Reads the values of the initializer or Constant output called `name` as float32. Only that
 * tensor's bytes are read. Rejects when the model has no such constant.
 */
export async function readTensor(model: OnnxModel, name: string): Promise<Float32Array> {
  const found = findTensor(model, name);
  if (!found) {
    throw new Error(`The model has no tensor named '${name}'`);
  }
  return readConstant(model, found);
}

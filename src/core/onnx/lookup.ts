/**
 * Finding a named tensor anywhere in a model and reading its values.
 */
import { GraphIndex, graphsBelow, type ConstantRef } from './graph-index';
import { readTensorValues } from './tensor';
import type { OnnxModel } from './types';

/**
 * The indexes of every graph of a model (main graph, subgraphs, function bodies), built once per
 * model: weight health looks up several tensors per layer, and a 10,000-node graph takes tens of
 * milliseconds to index.
 */
const indexes = new WeakMap<OnnxModel, readonly GraphIndex[]>();

function graphIndexes(model: OnnxModel): readonly GraphIndex[] {
  let found = indexes.get(model);
  if (!found) {
    const graphs = [
      ...graphsBelow(model.graph),
      ...model.functions.flatMap((f) => [...graphsBelow(f.body)]),
    ];
    found = graphs.map((graph) => new GraphIndex(graph));
    indexes.set(model, found);
  }
  return found;
}

/** Finds the constant called `name` in the main graph, its subgraphs or the function bodies. */
export function findTensor(model: OnnxModel, name: string): ConstantRef | undefined {
  for (const index of graphIndexes(model)) {
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

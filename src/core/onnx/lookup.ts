/**
 * Finding a named tensor anywhere in a model and reading its values.
 */
import { GraphIndex, graphsBelow, type ConstantRef } from './graph-index';
import { readTensorValues } from './tensor';
import type { OnnxModel } from './types';

/** Finds the constant called `name` in the main graph, its subgraphs or the function bodies. */
export function findTensor(model: OnnxModel, name: string): ConstantRef | undefined {
  const graphs = [
    ...graphsBelow(model.graph),
    ...model.functions.flatMap((f) => [...graphsBelow(f.body)]),
  ];
  for (const graph of graphs) {
    const found = new GraphIndex(graph).constant(name);
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

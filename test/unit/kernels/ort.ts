// Runs one ONNX operator in onnxruntime-node (CPU, one intra-op thread) as the independent
// reference. Each model is built in memory with onnx-proto: the first input is a graph input,
// the others are initializers.

import { onnx } from 'onnx-proto';
import * as ort from 'onnxruntime-node';
import type { Tensor } from '../../../src/core/kernels/index';

/** An attribute value with its ONNX type. */
export type Attribute =
  { readonly f: number } | { readonly i: number } | { readonly ints: readonly number[] };

/** One operator call; `inputs` entries that are null become empty (omitted optional) inputs. */
export interface OperatorSpec {
  readonly opType: string;
  readonly opset: number;
  readonly domain?: string;
  readonly attributes?: Readonly<Record<string, Attribute>>;
  readonly inputs: readonly (Tensor | null)[];
  /** Number of outputs to request. */
  readonly outputs?: number;
}

function attribute(name: string, value: Attribute): onnx.IAttributeProto {
  if ('f' in value) {
    return { name, type: onnx.AttributeProto.AttributeType.FLOAT, f: value.f };
  }
  if ('i' in value) {
    return { name, type: onnx.AttributeProto.AttributeType.INT, i: value.i };
  }
  return { name, type: onnx.AttributeProto.AttributeType.INTS, ints: [...value.ints] };
}

function valueInfo(name: string, shape?: readonly number[]): onnx.IValueInfoProto {
  const dims = shape?.map((dimValue) => ({ dimValue }));
  return {
    name,
    type: {
      tensorType: {
        elemType: onnx.TensorProto.DataType.FLOAT,
        ...(dims ? { shape: { dim: dims } } : {}),
      },
    },
  };
}

/** The encoded single-node model. */
export function buildModel(spec: OperatorSpec): Uint8Array {
  const inputNames = spec.inputs.map((input, i) => (input ? `in${i}` : ''));
  const outputNames = Array.from({ length: spec.outputs ?? 1 }, (_, i) => `out${i}`);
  const [first] = spec.inputs;
  const initializers = spec.inputs.slice(1).flatMap((input, i) =>
    input
      ? [
          {
            name: `in${i + 1}`,
            dims: [...input.shape],
            dataType: onnx.TensorProto.DataType.FLOAT,
            rawData: new Uint8Array(
              input.data.buffer.slice(
                input.data.byteOffset,
                input.data.byteOffset + input.data.byteLength,
              ),
            ),
          },
        ]
      : [],
  );
  const model: onnx.IModelProto = {
    irVersion: 10,
    producerName: 'normlens-tests',
    opsetImport: [{ domain: spec.domain ?? '', version: spec.opset }],
    graph: {
      name: spec.opType,
      node: [
        {
          opType: spec.opType,
          domain: spec.domain ?? '',
          input: inputNames,
          output: outputNames,
          attribute: Object.entries(spec.attributes ?? {}).map(([name, value]) =>
            attribute(name, value),
          ),
        },
      ],
      initializer: initializers,
      input: [valueInfo('in0', first?.shape)],
      output: outputNames.map((name) => valueInfo(name)),
    },
  };
  return onnx.ModelProto.encode(model).finish();
}

/** Runs the operator and returns its outputs' data in order. */
export async function runOperator(spec: OperatorSpec): Promise<Float32Array[]> {
  const [first] = spec.inputs;
  if (!first) {
    throw new Error('The first input is required.');
  }
  const session = await ort.InferenceSession.create(buildModel(spec), {
    intraOpNumThreads: 1,
    interOpNumThreads: 1,
    graphOptimizationLevel: 'disabled',
    logSeverityLevel: 3,
  });
  try {
    const results = await session.run({
      in0: new ort.Tensor('float32', first.data, [...first.shape]),
    });
    return session.outputNames.map((name) => {
      const data = results[name]?.data;
      if (!(data instanceof Float32Array)) {
        throw new Error(`ORT output ${name} is not float32.`);
      }
      return data;
    });
  } finally {
    await session.release();
  }
}

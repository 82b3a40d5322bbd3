import assert from 'node:assert/strict';
import { onnx } from 'onnx-proto';
import { Writer } from 'protobufjs/minimal';
import { BufferByteSource } from '../../../src/core/bytes/byte-source';
import {
  detectNormSites,
  OnnxFormatError,
  readOnnxModel,
  readTensor,
  sniffOnnxHead,
} from '../../../src/core/onnx/index';
import { graph, modelBytes, tensor, type ModelSpec } from './builder';
import { rejectsFormat } from './helpers';

const read = (bytes: Uint8Array) => readOnnxModel(new BufferByteSource(bytes));

const SMALL: ModelSpec = {
  opset: 15,
  inputs: [{ name: 'x', shape: ['n', 4] }],
  nodes: [
    {
      op: 'BatchNormalization',
      inputs: ['x', 's', 'b', 'm', 'v'],
      outputs: ['y'],
      attrs: { epsilon: { f: 1e-5 } },
    },
  ],
  initializers: ['s', 'b', 'm', 'v'].map((n) => tensor(n, [4], [1, 2, 3, 4])),
};

/** A ModelProto whose graph field holds `graphBytes` verbatim. */
function withGraphBytes(graphBytes: Uint8Array): Uint8Array {
  return Writer.create()
    .uint32(0x08)
    .int64(8)
    .uint32((7 << 3) | 2)
    .bytes(graphBytes)
    .finish();
}

describe('onnx reader: bad input', () => {
  const notOnnx: readonly [string, Uint8Array, RegExp][] = [
    ['an empty file', new Uint8Array(0), /Not an ONNX model: the file is empty at offset 0x0$/],
    [
      'a PNG',
      new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
      /Not an ONNX model/,
    ],
    [
      'JSON text',
      new TextEncoder().encode('{"format": "layers-model"}'),
      /Not an ONNX model: unexpected field 15 with wire type 3/,
    ],
    ['Python source', new TextEncoder().encode('import torch\n'), /Not an ONNX model/],
    ['a zero ir_version', new Uint8Array([0x08, 0x00, 0x3a, 0x00]), /implausible ir_version 0/],
  ];
  for (const [name, bytes, pattern] of notOnnx) {
    it(`rejects ${name} while sniffing`, async () => {
      await rejectsFormat(read(bytes), pattern);
    });
  }

  it('sniffs at most 256 bytes and has no side effects', async () => {
    const bytes = modelBytes(SMALL);
    const reads: [number, number][] = [];
    const source = {
      size: bytes.length,
      read: (o: number, l: number) => (
        reads.push([o, l]),
        Promise.resolve(bytes.subarray(o, o + l))
      ),
    };
    await readOnnxModel(source);
    assert.deepEqual(reads[0], [0, Math.min(256, bytes.length)]);
    assert.doesNotThrow(() => sniffOnnxHead(bytes.subarray(0, 256), bytes.length));
    assert.doesNotThrow(
      () => sniffOnnxHead(bytes.subarray(0, 256), bytes.length),
      'sniffing twice gives the same answer',
    );
  });

  it('rejects every truncation of a model with a typed error, never a crash or a partial model', async () => {
    const bytes = modelBytes(SMALL);
    for (let cut = 1; cut < bytes.length; cut++) {
      const prefix = bytes.subarray(0, cut);
      try {
        const model = await read(prefix);
        // Cutting exactly between top-level fields leaves a shorter valid message; it must then be complete.
        assert.equal(model.graph.nodes.length, 1, `cut ${cut}`);
        assert.equal(model.graph.initializers.size, 4, `cut ${cut}`);
      } catch (error) {
        assert.ok(error instanceof OnnxFormatError, `cut ${cut}: ${String(error)}`);
        assert.ok(error.offset >= 0 && error.offset <= cut, `cut ${cut}: offset ${error.offset}`);
      }
    }
  });

  it('reports a wrong wire type deep in the graph with its offset', async () => {
    // Node field 1 (input) with wire type 6, which protobuf does not define.
    const node = Writer.create()
      .uint32((1 << 3) | 6)
      .finish();
    const graphBytes = Writer.create()
      .uint32((1 << 3) | 2)
      .bytes(node)
      .finish();
    const error = await rejectsFormat(
      read(withGraphBytes(graphBytes)),
      /Not an ONNX model: unexpected wire type 6 in NodeProto/,
    );
    assert.equal(error.offset, 6);
  });

  it('rejects a string field sent as a varint', async () => {
    const node = Writer.create()
      .uint32((4 << 3) | 0)
      .uint32(5)
      .finish();
    const graphBytes = Writer.create()
      .uint32((1 << 3) | 2)
      .bytes(node)
      .finish();
    await rejectsFormat(read(withGraphBytes(graphBytes)), /NodeProto field 4 has wire type 0/);
  });

  it('rejects a length past the end of the file', async () => {
    const bytes = Writer.create()
      .uint32(0x08)
      .int64(8)
      .uint32((7 << 3) | 2)
      .uint32(1000)
      .finish();
    await rejectsFormat(
      read(new Uint8Array([...bytes, 1, 2, 3])),
      /claims 1000 bytes|Not an ONNX model/,
    );
    const inner = Writer.create()
      .uint32((1 << 3) | 2)
      .uint32(500)
      .finish();
    await rejectsFormat(read(withGraphBytes(inner)), /GraphProto field claims 500 bytes, 0 remain/);
  });

  it('rejects absurd and negative dims and raw_data of the wrong length', async () => {
    const absurd = modelBytes({
      opset: 13,
      nodes: [],
      initializers: [{ name: 'w', dims: [1e9, 1e9], dataType: 1 }],
    });
    await rejectsFormat(read(absurd), /tensor 'w' claims 1000000000000000000 elements/);
    const negative = modelBytes({
      opset: 13,
      nodes: [],
      initializers: [{ name: 'w', dims: [-3], dataType: 1 }],
    });
    await rejectsFormat(read(negative), /tensor 'w' has dim -3/);
    const short = modelBytes({
      opset: 13,
      nodes: [],
      initializers: [{ ...tensor('w', [2], [1, 2]), dims: [3] }],
    });
    await rejectsFormat(read(short), /tensor 'w' has 8 bytes of raw_data, its dims need 12/);
  });

  it('rejects subgraphs nested beyond the depth limit, and reads moderately deep ones', async () => {
    const nest = (levels: number): onnx.IGraphProto => {
      let g = graph({ nodes: [{ op: 'Identity', inputs: ['x'], outputs: ['y'] }] });
      for (let k = 0; k < levels; k++) {
        g = graph({
          nodes: [{ op: 'If', inputs: ['c'], outputs: ['y'], attrs: { then_branch: { g } } }],
        });
      }
      return g;
    };
    const encode = (g: onnx.IGraphProto) =>
      onnx.ModelProto.encode({ irVersion: 8, opsetImport: [{ version: 13 }], graph: g }).finish();
    await rejectsFormat(read(encode(nest(40))), /nested deeper than 100 levels/);
    const fine = await read(encode(nest(10)));
    assert.equal(fine.graph.nodes[0]?.opType, 'If');
  });

  it('rejects a model without a graph', async () => {
    await rejectsFormat(read(Writer.create().uint32(0x08).int64(8).finish()), /no graph/);
  });

  it('rejects external data without a resolver, and typed-field tensors with too few values', async () => {
    const model = await read(
      modelBytes({
        opset: 13,
        nodes: [],
        initializers: [
          {
            name: 'ext',
            dims: [2],
            dataType: 1,
            dataLocation: 1,
            externalData: [{ key: 'location', value: 'w.bin' }],
          },
          { name: 'few', dims: [3], dataType: 1, floatData: [1, 2] },
        ],
      }),
    );
    await rejectsFormat(readTensor(model, 'ext'), /external data 'w.bin' needs a resolver/);
    await rejectsFormat(readTensor(model, 'few'), /stores 2 values, its dims need 3/);
  });

  it('honours an aborted signal', async () => {
    await assert.rejects(
      readOnnxModel(new BufferByteSource(modelBytes(SMALL)), { signal: { aborted: true } }),
      /cancelled/,
    );
  });
});

describe('onnx detection: malformed graphs', () => {
  it('terminates on cyclic graphs (Cast loops, an Add fed by its own Sqrt)', async () => {
    const model = await readOnnxModel(
      new BufferByteSource(
        modelBytes({
          opset: 13,
          nodes: [
            { op: 'Cast', name: 'c1', inputs: ['b'], outputs: ['a'] },
            { op: 'Cast', name: 'c2', inputs: ['a'], outputs: ['b'] },
            { op: 'ReduceMean', name: 'rm', inputs: ['a'], outputs: ['m'] },
            { op: 'Add', name: 'add', inputs: ['m', 'eps'], outputs: ['s'] },
            { op: 'Sqrt', name: 'sqrt', inputs: ['s'], outputs: ['b2'] },
            { op: 'Div', name: 'div', inputs: ['b2', 'b2'], outputs: ['y'] },
            { op: 'Mul', name: 'sq', inputs: ['y', 'y'], outputs: ['y2'] },
          ],
          initializers: [tensor('eps', [], [1e-5])],
        }),
      ),
    );
    assert.deepEqual(await detectNormSites(model), []);
  });
});

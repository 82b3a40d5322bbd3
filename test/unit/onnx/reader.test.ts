import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { onnx } from 'onnx-proto';
import { BufferByteSource } from '../../../src/core/bytes/byte-source';
import { DataType, readOnnxModel, readTensor } from '../../../src/core/onnx/index';
import { AttributeType } from '../../../src/core/onnx/types';
import { constant, FLOAT16, graph, INT64, modelBytes, tensor, typedTensor } from './builder';
import { FIXTURES, readSpec, RecordingSource } from './helpers';

describe('onnx reader: structure', () => {
  it('reads opsets per domain, nodes, attributes and value shapes', async () => {
    const model = await readSpec({
      opset: { '': 15, 'ai.onnx': 15, 'com.microsoft': 1 },
      inputs: [{ name: 'x', shape: ['batch', 3, 224, 224] }],
      outputs: [{ name: 'y', elemType: DataType.float16, shape: ['batch', 3, 224, 224] }],
      valueInfo: [{ name: 'mid', shape: [1, 'seq'] }],
      nodes: [
        {
          op: 'Custom',
          name: 'n1',
          domain: 'com.microsoft',
          inputs: ['x', ''],
          outputs: ['y'],
          attrs: {
            eps: { f: 0.5 },
            count: { i: -3 },
            axes: { ints: [0, -1] },
            mode: { s: 'constant' },
            scales: { floats: [0.25, 2] },
          },
        },
      ],
    });
    assert.deepEqual(
      [...model.opsetImports],
      [
        ['', 15],
        ['com.microsoft', 1],
      ],
    );
    assert.equal(model.producerName, 'normlens-test');
    assert.equal(model.irVersion, 8);
    const node = model.graph.nodes[0];
    assert.ok(node);
    assert.equal(node.domain, 'com.microsoft');
    assert.deepEqual(node.inputs, ['x', '']);
    const attr = (name: string) => node.attributes.get(name);
    assert.equal(attr('eps')?.f, 0.5);
    assert.equal(attr('eps')?.type, AttributeType.float);
    assert.equal(attr('count')?.i, -3);
    assert.deepEqual(attr('axes')?.ints, [0, -1]);
    assert.equal(attr('mode')?.s, 'constant');
    assert.deepEqual(attr('scales')?.floats, [0.25, 2]);
    assert.deepEqual(model.graph.inputs[0]?.shape, ['batch', 3, 224, 224]);
    assert.equal(model.graph.outputs[0]?.elemType, DataType.float16);
    assert.deepEqual(model.graph.valueInfo.get('mid')?.shape, [1, 'seq']);
  });

  it('names unnamed nodes by op type and index', async () => {
    const bytes = onnx.ModelProto.encode({
      irVersion: 7,
      opsetImport: [{ domain: '', version: 11 }],
      graph: { node: [{ opType: 'Relu', input: ['x'], output: ['y'] }] },
    }).finish();
    const model = await readOnnxModel(new BufferByteSource(bytes));
    assert.equal(model.graph.nodes[0]?.id, 'Relu#0');
    assert.equal(model.graph.nodes[0]?.name, '');
  });

  it('records the exact position of raw_data and reads values on demand', async () => {
    const values = [1.5, -2, 3.25, 0];
    const bytes = modelBytes({ opset: 13, nodes: [], initializers: [tensor('w', [2, 2], values)] });
    const model = await readOnnxModel(new BufferByteSource(bytes));
    const w = model.graph.initializers.get('w');
    assert.ok(w?.data.type === 'raw');
    assert.deepEqual(w.dims, [2, 2]);
    assert.equal(w.size, 4);
    const expected = new Uint8Array(new Float32Array(values).buffer);
    assert.deepEqual(
      [...bytes.subarray(w.data.offset, w.data.offset + w.data.length)],
      [...expected],
    );
    assert.deepEqual([...(await readTensor(model, 'w'))], values);
  });

  it('decodes float_data, fp16 and int64 tensors and Constant node values', async () => {
    const model = await readSpec({
      opset: 13,
      nodes: [constant('c', [2], [0.5, 4])],
      initializers: [
        typedTensor('typed', [3], [1, 2, 3]),
        tensor('half', [3], [1, 0.5, 65504], FLOAT16),
        tensor('long', [2], [-7, 9], INT64),
      ],
    });
    assert.deepEqual([...(await readTensor(model, 'typed'))], [1, 2, 3]);
    assert.deepEqual([...(await readTensor(model, 'half'))], [1, 0.5, 65504]);
    assert.deepEqual([...(await readTensor(model, 'long'))], [-7, 9]);
    assert.deepEqual([...(await readTensor(model, 'c'))], [0.5, 4]);
    await assert.rejects(readTensor(model, 'missing'), /no tensor named 'missing'/);
  });

  it('reads If subgraphs (with outer-scope parent) and model-local functions', async () => {
    const thenBranch = graph({
      nodes: [{ op: 'Identity', inputs: ['x'], outputs: ['t'] }],
      outputs: [{ name: 't' }],
    });
    const bytes = onnx.ModelProto.encode({
      irVersion: 8,
      opsetImport: [
        { domain: '', version: 18 },
        { domain: 'custom', version: 1 },
      ],
      graph: graph({
        nodes: [
          {
            op: 'If',
            name: 'cond',
            inputs: ['c'],
            outputs: ['y'],
            attrs: { then_branch: { g: thenBranch }, else_branch: { g: thenBranch } },
          },
        ],
      }),
      functions: [
        {
          name: 'MyNorm',
          domain: 'custom',
          input: ['X'],
          output: ['Y'],
          attribute: ['eps'],
          opsetImport: [{ domain: '', version: 18 }],
          node: [{ opType: 'ReduceMean', input: ['X'], output: ['Y'] }],
        },
      ],
    }).finish();
    const model = await readOnnxModel(new BufferByteSource(bytes));
    const sub = model.graph.nodes[0]?.attributes.get('then_branch')?.g;
    assert.ok(sub);
    assert.equal(sub.path, 'main/cond.then_branch');
    assert.equal(sub.parent, model.graph);
    assert.equal(sub.nodes[0]?.opType, 'Identity');
    const fn = model.functions[0];
    assert.ok(fn);
    assert.equal(`${fn.domain}.${fn.name}`, 'custom.MyNorm');
    assert.deepEqual(fn.attributes, ['eps']);
    assert.equal(fn.opsetImports.get(''), 18);
    assert.equal(fn.body.nodes[0]?.opType, 'ReduceMean');
  });

  it('matches onnx-proto on every exported fixture', async () => {
    const folder = path.join(FIXTURES, 'exported');
    for (const file of [
      'conv_bn_folded_op13.onnx',
      'layernorm_op13.onnx',
      'groupnorm2_op13.onnx',
      'lrn5_op13.onnx',
    ]) {
      const bytes = readFileSync(path.join(folder, file));
      const reference = onnx.ModelProto.decode(bytes);
      const model = await readOnnxModel(new BufferByteSource(bytes));
      assert.deepEqual(
        model.graph.nodes.map((n) => [n.name, n.opType, n.inputs, n.outputs]),
        reference.graph?.node?.map((n) => [n.name, n.opType, n.input, n.output]),
        file,
      );
      for (const init of reference.graph?.initializer ?? []) {
        const raw = init.rawData ?? new Uint8Array();
        const expected = new Float32Array(
          raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength),
        );
        assert.deepEqual(
          await readTensor(model, init.name ?? ''),
          expected,
          `${file}: ${init.name}`,
        );
      }
    }
  });
});

describe('onnx reader: laziness', () => {
  it('never reads weight payloads during the structure pass', async () => {
    const big = new Array<number>(256 * 1024).fill(0.5);
    const bytes = modelBytes({
      opset: 15,
      nodes: [{ op: 'BatchNormalization', inputs: ['x', 'a', 'b', 'c', 'd'], outputs: ['y'] }],
      initializers: ['a', 'b', 'c', 'd'].map((name) => tensor(name, [big.length], big)),
    });
    const source = new RecordingSource(bytes);
    const model = await readOnnxModel(source);
    assert.equal(model.graph.initializers.size, 4);
    // Four 1 MiB payloads are skipped: only headers and small read-aheads are read.
    assert.ok(source.total < 200 * 1024, `read ${source.total} of ${bytes.length} bytes`);
    for (const init of model.graph.initializers.values()) {
      assert.ok(init.data.type === 'raw');
      const middle = init.data.offset + init.data.length / 2;
      assert.ok(
        !source.reads.some(([o, l]) => o <= middle && middle < o + l),
        `payload of ${init.name} was read`,
      );
    }
    source.reads.length = 0;
    const values = await readTensor(model, 'c');
    assert.equal(values.length, big.length);
    assert.equal(source.total, big.length * 4, 'reading one tensor reads exactly its bytes');
  });
});

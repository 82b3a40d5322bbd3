import assert from 'node:assert/strict';
import {
  detectNormSites,
  OnnxReadAbortedError,
  readOnnxModel,
  weightHealth,
  weightHealthOfSites,
  type OnnxModel,
  type OnnxNormSite,
  type SiteHealth,
} from '../../../src/core/onnx/index';
import { readTensorsBatched } from '../../../src/core/onnx/tensor-batch';
import {
  constant,
  externalTensor,
  FLOAT16,
  modelBytes,
  tensor,
  typedTensor,
  type NodeSpec,
} from './builder';
import { RecordingSource } from './helpers';
import type { onnx } from 'onnx-proto';

const LAYERS = 40;

/** Per-layer statistics that differ by layer, with a few broken ones to find. */
function stats(k: number): { scale: number[]; mean: number[]; variance: number[] } {
  return {
    scale: [1 + k, k % 5 === 0 ? 0 : 0.5, 2, -1],
    mean: [k / 10, 0, -k, 1],
    variance: k % 7 === 0 ? [1, -1, Number.NaN, 2] : [k + 1, 1e-9, 3, 4],
  };
}

/**
 * A chain of BatchNormalization layers whose tensors are stored every way the reader knows:
 * raw float32, raw float16, typed float_data, a Constant node, and (when asked) external data.
 */
function chain(layers: number, external = false): Uint8Array {
  const nodes: NodeSpec[] = [];
  const initializers: onnx.ITensorProto[] = [];
  let input = 'x';
  for (let k = 0; k < layers; k++) {
    const p = `bn${k}`;
    const { scale, mean, variance } = stats(k);
    const names = [`${p}.g`, `${p}.b`, `${p}.m`, `${p}.v`];
    nodes.push({
      op: 'BatchNormalization',
      name: p,
      inputs: [input, ...names],
      outputs: [`${p}.y`],
      attrs: { epsilon: { f: 1e-5 * (1 + (k % 3)) } },
    });
    initializers.push(tensor(names[0] ?? '', [4], scale, k % 4 === 1 ? FLOAT16 : undefined));
    if (k % 4 === 2) {
      initializers.push(typedTensor(names[1] ?? '', [4], [0.1, 0.2, 0.3, k]));
    } else {
      nodes.push(constant(names[1] ?? '', [4], [0, 0, 0, k]));
    }
    initializers.push(tensor(names[2] ?? '', [4], mean));
    initializers.push(
      external && k === 3
        ? externalTensor(names[3] ?? '', [4], 'missing.bin', 0, 16)
        : tensor(names[3] ?? '', [4], variance),
    );
    input = `${p}.y`;
  }
  return modelBytes({ opset: 15, nodes, initializers });
}

async function open(bytes: Uint8Array): Promise<{
  model: OnnxModel;
  sites: OnnxNormSite[];
  source: RecordingSource;
}> {
  const source = new RecordingSource(bytes);
  const model = await readOnnxModel(source);
  const sites = await detectNormSites(model);
  source.reads.length = 0;
  return { model, sites, source };
}

async function collect(stream: AsyncIterable<SiteHealth>): Promise<SiteHealth[]> {
  const results: SiteHealth[] = [];
  for await (const result of stream) {
    results.push(result);
  }
  return results;
}

describe('onnx weight health pass', () => {
  it('gives, site by site and in order, what weightHealth gives for each site', async () => {
    const { model, sites } = await open(chain(LAYERS));
    assert.equal(sites.length, LAYERS);
    const results = await collect(weightHealthOfSites(model, sites, { batchSize: 7, bins: 8 }));
    assert.deepEqual(
      results.map((r) => r.index),
      sites.map((_, k) => k),
    );
    for (const result of results) {
      assert.ok('health' in result, `site ${result.index} was read`);
      assert.equal(result.site, sites[result.index]);
      assert.deepEqual(result.health, await weightHealth(model, result.site, { bins: 8 }));
    }
    // The broken layers are found: 0, 7, 14, … have a negative and a NaN running_var.
    const invalid = results.flatMap((r) =>
      'health' in r && r.health.issues.some((i) => i.kind === 'running-var-invalid')
        ? [r.index]
        : [],
    );
    assert.deepEqual(invalid, [0, 7, 14, 21, 28, 35]);
  });

  it('reads neighbouring tensors together instead of one read per tensor', async () => {
    const { model, sites, source } = await open(chain(LAYERS));
    await collect(weightHealthOfSites(model, sites));
    const tensors = sites.length * 3; // γ, running mean and running var are initializers.
    assert.ok(
      source.reads.length <= 12,
      `${source.reads.length} reads for ${tensors} tensors (typed β are read one by one)`,
    );
  });

  it('reports a site whose weights cannot be read and goes on with the others', async () => {
    const { model, sites } = await open(chain(8, true));
    const results = await collect(weightHealthOfSites(model, sites, { batchSize: 3 }));
    const failed = results.flatMap((r) => ('error' in r ? [r.index] : []));
    assert.deepEqual(failed, [3]);
    const error = results[3] && 'error' in results[3] ? results[3].error : undefined;
    await assert.rejects(weightHealth(model, sites[3]!), (expected: Error) => {
      assert.equal(String(error), String(expected), 'the same error as weightHealth');
      return true;
    });
    assert.ok(results.filter((r) => 'health' in r).length === 7);
  });

  it('stops between batches when the signal fires', async () => {
    const { model, sites } = await open(chain(LAYERS));
    const signal = { aborted: false };
    const seen: number[] = [];
    await assert.rejects(
      (async () => {
        for await (const result of weightHealthOfSites(model, sites, { signal, batchSize: 4 })) {
          seen.push(result.index);
          signal.aborted = true;
        }
      })(),
      OnnxReadAbortedError,
    );
    assert.ok(seen.length > 0 && seen.length < sites.length, `${seen.length} results before`);
  });

  it('reads tensors far apart separately, each without the gap', async () => {
    const far = new Array<number>(40 * 1024).fill(0.25);
    const bytes = modelBytes({
      opset: 15,
      nodes: [],
      initializers: [
        tensor('a', [2], [1, 2]),
        tensor('filler', [far.length], far),
        tensor('b', [3], [3, 4, 5]),
      ],
    });
    const { model, source } = await open(bytes);
    const [a, b] = ['a', 'b'].map((name) => model.graph.initializers.get(name)!);
    const read = await readTensorsBatched(model, [b!, a!]);
    assert.deepEqual(read.get(a!), { ok: true, values: Float32Array.from([1, 2]) });
    assert.deepEqual(read.get(b!), { ok: true, values: Float32Array.from([3, 4, 5]) });
    assert.equal(source.reads.length, 2, 'a 160 KB gap is not read');
    assert.ok(source.total < 64, `${source.total} bytes read`);
  });
});

/**
 * Valid inputs the fuzzer starts from: ONNX models from the test builder (the committed fixtures
 * plus typed-data, subgraph and decomposed variants), the tfjs model.json fixtures with shards
 * laid out from their manifests, and Python/TypeScript sources touching every extractor path.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fixtureModels } from '../unit/onnx/fixture-models';
import { graph, modelBytes, tensor, typedTensor, type NodeSpec } from '../unit/onnx/builder';
import { batchNorm, layerNormMoments, layerNormPow, modelOf } from '../unit/onnx/patterns';
import type { TfjsInput } from './mutate-model-json';
import { Prng } from './prng';

const FIXTURES = path.join(__dirname, '../fixtures');

/** The external-data file the `external_data.onnx` seed names (four float32 ones). */
export const EXTERNAL_FILES: ReadonlyMap<string, Uint8Array> = new Map([
  ['external_data.bin', new Uint8Array(new Float32Array([1, 1, 1, 1]).buffer)],
]);

const ones = (n: number) => new Array<number>(n).fill(1);

/** A BatchNormalization whose tensors are stored in float_data, not raw_data. */
function typedBatchNorm(): Uint8Array {
  const bn = batchNorm('x', 'y', 8);
  return modelBytes({
    ...modelOf(15, ...bn.nodes),
    initializers: [
      typedTensor('bn.weight', [8], ones(8)),
      typedTensor('bn.bias', [8], ones(8)),
      typedTensor('bn.running_mean', [8], ones(8)),
      typedTensor('bn.running_var', [8], [1, 2, 3, 4, 5, 6, 7, 0]),
    ],
  });
}

/** BatchNorm inside an If's then-branch, with its weights in the outer graph. */
function subgraphBatchNorm(): Uint8Array {
  const bn = batchNorm('x', 'y_then', 8);
  const then = graph({ nodes: bn.nodes, outputs: [{ name: 'y_then' }], name: 'then' });
  const node: NodeSpec = {
    op: 'If',
    name: 'if',
    inputs: ['cond'],
    outputs: ['y'],
    attrs: { then_branch: { g: then } },
  };
  return modelBytes({ ...modelOf(15, node), initializers: bn.initializers });
}

/** InstanceNormalization, LRN and LayerNormalization side by side. */
function otherNorms(): Uint8Array {
  return modelBytes({
    ...modelOf(
      17,
      { op: 'InstanceNormalization', name: 'in', inputs: ['x', 's', 'b'], outputs: ['a'] },
      { op: 'LRN', name: 'lrn', inputs: ['a'], outputs: ['c'], attrs: { size: { i: 4 } } },
      {
        op: 'LayerNormalization',
        name: 'ln',
        inputs: ['c', 's', 'b'],
        outputs: ['y'],
        attrs: { epsilon: { f: 0 }, axis: { i: -1 } },
      },
    ),
    initializers: [tensor('s', [8], ones(8)), tensor('b', [8], ones(8))],
  });
}

/** Valid ONNX models to mutate. */
export function onnxSeeds(): Uint8Array[] {
  return [
    ...fixtureModels().values(),
    typedBatchNorm(),
    subgraphBatchNorm(),
    otherNorms(),
    modelBytes(modelOf(13, layerNormPow('x', 'y', 1e-5))),
    modelBytes(modelOf(13, layerNormMoments('x', 'y', 1e-5))),
  ];
}

const DTYPE_BYTES: Readonly<Record<string, number>> = {
  float32: 4,
  int32: 4,
  uint8: 1,
  uint16: 2,
  float16: 2,
};

/** Shards for a model.json, laid out from its manifest and filled with seeded bytes. */
function shardsFor(modelJson: string): Record<string, Uint8Array> {
  const manifest = (JSON.parse(modelJson) as { weightsManifest?: unknown }).weightsManifest;
  const shards: Record<string, Uint8Array> = {};
  const random = new Prng(7);
  for (const group of Array.isArray(manifest) ? manifest : []) {
    const { paths = [], weights = [] } = group as {
      paths?: string[];
      weights?: { shape?: number[]; dtype?: string; quantization?: { dtype?: string } }[];
    };
    const total = weights.reduce((sum, w) => {
      const count = (w.shape ?? []).reduce((a, b) => a * b, 1);
      return sum + count * (DTYPE_BYTES[w.quantization?.dtype ?? w.dtype ?? 'float32'] ?? 0);
    }, 0);
    const per = Math.ceil(total / Math.max(1, paths.length));
    paths.forEach((p) => (shards[p] = random.bytes(per)));
  }
  return shards;
}

/** The committed model.json fixtures with their (generated) shards. */
export function tfjsSeeds(): TfjsInput[] {
  const files = [
    ...readdirSync(path.join(FIXTURES, 'tfjs'))
      .filter((f) => f.endsWith('.model.json'))
      .map((f) => path.join(FIXTURES, 'tfjs', f)),
    path.join(FIXTURES, 'tfjs/real/human-emotion.model.json'),
  ];
  return files.map((file) => {
    const modelJson = readFileSync(file, 'utf8');
    return { modelJson, shards: shardsFor(modelJson) };
  });
}

const PYTHON_SEED = `import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader

EPS = 1e-5
C = 2 * 32

class Block(nn.Module):
    def __init__(self, c=C):
        super().__init__()
        self.conv = nn.Conv2d(3, c, 3, bias=True)
        self.bn = nn.BatchNorm2d(c, eps=EPS, momentum=0.9)
        self.ln = nn.LayerNorm([c, 8], elementwise_affine=False)
        self.gn = nn.GroupNorm(num_groups=3, num_channels=c)
        self.rms = nn.RMSNorm(c)
        self.lrn = nn.LocalResponseNorm(4)
        self.seq = nn.Sequential(nn.Dropout(0.5), nn.BatchNorm1d(16), nn.LSTM(16, 16))

    def forward(self, x):
        x = F.batch_norm(x, None, None, training=True)
        return F.layer_norm(self.bn(self.conv(x)), (C,), eps=0)

model = nn.SyncBatchNorm.convert_sync_batchnorm(Block())
model.eval()
loader = DataLoader(ds, batch_size=2, shuffle=True)
val = DataLoader(ds, batch_size=len(ds) // 8)  # normlens-disable-line bn-small-batch
`;

const SCRIPT_SEED = `import * as tf from '@tensorflow/tfjs';

const EPS: number = 1e-3;
const model = tf.sequential();
model.add(tf.layers.conv2d({ inputShape: [28, 28, 1], filters: 16, kernelSize: 3, useBias: true }));
model.add(tf.layers.batchNormalization({ momentum: 0.1, epsilon: EPS, axis: 1 }));
model.add(tf.layers.layerNormalization({ axis: [-1], epsilon: 0 }));
const y = tf.batchNorm(x, mean, variance, offset, scale, 0);
const { mean: m, variance: v } = tf.moments(x, [0, 1, 2]);
const lrn = tf.localResponseNormalization(x, 2, 1, 1, 0.5);
export async function train(xs: tf.Tensor, ys: tf.Tensor) {
  await model.fit(xs, ys, { batchSize: 2, epochs: 1 });
}
`;

/** Python sources to mutate. */
export function pythonSeeds(): string[] {
  const workspace = path.join(FIXTURES, 'workspace');
  return [
    PYTHON_SEED,
    ...['train.py', 'small_batch.py'].map((f) => readFileSync(path.join(workspace, f), 'utf8')),
  ];
}

/** TypeScript/JavaScript sources to mutate. */
export function scriptSeeds(): string[] {
  return [SCRIPT_SEED, readFileSync(path.join(FIXTURES, 'workspace/tfjs_model.js'), 'utf8')];
}

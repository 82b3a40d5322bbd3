import assert from 'node:assert/strict';
import { extract } from './parse';

const NS = "import * as tf from '@tensorflow/tfjs';";

interface ProducerCase {
  readonly name: string;
  readonly code: string;
  /** Expected producer fields of the first site (undefined: no producer). */
  readonly producer: Readonly<Record<string, unknown>> | undefined;
  readonly inputShape?: readonly (number | null)[];
}

const producers: readonly ProducerCase[] = [
  {
    name: 'tf.sequential layers array',
    code: `const m = tf.sequential({layers: [
  tf.layers.conv2d({filters: 32, kernelSize: 3, inputShape: [28, 28, 1]}),
  tf.layers.batchNormalization(),
]});`,
    producer: { layer: 'conv2d', outputChannels: 32, useBias: true, kernelSize: 3 },
    inputShape: [28, 28, 1],
  },
  {
    name: 'model.add chain with useBias false and dataFormat',
    code: `const model = tf.sequential();
model.add(tf.layers.dense({units: 64, useBias: false, batchInputShape: [null, 10]}));
model.add(tf.layers.conv1d({filters: 8, kernelSize: [3], dataFormat: 'channelsFirst'}));
model.add(tf.layers.batchNormalization({axis: 1}));`,
    producer: {
      layer: 'conv1d',
      outputChannels: 8,
      useBias: true,
      kernelSize: [3],
      dataFormat: 'channelsFirst',
    },
    inputShape: [10],
  },
  {
    name: 'add chains on different models do not mix',
    code: `a.add(tf.layers.dense({units: 4}));
b.add(tf.layers.layerNormalization());`,
    producer: undefined,
  },
  {
    name: 'functional apply through a reassigned variable',
    code: `let x = tf.layers.conv2d({filters: 16, kernelSize: 1, useBias: false}).apply(input);
x = tf.layers.batchNormalization().apply(x);`,
    producer: { layer: 'conv2d', outputChannels: 16, useBias: false, kernelSize: 1 },
  },
  {
    name: 'functional apply through layer variables',
    code: `const conv = tf.layers.conv2d({filters: 4, kernelSize: 3});
const bn = tf.layers.batchNormalization();
const y = bn.apply(conv.apply(input));`,
    producer: { layer: 'conv2d', outputChannels: 4, useBias: true, kernelSize: 3 },
  },
  {
    name: 'an opaque conv config leaves useBias unknown',
    code: `tf.sequential({layers: [tf.layers.conv2d(cfg), tf.layers.batchNormalization()]});`,
    producer: { layer: 'conv2d' },
  },
  {
    name: 'first layer of a Sequential has no producer',
    code: `tf.sequential({layers: [tf.layers.batchNormalization({inputShape: [4]})]});`,
    producer: undefined,
    inputShape: [4],
  },
];

describe('tfjs sources: producer layers', () => {
  for (const c of producers) {
    it(c.name, async () => {
      const { sites } = await extract(c.code);
      const norm = sites.find((s) => s.kind === 'batchnorm' || s.kind === 'layernorm');
      assert.ok(norm, 'a site');
      const producer = norm.context.producer;
      if (c.producer === undefined) {
        assert.equal(producer, undefined);
      } else {
        assert.ok(producer, 'a producer');
        const { range, ...fields } = producer;
        assert.deepEqual(fields, c.producer);
        assert.ok(range);
      }
      assert.deepEqual(norm.context.inputShape, c.inputShape);
    });
  }
});

describe('tfjs sources: custom layers', () => {
  const code = `import * as tf from '@tensorflow/tfjs';
class InstanceNorm extends tf.layers.Layer {
  call(inputs) {
    const x = inputs[0];
    const {mean, variance} = tf.moments(x, [1, 2], true);
    return x.sub(mean).div(variance.add(1e-5).sqrt());
  }
  static get className() { return 'InstanceNorm'; }
}
class Scaled extends InstanceNorm {}
class Plain extends tf.layers.Layer { call(x) { return x; } }
const a = new InstanceNorm({});
const b = new Scaled();
const c = new Plain();`;

  it('tags the inner site and reports instantiations', async () => {
    const { sites } = await extract(code);
    assert.deepEqual(
      sites.map((s) => [s.kind, s.variant, s.context.customLayer]),
      [
        ['instancenorm', 'tf.moments', 'InstanceNorm'],
        ['instancenorm', 'InstanceNorm', 'InstanceNorm'],
      ],
    );
    const instance = sites[1];
    assert.equal(
      instance?.resolvedFrom,
      'InstanceNorm → class InstanceNorm extends tf.layers.Layer (normalizes with tf.moments)',
    );
    assert.deepEqual(instance?.location.type === 'text' && instance.location.range, {
      start: { line: 11, character: 10 },
      end: { line: 11, character: 30 },
    });
  });
});

describe('tfjs sources: batch-size evidence', () => {
  const cases: readonly {
    readonly name: string;
    readonly code: string;
    readonly expect: readonly (readonly [number, string | undefined, string])[];
  }[] = [
    {
      name: 'fit with batchSize from a constant',
      code: 'const BATCH = 4;\nmodel.fit(xs, ys, {epochs: 2, batchSize: BATCH});',
      expect: [[4, 'train', 'fit(batchSize=BATCH)']],
    },
    {
      name: 'fit without batchSize uses the default 32',
      code: 'await model.fit(xs, ys);\nmodel.fit(xs, ys, {epochs: 1});',
      expect: [
        [32, 'train', 'fit() without batchSize (tfjs default 32)'],
        [32, 'train', 'fit() without batchSize (tfjs default 32)'],
      ],
    },
    {
      name: 'fit with an opaque config says nothing',
      code: 'model.fit(xs, ys, opts);',
      expect: [],
    },
    {
      name: 'evaluate and predict feed evaluation',
      code: 'model.evaluate(xs, ys, {batchSize: 2});\nmodel.predict(xs, {batchSize: 1});',
      expect: [
        [2, 'eval', 'evaluate(batchSize=2)'],
        [1, 'eval', 'predict(batchSize=1)'],
      ],
    },
    {
      name: 'tf.data batches for fitDataset',
      code: 'const trainDs = tf.data.array(xs).shuffle(8).batch(6);\nconst valDs = tf.data.array(v).batch(64);\nmodel.fitDataset(trainDs, {epochs: 1});',
      expect: [
        [6, 'train', 'dataset.batch(6)'],
        [64, 'eval', 'dataset.batch(64)'],
      ],
    },
    {
      name: 'files that do not use tfjs give no evidence',
      code: 'scaler.fit(a, b, {batchSize: 2});',
      expect: [],
    },
  ];
  for (const c of cases) {
    it(c.name, async () => {
      const header = c.name.startsWith('files that') ? '' : `${NS}\n`;
      const { context } = await extract(header + c.code);
      assert.deepEqual(
        context.batchSizes.map((b) => [b.value, b.purpose, b.origin]),
        c.expect,
      );
    });
  }

  it('points at the call', async () => {
    const { context } = await extract('tf.ready();\nmodel.fit(x, y, {batchSize: 2});');
    assert.deepEqual(context.batchSizes[0]?.range, {
      start: { line: 1, character: 0 },
      end: { line: 1, character: 31 },
    });
  });
});

describe('tfjs sources: dtype evidence', () => {
  it('reads WebGL half-float flags and layer dtypes', async () => {
    const { context } = await extract(`tf.env().set('WEBGL_FORCE_F16_TEXTURES', true);
tf.env().set('WEBGL_RENDER_FLOAT32_ENABLED', false);
tf.env().set('WEBGL_RENDER_FLOAT32_ENABLED', true);
tf.layers.dense({units: 2, dtype: 'int32'});`);
    assert.deepEqual(
      context.dtypes.map((d) => [d.value, d.range?.start.line]),
      [
        ['float16', 0],
        ['float16', 1],
        ['int32', 3],
      ],
    );
  });
});

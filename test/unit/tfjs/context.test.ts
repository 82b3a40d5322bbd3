import assert from 'node:assert/strict';
import { ParserFactory, SourceAnalyzer } from '../../../src/core/index';
import { nodeModulesWasmLoader } from '../helpers/wasm';
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
      name: 'fitDataset on a tf.data pipeline written in the call',
      code: 'await model.fitDataset(tf.data.array(xs).batch(4), {epochs: 1});',
      expect: [[4, 'train', 'fitDataset(…) with .batch(4)']],
    },
    {
      name: 'fitDataset through a variable, with a batch size from a constant',
      code: 'const BATCH = 4;\nconst ds = tf.data.zip({xs, ys}).batch(BATCH);\nmodel.fitDataset(ds, {epochs: 1});',
      expect: [[4, 'train', 'fitDataset(ds) with .batch(BATCH)']],
    },
    {
      name: 'fitDataset through chained map/shuffle/prefetch after the batch',
      code: 'const ds = tf.data.generator(gen).map(f).shuffle(64).batch(2).map(g).prefetch(1);\nmodel.fitDataset(ds);',
      expect: [[2, 'train', 'fitDataset(ds) with .batch(2)']],
    },
    {
      name: 'fitDataset through reassignments of one variable',
      code: 'let ds = tf.data.csv(url);\nds = ds.shuffle(10);\nds = ds.batch(3);\nds = ds.prefetch(2);\nmodel.fitDataset(ds);',
      expect: [[3, 'train', 'fitDataset(ds) with .batch(3)']],
    },
    {
      name: 'validationData and evaluateDataset batches feed evaluation',
      code: 'const a = tf.data.array(x).batch(8);\nconst b = tf.data.array(v).batch(1);\nconst c = tf.data.array(t).batch(2);\nmodel.fitDataset(a, {validationData: b});\nmodel.evaluateDataset(c);',
      expect: [
        [8, 'train', 'fitDataset(a) with .batch(8)'],
        [1, 'eval', 'fitDataset validationData b with .batch(1)'],
        [2, 'eval', 'evaluateDataset(c) with .batch(2)'],
      ],
    },
    {
      name: 'a dataset that both trains and evaluates counts as training',
      code: 'const ds = tf.data.array(x).batch(5);\nmodel.evaluateDataset(ds);\nmodel.fitDataset(ds);',
      expect: [[5, 'train', 'fitDataset(ds) with .batch(5)']],
    },
    {
      name: 'fitDataset on a dataset of unknown origin (a parameter)',
      code: 'async function train(model, data) {\n  await model.fitDataset(data.batch(6), {epochs: 1});\n}',
      expect: [[6, 'train', 'fitDataset(data.batch(6)) with .batch(6)']],
    },
    {
      name: 'tf.data batches not passed to fitDataset take their purpose from the name',
      code: 'const trainDs = tf.data.array(xs).shuffle(8).batch(6);\nconst valDs = tf.data.array(v).batch(64);\nconst ds = tf.data.array(v).batch(16);',
      expect: [
        [6, 'train', 'dataset.batch(6)'],
        [64, 'eval', 'dataset.batch(64)'],
        [16, undefined, 'dataset.batch(16)'],
      ],
    },
    {
      name: 'batch() on something that is not a dataset is not evidence',
      code: 'const writes = db.batch(3);\nconst ds = someLoader().batch(2);',
      expect: [],
    },
    {
      name: 'a batch size that cannot be known says nothing',
      code: 'const ds = tf.data.array(x).batch(opts.size);\nmodel.fitDataset(ds);',
      expect: [],
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

  it('reads tfjs-data imports as tf.data', async () => {
    const { context } = await extract(
      "import {array, zip} from '@tensorflow/tfjs-data';\nconst ds = zip({a: array(x)}).batch(3);",
    );
    assert.deepEqual(
      context.batchSizes.map((b) => [b.value, b.origin]),
      [[3, 'dataset.batch(3)']],
    );
  });

  it('points at .batch(n) in a dataset chain', async () => {
    const line = 'const ds = tf.data.array(xs).batch(4).prefetch(1);';
    const { context } = await extract(`${NS}\n${line}\nmodel.fitDataset(ds);`);
    const at = line.indexOf('batch(4)');
    assert.deepEqual(context.batchSizes[0]?.range, {
      start: { line: 1, character: at },
      end: { line: 1, character: at + 'batch(4)'.length },
    });
  });

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

describe('tfjs sources: dataset batches feed the small-batch rule', () => {
  const analyzer = new SourceAnalyzer(new ParserFactory(nodeModulesWasmLoader));

  it('warns on BatchNormalization trained by fitDataset on batches of 4', async () => {
    const batchLine = 'const ds = tf.data.array(xs).shuffle(32).batch(BATCH).prefetch(1);';
    const text = [
      NS,
      'const BATCH = 4;',
      'const model = tf.sequential({layers: [tf.layers.dense({units: 8, inputShape: [4]}), tf.layers.batchNormalization()]});',
      batchLine,
      'await model.fitDataset(ds, {epochs: 3});',
    ].join('\n');
    const report = await analyzer.analyzeSource(text, {
      language: 'typescript',
      grammar: 'typescript',
    });
    const finding = report.findings.find((f) => f.rule === 'bn-small-batch');
    assert.equal(finding?.severity, 'warning');
    assert.match(finding?.message ?? '', /batches of 4 \(fitDataset\(ds\) with \.batch\(BATCH\)\)/);
    const at = batchLine.indexOf('batch(BATCH)');
    assert.deepEqual(finding?.related?.[0]?.range, {
      start: { line: 3, character: at },
      end: { line: 3, character: at + 'batch(BATCH)'.length },
    });
  });

  it('says nothing when only evaluation datasets are small', async () => {
    const text = [
      NS,
      'const model = tf.sequential({layers: [tf.layers.batchNormalization({inputShape: [4]})]});',
      'model.fitDataset(tf.data.array(xs).batch(64), {validationData: tf.data.array(v).batch(1)});',
    ].join('\n');
    const report = await analyzer.analyzeSource(text, {
      language: 'typescript',
      grammar: 'typescript',
    });
    assert.deepEqual(
      report.findings.filter((f) => f.rule === 'bn-small-batch'),
      [],
    );
  });
});

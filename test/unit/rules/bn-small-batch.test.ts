import assert from 'node:assert/strict';
import { bnSmallBatch, largestDivisorAtMost } from '../../../src/core/rules/bn-small-batch';
import type { FileContext, ModeEvidence, NormSite, Severity } from '../../../src/core/index';
import { ParserFactory, SourceAnalyzer } from '../../../src/core/index';
import {
  byDefault,
  lineRange,
  literal,
  pytorchSite,
  tfjsSite,
  withBatches,
} from '../helpers/sites';
import { nodeModulesWasmLoader } from '../helpers/wasm';

const mode = (kind: ModeEvidence['mode'], target: string): ModeEvidence => ({
  mode: kind,
  target,
  message: `${target} mode ${kind}`,
  range: lineRange(30),
});

/** Evidence of a PyTorch DataLoader, worded as the Python extractor words it. */
const loader = (value: number): FileContext =>
  withBatches({ value, message: `batch_size=${value} here` });

/** A tfjs `tf.layers.batchNormalization()` with Keras' defaults. */
const tfjsBn = (): NormSite =>
  tfjsSite('batchNormalization', 'batchnorm', {
    epsilon: byDefault(1e-3),
    momentum: byDefault(0.99),
  });

const bn2d = (channels = 64, extra = {}): NormSite =>
  pytorchSite('BatchNorm2d', {
    num_features: literal(channels),
    eps: byDefault(1e-5),
    momentum: byDefault(0.1),
    ...extra,
  });

interface Case {
  readonly name: string;
  readonly site: NormSite;
  readonly context: FileContext;
  readonly expect: Severity | undefined;
  readonly messageHas?: readonly string[];
  readonly fixes?: readonly string[];
  /** The related information's message, pointing at the evidence's range. */
  readonly related?: string;
}

const cases: readonly Case[] = [
  {
    name: 'batch 2 warns with the paper numbers and both replacements',
    site: bn2d(),
    context: loader(2),
    expect: 'warning',
    related: 'batch_size=2 here',
    messageHas: [
      'batches of 2',
      'DataLoader(batch_size=2)',
      'BN top-1 error 34.7%',
      'GN 24.1%',
      'BN 23.6% at 32',
    ],
    fixes: [
      'Replace with nn.GroupNorm(32, 64) (independent of the batch size)',
      'Replace with nn.SyncBatchNorm (statistics across all DistributedDataParallel processes)',
    ],
  },
  {
    name: 'batch 7 warns',
    site: bn2d(),
    context: withBatches(7),
    expect: 'warning',
    messageHas: ['at 4 images per GPU'],
  },
  { name: 'batch 8 informs', site: bn2d(), context: withBatches(8), expect: 'info' },
  { name: 'batch 15 informs', site: bn2d(), context: withBatches(15), expect: 'info' },
  { name: 'batch 16 is fine', site: bn2d(), context: withBatches(16), expect: undefined },
  { name: 'no batch evidence is fine', site: bn2d(), context: withBatches(), expect: undefined },
  {
    name: 'the smallest training loader counts',
    site: bn2d(),
    context: withBatches(64, 4),
    expect: 'warning',
    messageHas: ['batches of 4'],
  },
  {
    name: 'an evaluation loader does not count',
    site: bn2d(),
    context: withBatches(64, { value: 1, purpose: 'eval' }),
    expect: undefined,
  },
  {
    name: 'SyncBatchNorm is exempt',
    site: pytorchSite('SyncBatchNorm', { num_features: literal(64) }),
    context: withBatches(2),
    expect: undefined,
  },
  {
    name: 'FrozenBatchNorm2d is exempt',
    site: pytorchSite('FrozenBatchNorm2d', { num_features: literal(64) }),
    context: withBatches(2),
    expect: undefined,
  },
  {
    name: 'a layer put in eval mode is exempt',
    site: { ...bn2d(), context: { modes: [mode('eval', 'self.bn')] } } as NormSite,
    context: withBatches(2),
    expect: undefined,
  },
  {
    name: 'a frozen layer (requires_grad_(False)) is exempt',
    site: { ...bn2d(), context: { modes: [mode('frozen', 'self.bn')] } } as NormSite,
    context: withBatches(2),
    expect: undefined,
  },
  {
    name: 'convert_sync_batchnorm in the file exempts every BatchNorm',
    site: bn2d(),
    context: { ...withBatches(2), modes: [mode('sync-batchnorm', 'model')] },
    expect: undefined,
  },
  {
    name: 'train mode on the layer does not exempt it',
    site: { ...bn2d(), context: { modes: [mode('train', 'self.bn')] } } as NormSite,
    context: withBatches(2),
    expect: 'warning',
  },
  {
    name: 'momentum 0 (frozen statistics) is exempt',
    site: bn2d(64, { momentum: literal(0) }),
    context: withBatches(2),
    expect: undefined,
  },
  {
    name: 'LayerNorm is not BatchNorm',
    site: pytorchSite('LayerNorm', { normalized_shape: literal(64) }, { kind: 'layernorm' }),
    context: withBatches(2),
    expect: undefined,
  },
  {
    name: 'GroupNorm fix keeps explicit eps and picks a divisor of C',
    site: bn2d(48, { eps: literal(1e-3, '1e-3'), affine: literal(false, 'False') }),
    context: withBatches(2),
    expect: 'warning',
    fixes: [
      'Replace with nn.GroupNorm(24, 48) (independent of the batch size)',
      'Replace with nn.SyncBatchNorm (statistics across all DistributedDataParallel processes)',
    ],
  },
  {
    name: 'an unknown channel count gets only the SyncBatchNorm rename',
    site: pytorchSite('BatchNorm2d', {
      num_features: { value: null, source: 'unknown', expression: 'planes * 4' },
    }),
    context: withBatches(2),
    expect: 'warning',
    fixes: [
      'Replace with nn.SyncBatchNorm (statistics across all DistributedDataParallel processes)',
    ],
  },
  {
    name: 'torch pinned below 1.1 (no SyncBatchNorm) gets only the GroupNorm replacement',
    site: pytorchSite('BatchNorm2d', { num_features: literal(64) }),
    context: { ...withBatches(2), torchVersion: { version: '==1.0.1' } },
    expect: 'warning',
    fixes: ['Replace with nn.GroupNorm(32, 64) (independent of the batch size)'],
  },
  {
    name: 'a bare imported name gets no fix (the replacement would not be imported)',
    site: pytorchSite('BatchNorm2d', { num_features: literal(8) }, { callee: 'BatchNorm2d' }),
    context: withBatches(2),
    expect: 'warning',
    fixes: [],
  },
  {
    name: 'an alias gets no fix (its spelling is not the class name)',
    site: pytorchSite('BatchNorm2d', { num_features: literal(8) }, { callee: 'BN' }),
    context: withBatches(2),
    expect: 'warning',
    fixes: [],
  },
  {
    name: 'tfjs model.fit with batchSize 4 warns in tfjs wording, without PyTorch fixes',
    site: tfjsBn(),
    context: withBatches({ value: 4, origin: 'fit(batchSize=4)', message: 'batchSize=4 here' }),
    expect: 'warning',
    messageHas: ['batches of 4 (fit(batchSize=4))'],
    related: 'batchSize=4 here',
    fixes: [],
  },
  {
    name: 'tfjs fitDataset on .batch(2) warns in tfjs wording',
    site: tfjsBn(),
    context: withBatches({
      value: 2,
      origin: 'fitDataset(ds) with .batch(2)',
      message: 'dataset batches of 2 here',
    }),
    expect: 'warning',
    messageHas: ['batches of 2 (fitDataset(ds) with .batch(2))'],
    related: 'dataset batches of 2 here',
    fixes: [],
  },
];

describe(`rule ${bnSmallBatch.id}`, () => {
  const thresholds = { warnBelow: 8, infoBelow: 16 };
  for (const c of cases) {
    it(c.name, () => {
      const hits = bnSmallBatch.check(c.site, c.context, thresholds);
      assert.equal(hits[0]?.severity, c.expect);
      assert.equal(hits.length, c.expect === undefined ? 0 : 1);
      for (const part of c.messageHas ?? []) {
        assert.ok(hits[0]?.message.includes(part), `message lacks "${part}": ${hits[0]?.message}`);
      }
      if (c.fixes) {
        assert.deepEqual(
          hits[0]?.fixes?.map((fix) => fix.title),
          c.fixes,
        );
      }
      if (c.related !== undefined) {
        // The smallest batch is the only (first) evidence, which `withBatches` puts on line 20.
        assert.deepEqual(
          hits[0]?.related?.map((r) => [r.message, r.range?.start.line]),
          [[c.related, 20]],
        );
      }
    });
  }

  it('words the related information as the tfjs extractor found the batch', async () => {
    const analyzer = new SourceAnalyzer(new ParserFactory(nodeModulesWasmLoader));
    const related = async (training: string): Promise<(string | undefined)[] | undefined> => {
      const text = [
        "import * as tf from '@tensorflow/tfjs';",
        'const model = tf.sequential({layers: [tf.layers.batchNormalization({inputShape: [4]})]});',
        training,
      ].join('\n');
      const report = await analyzer.analyzeSource(text, {
        language: 'typescript',
        grammar: 'typescript',
      });
      const finding = report.findings.find((f) => f.rule === bnSmallBatch.id);
      return finding?.related?.map((r) => r.message);
    };
    assert.deepEqual(await related('model.fit(xs, ys, {batchSize: 4});'), ['batchSize=4 here']);
    assert.deepEqual(await related('await model.fitDataset(tf.data.array(xs).batch(2), {});'), [
      'dataset batches of 2 here',
    ]);
  });

  it('writes the GroupNorm call with the user’s prefix and explicit options', () => {
    const [hit] = bnSmallBatch.check(
      bn2d(48, { eps: literal(1e-3, '1e-3'), affine: literal(false, 'False') }),
      withBatches(2),
      thresholds,
    );
    assert.equal(
      hit?.fixes?.[0]?.edits[0]?.newText,
      'nn.GroupNorm(24, 48, eps=1e-3, affine=False)',
    );
  });

  it('honours configured thresholds', () => {
    assert.equal(
      bnSmallBatch.check(bn2d(), withBatches(4), { warnBelow: 4, infoBelow: 6 })[0]?.severity,
      'info',
    );
    assert.equal(
      bnSmallBatch.check(bn2d(), withBatches(6), { warnBelow: 4, infoBelow: 6 }).length,
      0,
    );
  });

  const divisors = [
    [64, 32],
    [48, 24],
    [10, 10],
    [7, 7],
    [97, 1],
    [1, 1],
  ] as const;
  for (const [n, expected] of divisors) {
    it(`largest divisor of ${n} up to 32 is ${expected}`, () =>
      assert.equal(largestDivisorAtMost(n, 32), expected));
  }
});

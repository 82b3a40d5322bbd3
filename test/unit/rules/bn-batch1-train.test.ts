import assert from 'node:assert/strict';
import type { BatchSizeEvidence } from '../../../src/core/model';
import { bnBatch1Train } from '../../../src/core/rules/bn-batch1-train';
import {
  byDefault,
  lineRange,
  literal,
  onnxInput,
  onnxSite,
  pytorchSite,
  withBatches,
} from '../helpers/sites';
import { describeRule, hitsOf } from './cases';

/** Loader facts carrying the analyzer's ready `drop_last=True` edit. */
function loaderFix(newText: string): Partial<BatchSizeEvidence> {
  const facts = {
    argumentsRange: lineRange(20),
    enableDropLast: { range: lineRange(20), newText },
  };
  return facts as Partial<BatchSizeEvidence>;
}

const bn1d = pytorchSite('BatchNorm1d', { num_features: literal(256) });
const bn2d = pytorchSite('BatchNorm2d', { num_features: literal(64) });
const onnxBn = (shape: readonly number[], trainingMode = 1) =>
  onnxSite(
    'BatchNormalization',
    { training_mode: trainingMode === 0 ? byDefault(0) : literal(trainingMode) },
    { input: onnxInput(shape), outputCount: 3 },
  );

describeRule(
  bnBatch1Train,
  [
    {
      name: 'BatchNorm1d trained on batches of 1 raises',
      site: bn1d,
      context: withBatches(1),
      expect: ['error'],
      messageHas: ['batches of 1', 'Expected more than 1 value per channel'],
    },
    {
      name: 'a loader without drop_last may leave a last batch of one',
      site: bn1d,
      context: withBatches({ value: 64, ...loaderFix(', drop_last=True') }),
      expect: ['info'],
      messageHas: ['len(dataset) % 64 == 1'],
      fixes: ['Set drop_last=True on the DataLoader'],
      edits: [', drop_last=True'],
    },
    {
      name: 'drop_last=True is safe',
      site: bn1d,
      context: withBatches({ value: 64, dropLast: true }),
      expect: [],
    },
    {
      name: 'an explicit drop_last=False has its value replaced',
      site: bn1d,
      context: withBatches({ value: 64, dropLast: false, ...loaderFix('True') }),
      expect: ['info'],
      fixes: ['Set drop_last=True on the DataLoader'],
      edits: ['True'],
    },
    {
      name: 'evidence without loader facts (e.g. **kwargs) warns without an edit',
      site: bn1d,
      context: withBatches({ value: 64 }),
      expect: ['info'],
      fixes: [],
    },
    {
      name: 'convert_sync_batchnorm makes every BatchNorm a SyncBatchNorm',
      site: bn1d,
      context: {
        ...withBatches(1),
        modes: [
          {
            mode: 'sync-batchnorm',
            target: 'model',
            message: 'nn.SyncBatchNorm.convert_sync_batchnorm(model)',
            range: lineRange(30),
          },
        ],
      },
      expect: [],
    },
    {
      name: 'evaluation loaders do not train',
      site: bn1d,
      context: withBatches({ value: 1, purpose: 'eval' }),
      expect: [],
    },
    {
      name: 'BatchNorm2d keeps H×W values at batch 1 (NORM002 covers it)',
      site: bn2d,
      context: withBatches(1),
      expect: [],
    },
    {
      name: 'SyncBatchNorm is exempt (legal with world size > 1)',
      site: pytorchSite('SyncBatchNorm', { num_features: literal(256) }),
      context: withBatches(1),
      expect: [],
    },
    {
      name: 'F.batch_norm with training=True',
      site: pytorchSite(
        'F.batch_norm',
        { training: literal(true, 'True') },
        { callee: 'F.batch_norm' },
      ),
      context: withBatches(1),
      expect: ['error'],
    },
    {
      name: 'F.batch_norm in its default inference mode',
      site: pytorchSite('F.batch_norm', { training: byDefault(false) }, { callee: 'F.batch_norm' }),
      context: withBatches(1),
      expect: [],
    },
    {
      name: 'ONNX training BN on [1, 8, 1, 1]',
      site: onnxBn([1, 8, 1, 1]),
      expect: ['error'],
      messageHas: ['[1, 8, 1, 1]'],
    },
    { name: 'ONNX training BN on [1, 8]', site: onnxBn([1, 8]), expect: ['error'] },
    { name: 'ONNX training BN with spatial values', site: onnxBn([1, 8, 2, 2]), expect: [] },
    { name: 'ONNX inference BN on [1, 8, 1, 1]', site: onnxBn([1, 8, 1, 1], 0), expect: [] },
  ],
  () => {
    it('points at the loader line', () => {
      const [hit] = hitsOf(bnBatch1Train, {
        name: '',
        site: bn1d,
        context: withBatches(1),
        expect: [],
      });
      assert.equal(hit?.related?.[0]?.range?.start.line, 20);
    });
  },
);

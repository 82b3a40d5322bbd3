import assert from 'node:assert/strict';
import { gnDivisibility, nearestDivisors } from '../../../src/core/rules/gn-divisibility';
import { constant, literal, onnxInput, onnxSite, pytorchSite } from '../helpers/sites';
import { describeRule } from './cases';

const gn = (groups: number, channels: number, groupsParam = literal(groups)) =>
  pytorchSite(
    'GroupNorm',
    { num_groups: groupsParam, num_channels: literal(channels) },
    { kind: 'groupnorm' },
  );

describeRule(
  gnDivisibility,
  [
    {
      name: 'GroupNorm(32, 48) raises',
      site: gn(32, 48),
      expect: ['error'],
      messageHas: [
        '48 channels are not divisible by 32 groups',
        '48 % 32 = 16',
        'Nearest valid group counts: 24, 48',
      ],
      fixes: ['Use 24 groups', 'Use 48 groups'],
      edits: ['24', '48'],
    },
    { name: 'GroupNorm(3, 10)', site: gn(3, 10), expect: ['error'], messageHas: ['2, 5'] },
    { name: 'GroupNorm(32, 64) is fine', site: gn(32, 64), expect: [] },
    {
      name: 'GroupNorm(64, 32): more groups than channels',
      site: gn(64, 32),
      expect: ['error'],
      messageHas: ['32.'],
    },
    {
      name: 'a group count from a constant is reported without an edit',
      site: gn(32, 48, constant(32, 'GROUPS')),
      expect: ['error'],
      fixes: [],
    },
    {
      name: 'unknown channels',
      site: pytorchSite(
        'GroupNorm',
        {
          num_groups: literal(32),
          num_channels: { value: null, source: 'unknown', expression: 'c' },
        },
        { kind: 'groupnorm' },
      ),
      expect: [],
    },
    {
      name: 'ONNX GroupNormalization reads C from the input',
      site: onnxSite(
        'GroupNormalization',
        { num_groups: literal(4) },
        { input: onnxInput([1, 6, 8, 8]) },
      ),
      expect: ['error'],
      messageHas: ['6 channels are not divisible by 4 groups', '3, 6'],
      fixes: [],
    },
    {
      name: 'ORT GroupNorm is channels-last',
      site: onnxSite(
        'GroupNorm',
        { groups: literal(32), channels_last: literal(1) },
        { domain: 'com.microsoft', input: onnxInput([1, 8, 8, 320]) },
      ),
      expect: [],
    },
    {
      name: 'ORT GroupNorm with 48 channels last',
      site: onnxSite(
        'GroupNorm',
        { groups: literal(32), channels_last: literal(1) },
        { domain: 'com.microsoft', input: onnxInput([1, 8, 8, 48]) },
      ),
      expect: ['error'],
    },
    {
      name: 'LayerNorm is not GroupNorm',
      site: pytorchSite('LayerNorm', { normalized_shape: literal(48) }, { kind: 'layernorm' }),
      expect: [],
    },
  ],
  () => {
    const table = [
      [48, 32, [24, 48]],
      [10, 3, [2, 5]],
      [7, 4, [1, 7]],
      [12, 5, [4, 6]],
      [6, 8, [6]],
    ] as const;
    for (const [channels, groups, expected] of table) {
      it(`nearest divisors of ${channels} around ${groups}`, () =>
        assert.deepEqual(nearestDivisors(channels, groups), expected));
    }
  },
);

import assert from 'node:assert/strict';
import { extract } from './parse';

interface BatchCase {
  readonly name: string;
  readonly text: string;
  /** Expected evidence, or undefined when none should be found. */
  readonly expected?: { readonly value: number; readonly origin: string; readonly line: number };
}

const cases: readonly BatchCase[] = [
  {
    name: 'a literal keyword',
    text: 'from torch.utils.data import DataLoader\nloader = DataLoader(ds, batch_size=4)',
    expected: { value: 4, origin: 'DataLoader(batch_size=4)', line: 1 },
  },
  {
    name: 'a module constant',
    text: 'from torch.utils.data import DataLoader\nBATCH_SIZE = 2\n\nloader = DataLoader(ds, batch_size=BATCH_SIZE, shuffle=True)',
    expected: { value: 2, origin: 'DataLoader(batch_size=BATCH_SIZE), BATCH_SIZE = 2', line: 3 },
  },
  {
    name: 'the qualified name and a positional argument',
    text: 'import torch\nloader = torch.utils.data.DataLoader(ds, 6)',
    expected: { value: 6, origin: 'torch.utils.data.DataLoader(batch_size=6)', line: 1 },
  },
  {
    name: 'an aliased module',
    text: 'import torch.utils.data as tud\n\nloader = tud.DataLoader(ds, batch_size=3)',
    expected: { value: 3, origin: 'tud.DataLoader(batch_size=3)', line: 2 },
  },
  {
    name: 'an unknown batch size gives no evidence',
    text: 'from torch.utils.data import DataLoader\nloader = DataLoader(ds, batch_size=args.bs)',
  },
  {
    name: 'a DataLoader from another library gives no evidence',
    text: 'from mylib import DataLoader\nloader = DataLoader(ds, batch_size=2)',
  },
];

describe('python extraction: batch size evidence', () => {
  for (const c of cases) {
    it(c.name, async () => {
      const { batchSizes } = (await extract(c.text)).context;
      if (!c.expected) {
        assert.deepEqual(batchSizes, []);
        return;
      }
      assert.equal(batchSizes.length, 1);
      const [evidence] = batchSizes;
      assert.equal(evidence?.value, c.expected.value);
      assert.equal(evidence?.origin, c.expected.origin);
      assert.equal(evidence?.range.start.line, c.expected.line);
      assert.equal(evidence?.range.start.character, 'loader = '.length);
      assert.equal(evidence?.message, `batch_size=${c.expected.value} here`);
    });
  }
});

describe('python extraction: loader purpose and drop_last', () => {
  const cases = [
    { target: 'val_loader', args: 'ds, batch_size=2', purpose: 'eval', dropLast: undefined },
    { target: 'self.test_loader', args: 'ds, batch_size=2', purpose: 'eval', dropLast: undefined },
    {
      target: 'train_dl',
      args: 'ds, batch_size=2, drop_last=True',
      purpose: 'train',
      dropLast: true,
    },
    {
      target: 'loader',
      args: 'ds, 2, True, None, None, 0, None, False, False',
      purpose: undefined,
      dropLast: false,
    },
    { target: 'validate', args: 'ds, batch_size=2', purpose: undefined, dropLast: undefined },
  ] as const;
  for (const c of cases) {
    it(`${c.target} = DataLoader(${c.args})`, async () => {
      const text = `from torch.utils.data import DataLoader\n${c.target} = DataLoader(${c.args})`;
      const [evidence] = (await extract(text)).context.batchSizes;
      assert.equal(evidence?.purpose, c.purpose);
      assert.equal(evidence?.dropLast, c.dropLast);
    });
  }
});

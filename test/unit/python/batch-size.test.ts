import assert from 'node:assert/strict';
import type { Position, SourceRange, TextEdit } from '../../../src/core/model';
import { loaderFacts } from '../../../src/core/python/index';
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

/** The UTF-16 offset of a line/character position in `text`. */
function offsetOf(text: string, position: Position): number {
  const lines = text.split('\n').slice(0, position.line);
  return lines.reduce((sum, line) => sum + line.length + 1, 0) + position.character;
}

function applyEdit(text: string, edit: TextEdit): string {
  const start = offsetOf(text, edit.range.start);
  return text.slice(0, start) + edit.newText + text.slice(offsetOf(text, edit.range.end));
}

/** The text a range covers. */
function slice(text: string, range: SourceRange | undefined): string | undefined {
  return range && text.slice(offsetOf(text, range.start), offsetOf(text, range.end));
}

interface DropLastCase {
  readonly name: string;
  readonly call: string;
  /** The `drop_last` argument and value as written, or undefined when not written. */
  readonly written?: readonly [argument: string, value: string];
  readonly dropLast?: boolean;
  /** The call after the quick fix, or undefined when no edit is offered. */
  readonly fixed?: string;
}

const IMPORT = 'from torch.utils.data import DataLoader\n';

const dropLastCases: readonly DropLastCase[] = [
  {
    name: 'not written: the keyword is inserted',
    call: 'DataLoader(ds, batch_size=2)',
    fixed: 'DataLoader(ds, batch_size=2, drop_last=True)',
  },
  {
    name: 'not written, trailing comma: no second comma',
    call: 'DataLoader(\n    ds,\n    batch_size=2,\n)',
    fixed: 'DataLoader(\n    ds,\n    batch_size=2,\ndrop_last=True)',
  },
  {
    name: 'written False: the value is replaced',
    call: 'DataLoader(ds, batch_size=2, drop_last=False, shuffle=True)',
    written: ['drop_last=False', 'False'],
    dropLast: false,
    fixed: 'DataLoader(ds, batch_size=2, drop_last=True, shuffle=True)',
  },
  {
    name: 'written True: nothing to fix',
    call: 'DataLoader(ds, batch_size=2, drop_last=True)',
    written: ['drop_last=True', 'True'],
    dropLast: true,
  },
  {
    name: 'written as an unknown value: replaced, dropLast unknown',
    call: 'DataLoader(ds, batch_size=2, drop_last=args.drop_last)',
    written: ['drop_last=args.drop_last', 'args.drop_last'],
    fixed: 'DataLoader(ds, batch_size=2, drop_last=True)',
  },
  {
    name: 'the ninth positional argument',
    call: 'DataLoader(ds, 2, True, None, None, 0, None, False, False)',
    written: ['False', 'False'],
    dropLast: false,
    fixed: 'DataLoader(ds, 2, True, None, None, 0, None, False, True)',
  },
  {
    name: 'a **kwargs could set it: no edit',
    call: 'DataLoader(ds, batch_size=2, **options)',
  },
];

describe('python extraction: DataLoader drop_last facts', () => {
  for (const c of dropLastCases) {
    it(c.name, async () => {
      const text = `${IMPORT}loader = ${c.call}\n`;
      const [evidence] = (await extract(text)).context.batchSizes;
      const facts = evidence && loaderFacts(evidence);
      assert.ok(facts, 'loader facts');
      assert.equal(slice(text, facts.range), c.call);
      assert.equal(slice(text, facts.argumentsRange), c.call.slice('DataLoader'.length));
      assert.equal(slice(text, facts.dropLastRange), c.written?.[0]);
      assert.equal(slice(text, facts.dropLastValueRange), c.written?.[1]);
      assert.equal(facts.dropLast, c.dropLast);
      const fixed = facts.enableDropLast && applyEdit(text, facts.enableDropLast);
      assert.equal(fixed, c.fixed === undefined ? undefined : `${IMPORT}loader = ${c.fixed}\n`);
    });
  }
});

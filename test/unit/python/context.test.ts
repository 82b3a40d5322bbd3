import assert from 'node:assert/strict';
import { analyzePythonText } from '../../../src/core/python/index';
import { extract, pythonParser } from './parse';

const HEADER = [
  'import argparse',
  'import torch',
  'import torch.nn as nn',
  'import torch.nn.functional as F',
  'from collections import OrderedDict',
  'from torch.utils.data import DataLoader',
  '',
].join('\n');

/** Lines of HEADER, so expected lines below count from the case's own text. */
const OFFSET = HEADER.split('\n').length - 1;

interface ProducerCase {
  readonly name: string;
  readonly text: string;
  /** The expected producer of the first site, or undefined for none. */
  readonly producer?: {
    readonly layer: string;
    readonly via: string;
    readonly line: number;
    readonly name?: string;
    readonly outputChannels?: number;
    readonly useBias?: boolean;
    /** `text` after applying `disableBias`, when an edit is expected. */
    readonly disabled?: string;
  };
  readonly dropout?: { readonly p?: number; readonly pText?: string };
}

const producerCases: readonly ProducerCase[] = [
  {
    name: 'nn.Sequential: the previous argument',
    text: 'seq = nn.Sequential(nn.Conv2d(3, 16, 3), nn.BatchNorm2d(16))',
    producer: {
      layer: 'Conv2d',
      via: 'sequential',
      line: 0,
      outputChannels: 16,
      useBias: true,
      disabled: 'seq = nn.Sequential(nn.Conv2d(3, 16, 3, bias=False), nn.BatchNorm2d(16))',
    },
  },
  {
    name: 'nn.Sequential with a keyword out_channels and bias=True',
    text: 'seq = nn.Sequential(\n    nn.Conv2d(3, out_channels=8, kernel_size=1, bias=True),\n    nn.BatchNorm2d(8),\n)',
    producer: {
      layer: 'Conv2d',
      via: 'sequential',
      line: 1,
      outputChannels: 8,
      useBias: true,
      disabled:
        'seq = nn.Sequential(\n    nn.Conv2d(3, out_channels=8, kernel_size=1, bias=False),\n    nn.BatchNorm2d(8),\n)',
    },
  },
  {
    name: 'OrderedDict of pairs: the previous value, named by its key',
    text: "od = nn.Sequential(OrderedDict([('conv', nn.Conv2d(3, 8, 3, bias=False)), ('bn', nn.BatchNorm2d(8))]))",
    producer: {
      layer: 'Conv2d',
      via: 'ordered-dict',
      line: 0,
      name: 'conv',
      outputChannels: 8,
      useBias: false,
    },
  },
  {
    name: 'OrderedDict from a dict literal',
    text: "od = nn.Sequential(OrderedDict({'fc': nn.Linear(4, 6), 'norm': nn.BatchNorm1d(6)}))",
    producer: {
      layer: 'Linear',
      via: 'ordered-dict',
      line: 0,
      name: 'fc',
      outputChannels: 6,
      useBias: true,
    },
  },
  {
    name: 'ModuleList: the previous element, a dropout',
    text: 'ml = nn.ModuleList([nn.Dropout(p=0.2), nn.LayerNorm(8)])',
    producer: { layer: 'Dropout', via: 'module-list', line: 0 },
    dropout: { p: 0.2, pText: '0.2' },
  },
  {
    name: 'a plain list (VGG-style layers += [...])',
    text: 'layers = []\nlayers += [nn.Conv2d(3, 64, 3, 1, 1, 1, 1, False), nn.BatchNorm2d(64)]',
    producer: { layer: 'Conv2d', via: 'list', line: 1, outputChannels: 64, useBias: false },
  },
  {
    name: 'consecutive .append calls on one list',
    text: 'def make(c):\n    layers = []\n    layers.append(nn.Linear(c, 32))\n    layers.append(nn.BatchNorm1d(32))\n    return layers',
    producer: { layer: 'Linear', via: 'list', line: 2, outputChannels: 32, useBias: true },
  },
  {
    name: 'forward order through a local name',
    text: [
      'class Net(nn.Module):',
      '    def __init__(self):',
      '        super().__init__()',
      '        self.conv1 = nn.Conv2d(3, 32, 3)',
      '        self.bn1 = nn.BatchNorm2d(32)',
      '    def forward(self, x):',
      '        out = self.conv1(x)',
      '        return self.bn1(out)',
    ].join('\n'),
    producer: {
      layer: 'Conv2d',
      via: 'forward',
      line: 3,
      name: 'conv1',
      outputChannels: 32,
      useBias: true,
    },
  },
  {
    name: 'forward order through a nested call, with dropout',
    text: [
      'class Head(nn.Module):',
      '    def __init__(self):',
      '        super().__init__()',
      '        self.drop = nn.Dropout(0.3)',
      '        self.bn = nn.BatchNorm1d(10)',
      '    def forward(self, x):',
      '        return self.bn(self.drop(x))',
    ].join('\n'),
    producer: { layer: 'Dropout', via: 'forward', line: 3, name: 'drop' },
    dropout: { p: 0.3, pText: '0.3' },
  },
  {
    name: 'forward order through a functional dropout',
    text: [
      'class Head(nn.Module):',
      '    def __init__(self):',
      '        super().__init__()',
      '        self.bn = nn.BatchNorm1d(10)',
      '    def forward(self, x):',
      '        x = F.dropout(x, 0.1, self.training)',
      '        return self.bn(x)',
    ].join('\n'),
    producer: { layer: 'dropout', via: 'forward', line: 5 },
    dropout: { p: 0.1, pText: '0.1' },
  },
  {
    name: 'no producer for the first element',
    text: 'seq = nn.Sequential(nn.BatchNorm2d(3), nn.ReLU())',
  },
  {
    name: 'no producer for a layer from another library',
    text: 'import mylib\nseq = nn.Sequential(mylib.Conv2d(3, 8, 3), nn.BatchNorm2d(8))',
  },
  {
    name: 'a **kwargs splat leaves the bias unknown and offers no edit',
    text: 'seq = nn.Sequential(nn.Conv2d(3, 8, 3, **kw), nn.BatchNorm2d(8))',
    producer: { layer: 'Conv2d', via: 'sequential', line: 0, outputChannels: 8 },
  },
];

/** `text` with one edit applied at 0-based positions. */
function applyEdit(
  text: string,
  edit: {
    range: { start: { line: number; character: number }; end: { line: number; character: number } };
    newText: string;
  },
): string {
  const lines = text.split('\n');
  const offset = (line: number, character: number): number =>
    lines.slice(0, line).reduce((sum, l) => sum + l.length + 1, 0) + character;
  const start = offset(edit.range.start.line, edit.range.start.character);
  const end = offset(edit.range.end.line, edit.range.end.character);
  return text.slice(0, start) + edit.newText + text.slice(end);
}

describe('python context: producer layers', () => {
  for (const c of producerCases) {
    it(c.name, async () => {
      const text = HEADER + c.text;
      const [site] = (await extract(text)).sites;
      assert.ok(site, 'a site');
      const { producer, dropout } = site.context;
      if (!c.producer) {
        assert.equal(producer, undefined);
        return;
      }
      assert.ok(producer, 'a producer');
      assert.equal(producer.layer, c.producer.layer);
      assert.equal(producer.via, c.producer.via);
      assert.equal(producer.range.start.line - OFFSET, c.producer.line);
      assert.equal(producer.name, c.producer.name);
      assert.equal(producer.outputChannels, c.producer.outputChannels);
      assert.equal(producer.useBias, c.producer.useBias);
      if (c.producer.disabled) {
        assert.ok(producer.disableBias);
        assert.equal(applyEdit(text, producer.disableBias), HEADER + c.producer.disabled);
      }
      if (c.producer.useBias === undefined) {
        assert.equal(producer.disableBias, undefined);
      }
      if (!c.dropout) {
        assert.equal(dropout, undefined);
        return;
      }
      assert.equal(dropout?.p, c.dropout.p);
      const pRange = dropout?.pRange;
      assert.ok(pRange);
      const line = text.split('\n')[pRange.start.line] ?? '';
      assert.equal(line.slice(pRange.start.character, pRange.end.character), c.dropout.pText);
    });
  }

  it('a dropout with the default p', async () => {
    const text = `${HEADER}seq = nn.Sequential(nn.Dropout2d(), nn.BatchNorm2d(8))`;
    const [site] = (await extract(text)).sites;
    assert.deepEqual(
      { layer: site?.context.dropout?.layer, p: site?.context.dropout?.p },
      { layer: 'Dropout2d', p: 0.5 },
    );
    assert.equal(site?.context.dropout?.pRange, undefined);
  });
});

interface ModeCase {
  readonly name: string;
  readonly text: string;
  /** Modes claimed by the first site. */
  readonly site: readonly string[];
  /** Modes of the file (`mode target`). */
  readonly file: readonly string[];
}

const modeCases: readonly ModeCase[] = [
  {
    name: '.eval() on the site',
    text: 'bn = nn.BatchNorm2d(4)\nbn.eval()',
    site: ['eval'],
    file: [],
  },
  {
    name: '.train(False) is eval, .train() is train',
    text: 'bn = nn.BatchNorm2d(4)\nbn.train(False)\nbn.train()',
    site: ['eval', 'train'],
    file: [],
  },
  {
    name: 'requires_grad_(False) on a self attribute',
    text: 'class M(nn.Module):\n    def __init__(self):\n        self.bn = nn.BatchNorm2d(4)\n        self.bn.requires_grad_(False)',
    site: ['frozen'],
    file: [],
  },
  {
    name: 'requires_grad_() (True) is no evidence',
    text: 'bn = nn.BatchNorm2d(4)\nbn.requires_grad_()',
    site: [],
    file: [],
  },
  {
    name: 'whole-model switches stay in the file context',
    text: 'bn = nn.BatchNorm2d(4)\nmodel.eval()\nmodel = nn.SyncBatchNorm.convert_sync_batchnorm(model)',
    site: [],
    file: ['eval model', 'sync-batchnorm model'],
  },
];

describe('python context: mode switches', () => {
  for (const c of modeCases) {
    it(c.name, async () => {
      const { sites, context } = await extract(HEADER + c.text);
      assert.deepEqual(
        sites[0]?.context.modes.map((mode) => mode.mode),
        c.site,
      );
      assert.deepEqual(
        (context.modes ?? []).map((mode) => `${mode.mode} ${mode.target}`),
        c.file,
      );
    });
  }
});

interface PrecisionCase {
  readonly name: string;
  readonly text: string;
  readonly expected: readonly string[];
}

const precisionCases: readonly PrecisionCase[] = [
  {
    name: 'torch.autocast with a dtype',
    text: "with torch.autocast('cuda', dtype=torch.bfloat16):\n    pass",
    expected: ['bfloat16 0'],
  },
  {
    name: 'torch.autocast on CUDA defaults to float16, on CPU to bfloat16',
    text: "with torch.autocast(device_type='cuda'):\n    pass\nwith torch.autocast('cpu'):\n    pass",
    expected: ['float16 0', 'bfloat16 2'],
  },
  {
    name: 'torch.cuda.amp.autocast()',
    text: 'with torch.cuda.amp.autocast():\n    pass',
    expected: ['float16 0'],
  },
  { name: '.half()', text: 'model = Net().half()', expected: ['float16 0'] },
  {
    name: 'dtype=torch.float16 and .to(torch.half)',
    text: 'x = torch.zeros(2, dtype=torch.float16)\ny = x.to(torch.half)',
    expected: ['float16 0', 'float16 1'],
  },
  { name: 'float32 is no evidence', text: 'x = torch.zeros(2, dtype=torch.float32)', expected: [] },
  {
    name: 'a dtype of another library is no evidence',
    text: 'import numpy as np\nx = np.zeros(2, dtype=np.float16)',
    expected: [],
  },
];

describe('python context: low precision', () => {
  for (const c of precisionCases) {
    it(c.name, async () => {
      const { context } = await extract(`${HEADER}bn = nn.BatchNorm2d(4)\n${c.text}`);
      assert.deepEqual(
        (context.precision ?? []).map((p) => `${p.value} ${p.range.start.line - OFFSET - 1}`),
        c.expected,
      );
    });
  }
});

interface HintCase {
  readonly name: string;
  readonly text: string;
  readonly hints: readonly string[];
  /** DataLoader evidence (`value origin`). */
  readonly loaders?: readonly string[];
}

const hintCases: readonly HintCase[] = [
  {
    name: 'an argparse default, which also feeds DataLoader(batch_size=args.batch_size)',
    text: "p = argparse.ArgumentParser()\np.add_argument('-b', '--batch-size', type=int, default=2)\nargs = p.parse_args()\nloader = DataLoader(ds, batch_size=args.batch_size)",
    hints: ['2 --batch-size default 2'],
    loaders: ['2 DataLoader(batch_size=args.batch_size), --batch-size default 2'],
  },
  {
    name: 'an argparse dest= names the attribute',
    text: "p.add_argument('--bs', dest='train_bs', default=4)\nloader = DataLoader(ds, batch_size=opt.train_bs)",
    hints: ['4 --bs default 4'],
    loaders: ['4 DataLoader(batch_size=opt.train_bs), --bs default 4'],
  },
  {
    name: 'a config dict',
    text: "config = {'lr': 0.1, 'batch_size': 16}",
    hints: ["16 {'batch_size': 16}"],
  },
  {
    name: 'batch_size = N in a function and on self',
    text: 'def main():\n    batch_size = 3\n    self.batch_size = 5',
    hints: ['3 batch_size = 3', '5 self.batch_size = 5'],
  },
  {
    name: 'an example input (purpose eval)',
    text: 'x = torch.randn(1, 3, 224, 224)',
    hints: ['1 torch.randn(1, 3, 224, 224) eval'],
  },
  { name: 'a one-dimensional randn is no example input', text: 'x = torch.randn(10)', hints: [] },
  {
    name: 'an unknown default is no evidence',
    text: "p.add_argument('--batch-size', default=os.environ['BS'])",
    hints: [],
  },
];

describe('python context: batch-size hints', () => {
  for (const c of hintCases) {
    it(c.name, async () => {
      const { context } = await extract(`${HEADER}bn = nn.BatchNorm2d(4)\n${c.text}`);
      assert.deepEqual(
        (context.batchSizeHints ?? []).map((h) =>
          [h.value, h.origin, h.purpose].filter((part) => part !== undefined).join(' '),
        ),
        c.hints,
      );
      assert.deepEqual(
        context.batchSizes.map((b) => `${b.value} ${b.origin}`),
        c.loaders ?? [],
      );
    });
  }
});

describe('python context: planned parsing keeps the evidence', () => {
  it('evidence in statements without a site is parsed once the file has one', async () => {
    const text = [
      HEADER,
      'class Net(nn.Module):',
      '    def __init__(self):',
      '        super().__init__()',
      '        self.fc = nn.Linear(4, 8)',
      '        self.bn = nn.BatchNorm1d(8)',
      '    def forward(self, x):',
      '        return self.bn(self.fc(x))',
      '',
      'def unrelated():',
      '    return 1',
      '',
      'def main():',
      "    parser.add_argument('--batch-size', default=2)",
      '    model = Net().half()',
      '    model.eval()',
      '    with torch.autocast("cuda"):',
      '        model(torch.randn(1, 4))',
      '',
    ].join('\n');
    const planned = analyzePythonText(await pythonParser(), text, { torchVersion: '2.1.0' });
    const full = await extract(text, { torchVersion: '2.1.0' });
    assert.deepEqual(planned.context, full.context);
    assert.deepEqual(planned.sites, full.sites);
    assert.equal(planned.context.precision?.length, 2);
    assert.equal(planned.context.modes?.length, 1);
    assert.equal(planned.context.batchSizeHints?.length, 2);
    assert.deepEqual(planned.context.torchVersion, { version: '2.1.0' });
  });

  it('a file without the torch version option has none', async () => {
    const { context } = await extract(`${HEADER}bn = nn.BatchNorm2d(4)`);
    assert.equal(context.torchVersion, undefined);
  });
});

import assert from 'node:assert/strict';
import { PythonDocument } from '../../../src/core/python/incremental';
import { analyzePythonText } from '../../../src/core/python/index';
import { planParse } from '../../../src/core/python/regions';
import { splitStatements } from '../../../src/core/python/statements';
import { extract, pythonParser } from './parse';
import { edit } from '../helpers/edits';

/** The first line of each top-level statement the split finds. */
function statementHeads(text: string): string[] {
  return splitStatements(text).map((s) => text.slice(s.start, s.end).split('\n')[0] ?? '');
}

describe('python top-level statement split', () => {
  const cases: readonly { name: string; text: string; heads: string[] }[] = [
    { name: 'simple statements', text: 'a = 1\nb = 2\n', heads: ['a = 1', 'b = 2'] },
    {
      name: 'brackets span lines',
      text: 'x = f(\n1,\n2)\ny = 3\n',
      heads: ['x = f(', 'y = 3'],
    },
    {
      name: 'a triple-quoted string holding column-0 text',
      text: 's = """\nclass Fake:\n"""\nz = 1\n',
      heads: ['s = """', 'z = 1'],
    },
    {
      name: 'decorators stay with the definition',
      text: '@dec\ndef f():\n    pass\nq = 1\n',
      heads: ['@dec', 'q = 1'],
    },
    {
      name: 'else/except clauses continue their statement',
      text: 'if a:\n    b = 1\nelse:\n    b = 2\ntry:\n    c\nexcept E:\n    d\nfinally:\n    e\n',
      heads: ['if a:', 'try:'],
    },
    {
      name: 'comments and blank lines at column 0 inside a body',
      text: 'def f():\n    x = 1\n# note\n\n    return x\ng = 2\n',
      heads: ['def f():', 'g = 2'],
    },
    {
      name: 'backslash continuation',
      text: 'x = 1 + \\\n2\ny = 3',
      heads: ['x = 1 + \\', 'y = 3'],
    },
    {
      name: 'an unclosed bracket runs to the end',
      text: 'x = f(\ny = 2\nz = 3\n',
      heads: ['x = f('],
    },
    { name: 'a quote inside a comment', text: "# don't\nx = 1\n", heads: ['x = 1'] },
  ];
  for (const { name, text, heads } of cases) {
    it(name, () => {
      assert.deepEqual(statementHeads(text), heads);
    });
  }

  it('gives the lines of each statement', () => {
    const [first, second] = splitStatements('a = (\n1)\n\nb = 2');
    assert.deepEqual(first, { start: 0, end: 9, startLine: 0, endLine: 2 });
    assert.deepEqual(second, { start: 10, end: 15, startLine: 3, endLine: 3 });
  });
});

describe('python parse plan', () => {
  it('plans a file whose import names hold pattern characters (a typo, or hostile input)', () => {
    for (const name of ['Tuple[BatchNorm', 'A(BatchNorm', 'x+BatchNorm']) {
      const text = `from x import ${name}\nclass N(nn.Module):\n    norm = ${name}(3)\n`;
      assert.doesNotThrow(() => planParse(text), name);
    }
  });

  it('skips a file that cannot hold a site', () => {
    assert.equal(planParse('import torch\nx = torch.zeros(3)\n').type, 'none');
  });

  it('keeps norm statements, the constants they use and the imports', () => {
    const text = [
      'import torch.nn as nn',
      'C = 64',
      'UNUSED = 1',
      'def helper():',
      '    return 2',
      'layer = nn.BatchNorm2d(C)',
      '',
    ].join('\n');
    const plan = planParse(text);
    assert.equal(plan.type, 'regions');
    const kept =
      plan.type === 'regions' ? plan.regions.map((r) => text.slice(r.startIndex, r.endIndex)) : [];
    assert.deepEqual(kept, ['import torch.nn as nn\n', 'C = 64\n', 'layer = nn.BatchNorm2d(C)\n']);
  });
});

describe('python parse plan: norm names that cannot lead to a site', () => {
  const header = 'import torch.nn as nn\n';
  const skipped: readonly { name: string; statement: string }[] = [
    {
      name: 'a docstring',
      statement: 'def f():\n    """Uses nn.BatchNorm2d(3)."""\n    return 1\n',
    },
    { name: 'a comment', statement: 'def f():\n    # nn.BatchNorm2d(3)\n    return 1\n' },
    { name: 'a set element', statement: 'S = {nn.BatchNorm2d, nn.Conv2d}\n' },
    {
      name: 'an isinstance check',
      statement: 'def f(m):\n    return isinstance(m, nn.BatchNorm2d)\n',
    },
    { name: 'a comparison', statement: 'def f(m):\n    return type(m) == nn.LayerNorm\n' },
    { name: 'a tuple element', statement: 'P = ((nn.BatchNorm2d, nn.Conv2d), 1)\n' },
    {
      name: 'a call of a norm-like name bound only to calls',
      statement:
        'class A:\n    def __init__(self):\n        self.bn = make()\n    def forward(self, x):\n        return self.bn(x)\n',
    },
    {
      name: 'a call of an unbound norm-like name',
      statement: 'def f(x):\n    return normalize_input(x)\n',
    },
  ];
  for (const { name, statement } of skipped) {
    it(`skips ${name}`, () => {
      assert.equal(planParse(header + statement).type, 'none');
    });
  }

  const kept: readonly { name: string; statement: string }[] = [
    { name: 'a call', statement: 'x = nn.BatchNorm2d(3)\n' },
    {
      name: 'a norm_layer default',
      statement: 'def f(c, norm_layer=nn.BatchNorm2d):\n    return norm_layer(c)\n',
    },
    { name: 'a partial', statement: 'N = partial(\n    nn.GroupNorm, 4)\n' },
    { name: 'a dict value', statement: 'NORMS = {"bn": nn.BatchNorm2d}\n' },
    { name: 'a later class base', statement: 'class B(Mixin, nn.BatchNorm2d):\n    pass\n' },
    { name: 'a parenthesised callee', statement: 'x = (nn.LayerNorm)(4)\n' },
    { name: 'a builder keyword', statement: 'x = Conv2dNormActivation(3, 8, norm_layer=norm)\n' },
    { name: 'an f-string expression', statement: 'x = f"{nn.BatchNorm2d(3)}"\n' },
  ];
  for (const { name, statement } of kept) {
    it(`keeps ${name}`, () => {
      assert.notEqual(planParse(header + statement).type, 'none');
    });
  }
});

/** Files where parsing only the planned regions must give exactly what a full parse gives. */
const equivalenceCases: readonly { name: string; text: string }[] = [
  {
    name: 'an alias bound by an import item',
    text: 'from torch.nn import BatchNorm2d as B\nimport os\n\ndef make():\n    return B(3)\n\nx = os.path\n',
  },
  {
    name: 'a constant bound to a norm class',
    text: 'import torch.nn as nn\nNORM = nn.GroupNorm\nW = 8\n\nclass Block:\n    def __init__(self):\n        self.n = NORM(W, 32)\n',
  },
  {
    name: 'a workspace subclass used elsewhere',
    text: 'import torch.nn as nn\nclass MyBN(nn.BatchNorm1d):\n    pass\n\ndef build():\n    return MyBN(10)\n',
  },
  {
    name: 'a norm_layer parameter without default (unresolved)',
    text: 'def block(c, norm_layer):\n    return norm_layer(c)\n\ndef other():\n    return 1\n',
  },
  {
    name: 'a star import',
    text: 'from mylib import *\n\ndef f():\n    return make_norm(3)\n',
  },
  {
    name: 'an import inside a function',
    text: 'def f():\n    from torch import nn\n    return 1\n\ndef g():\n    return nn.LayerNorm(4)\n',
  },
  {
    name: 'DataLoader evidence in a file with a site',
    text: 'import torch.nn as nn\nfrom torch.utils.data import DataLoader\nB = 2\nbn = nn.BatchNorm2d(3)\ntrain_loader = DataLoader(ds, batch_size=B)\n',
  },
  {
    name: 'non-ASCII text before a site',
    text: 'import torch.nn as nn\nname = "héllo wörld ✓"\n\ndef f():\n    return nn.BatchNorm2d(3)\n',
  },
];

describe('python analysis of planned regions', () => {
  for (const { name, text } of equivalenceCases) {
    it(`matches a full parse: ${name}`, async () => {
      const full = await extract(text);
      const planned = analyzePythonText(await pythonParser(), text);
      assert.deepEqual(planned.sites, full.sites);
      assert.deepEqual(planned.unresolved, full.unresolved);
      assert.deepEqual(planned.context, full.context);
      assert.ok(full.sites.length + full.unresolved.length > 0, 'the case finds something');
    });
  }
});

describe('PythonDocument', () => {
  it('re-analyses after edits, incrementally', async () => {
    const before = 'import torch.nn as nn\n\ndef f():\n    return nn.BatchNorm2d(3)\n';
    const document = new PythonDocument(await pythonParser(), before);
    try {
      assert.equal(document.extraction.sites.length, 1);
      // Insert a line above the site: the site moves down one line.
      const after = 'import torch.nn as nn\nx = 1\n\ndef f():\n    return nn.BatchNorm2d(3)\n';
      const extraction = document.update(after, [
        {
          startIndex: 22,
          oldEndIndex: 22,
          newEndIndex: 28,
          startPosition: { row: 1, column: 0 },
          oldEndPosition: { row: 1, column: 0 },
          newEndPosition: { row: 2, column: 0 },
        },
      ]);
      assert.deepEqual(extraction.sites, (await extract(after)).sites);
      assert.equal(
        extraction.sites[0]?.location.type === 'text' &&
          extraction.sites[0].location.range.start.line,
        4,
      );
      // Without edits the text is parsed afresh.
      assert.deepEqual(document.update(before).sites, (await extract(before)).sites);
      assert.equal(document.update('x = 1\n').sites.length, 0);
    } finally {
      document.dispose();
    }
  });

  /** Applies one edit (replace `[from, to)` by `insert`) to the document and to a fresh parse. */
  async function editBoth(document: PythonDocument, from: number, to: number, insert: string) {
    const next = edit(document.text, from, to, insert);
    const extraction = document.update(next.text, [next.change]);
    return { extraction, fresh: await extract(next.text) };
  }

  const body = [
    'import torch.nn as nn',
    '',
    'def unrelated(a):',
    '    return a + 1',
    '',
    'def checks(m):',
    '    """True for nn.BatchNorm2d(…) layers."""',
    '    return isinstance(m, nn.BatchNorm2d) or m in {nn.LayerNorm}',
    '',
    'class Net(nn.Module):',
    '    def __init__(self):',
    '        self.bn = nn.BatchNorm2d(8)',
    '',
  ].join('\n');
  const inside = body.indexOf('a + 1');
  const edits: readonly { name: string; from: number; to: number; insert: string }[] = [
    { name: 'typing inside a skipped function', from: inside, to: inside, insert: 'b * ' },
    {
      name: 'typing inside a skipped function that names norms',
      from: body.indexOf(' or m'),
      to: body.indexOf(' or m'),
      insert: ' and m',
    },
    {
      name: 'calling a norm inside a skipped function that names norms',
      from: body.indexOf('m in {'),
      to: body.indexOf('m in {') + 1,
      insert: 'nn.GroupNorm(2, 4)',
    },
    { name: 'adding lines to a skipped function', from: inside, to: inside, insert: '(\n 2) + ' },
    {
      name: 'turning a skipped function into one with a site',
      from: inside,
      to: inside + 5,
      insert: 'nn.LayerNorm(4)',
    },
    {
      name: 'editing the kept class',
      from: body.indexOf('(8)') + 1,
      to: body.indexOf('(8)') + 2,
      insert: '16',
    },
    { name: 'breaking the statement split', from: inside, to: inside, insert: '(' },
    {
      name: 'commenting out a skipped function header',
      from: body.indexOf('def unrelated'),
      to: body.indexOf('def unrelated'),
      insert: '#',
    },
    {
      name: 'importing inside a skipped function',
      from: inside - 11,
      to: inside - 11,
      insert: 'from torch import nn as N\n    ',
    },
  ];
  for (const { name, from, to, insert } of edits) {
    it(`matches a fresh analysis after ${name}`, async () => {
      const document = new PythonDocument(await pythonParser(), body);
      try {
        const { extraction, fresh } = await editBoth(document, from, to, insert);
        assert.deepEqual(extraction.sites, fresh.sites);
        assert.deepEqual(extraction.unresolved, fresh.unresolved);
        // A second edit after the first still agrees (the kept tree was edited too).
        const again = await editBoth(document, 0, 0, '\n');
        assert.deepEqual(again.extraction.sites, again.fresh.sites);
      } finally {
        document.dispose();
      }
    });
  }
});

import assert from 'node:assert/strict';
import type { NormSite } from '../../../src/core/model';
import { extract } from './parse';

/** One import form: the file's header and the callee text it makes resolvable. */
interface ImportCase {
  readonly name: string;
  readonly header: string;
  readonly callee: string;
  readonly resolvedFrom: string;
}

const importCases: readonly ImportCase[] = [
  {
    name: 'import torch.nn as nn',
    header: 'import torch.nn as nn',
    callee: 'nn.BatchNorm2d',
    resolvedFrom: 'nn.BatchNorm2d → torch.nn.BatchNorm2d',
  },
  {
    name: 'from torch import nn',
    header: 'from torch import nn',
    callee: 'nn.BatchNorm2d',
    resolvedFrom: 'nn.BatchNorm2d → torch.nn.BatchNorm2d',
  },
  {
    name: 'import torch',
    header: 'import torch',
    callee: 'torch.nn.BatchNorm2d',
    resolvedFrom: 'torch.nn.BatchNorm2d',
  },
  {
    name: 'import torch.nn (binds torch)',
    header: 'import torch.nn',
    callee: 'torch.nn.BatchNorm2d',
    resolvedFrom: 'torch.nn.BatchNorm2d',
  },
  {
    name: 'from torch.nn import BatchNorm2d as BN',
    header: 'from torch.nn import BatchNorm2d as BN',
    callee: 'BN',
    resolvedFrom: 'BN → torch.nn.BatchNorm2d',
  },
  {
    name: 'from torch.nn import BatchNorm2d',
    header: 'from torch.nn import (\n    BatchNorm2d,\n)',
    callee: 'BatchNorm2d',
    resolvedFrom: 'BatchNorm2d → torch.nn.BatchNorm2d',
  },
  {
    name: 'the defining module path',
    header: 'import torch',
    callee: 'torch.nn.modules.batchnorm.BatchNorm2d',
    resolvedFrom: 'torch.nn.modules.batchnorm.BatchNorm2d → torch.nn.BatchNorm2d',
  },
  {
    name: 'from torch.nn.modules.batchnorm import BatchNorm2d',
    header: 'from torch.nn.modules.batchnorm import BatchNorm2d',
    callee: 'BatchNorm2d',
    resolvedFrom: 'BatchNorm2d → torch.nn.BatchNorm2d',
  },
  {
    name: 'import inside a function',
    header: 'def build():\n    import torch.nn as nn\n    return 0',
    callee: 'nn.BatchNorm2d',
    resolvedFrom: 'nn.BatchNorm2d → torch.nn.BatchNorm2d',
  },
];

/** The only site of `text`; fails when there is not exactly one. */
async function onlySite(text: string): Promise<NormSite> {
  const { sites } = await extract(text);
  assert.equal(sites.length, 1, `expected one site, got ${sites.length}`);
  const [site] = sites;
  assert.ok(site);
  return site;
}

describe('python extraction: import forms', () => {
  for (const c of importCases) {
    it(c.name, async () => {
      const call = `${c.callee}(64)`;
      const text = `${c.header}\n\nlayer = ${call}\n`;
      const line = text.split('\n').length - 2;
      const site = await onlySite(text);
      assert.equal(site.kind, 'batchnorm');
      assert.equal(site.variant, 'BatchNorm2d');
      assert.equal(site.framework, 'pytorch');
      assert.equal(site.resolvedFrom, c.resolvedFrom);
      const start = 'layer = '.length;
      assert.deepEqual(site.location, {
        type: 'text',
        range: {
          start: { line, character: start },
          end: { line, character: start + call.length },
        },
      });
      assert.deepEqual(site.nameRange, {
        start: { line, character: start },
        end: { line, character: start + c.callee.length },
      });
    });
  }
});

describe('python extraction: names that are not norm layers', () => {
  const cases = [
    { name: 'a local class with the same name', text: 'class BatchNorm2d: pass\nBatchNorm2d(3)' },
    { name: 'an unimported nn', text: 'nn.BatchNorm2d(3)' },
    { name: 'another library', text: 'import tensorflow as nn\nnn.BatchNorm2d(3)' },
    { name: 'a method named like a layer', text: 'import torch\nx.BatchNorm2d(3)' },
    { name: 'a mention in a string', text: 'import torch\ns = "torch.nn.BatchNorm2d(3)"' },
  ];
  for (const c of cases) {
    it(c.name, async () => {
      assert.deepEqual((await extract(c.text)).sites, []);
    });
  }
});

describe('python extraction: BatchNorm dimensions', () => {
  for (const variant of ['BatchNorm1d', 'BatchNorm2d', 'BatchNorm3d']) {
    it(variant, async () => {
      const site = await onlySite(`import torch.nn as nn\nnn.${variant}(8)`);
      assert.equal(site.variant, variant);
      assert.equal(site.kind, 'batchnorm');
    });
  }
});

describe('python extraction: callee as written', () => {
  it('keeps the spelling of the callee', async () => {
    const site = await onlySite('import torch.nn as nn\nnn.BatchNorm2d(3)');
    assert.equal(site.callee, 'nn.BatchNorm2d');
  });
});

describe('python extraction: relative imports', () => {
  const cases = [
    {
      name: 'a sibling module',
      text: 'from .normalization import LayerNorm\nLayerNorm(8)',
      options: { module: 'torch.nn.modules.transformer' },
      found: 1,
    },
    {
      name: 'two levels up',
      text: 'from .. import functional as F\nF.group_norm(x, 2)',
      options: { module: 'torch.nn.modules.normalization' },
      found: 1,
    },
    {
      name: "a package's __init__",
      text: 'from .misc import FrozenBatchNorm2d\nFrozenBatchNorm2d(8)',
      options: { module: 'torchvision.ops', isPackage: true },
      found: 1,
    },
    {
      name: 'no module path given',
      text: 'from .normalization import LayerNorm\nLayerNorm(8)',
      options: {},
      found: 0,
    },
  ];
  for (const c of cases) {
    it(c.name, async () => {
      assert.equal((await extract(c.text, c.options)).sites.length, c.found);
    });
  }
});

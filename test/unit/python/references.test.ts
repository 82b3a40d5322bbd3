import assert from 'node:assert/strict';
import { extract } from './parse';

interface ReferenceCase {
  readonly name: string;
  readonly text: string;
  /** `variant@line` of each expected site, in order. */
  readonly sites: readonly string[];
  readonly resolvedFrom?: string;
  /** Effective values of the last site's parameters. */
  readonly values?: Readonly<Record<string, number | null>>;
  /** Callee texts listed as unresolved. */
  readonly unresolved?: readonly string[];
}

const cases: readonly ReferenceCase[] = [
  {
    name: 'a norm_layer default parameter',
    text: `import torch.nn as nn
class Block(nn.Module):
    def __init__(self, planes, norm_layer=nn.BatchNorm2d):
        self.bn = norm_layer(planes)`,
    sites: ['BatchNorm2d@3'],
    resolvedFrom: 'norm_layer → nn.BatchNorm2d → torch.nn.BatchNorm2d',
  },
  {
    name: 'the torchvision None-then-assign pattern through self',
    text: `from torch import nn
class ResNet(nn.Module):
    def __init__(self, norm_layer: Optional[Callable[..., nn.Module]] = None):
        if norm_layer is None:
            norm_layer = nn.BatchNorm2d
        self._norm_layer = norm_layer
        self.bn1 = norm_layer(64)
    def _make_layer(self, planes):
        norm_layer = self._norm_layer
        return norm_layer(planes * 4)`,
    sites: ['BatchNorm2d@6', 'BatchNorm2d@9'],
    resolvedFrom:
      'norm_layer → self._norm_layer → norm_layer → nn.BatchNorm2d → torch.nn.BatchNorm2d',
  },
  {
    name: 'functools.partial binds leading arguments',
    text: `import functools
import torch.nn as nn
norm = functools.partial(nn.GroupNorm, 32, eps=1e-6)
layer = norm(256)`,
    sites: ['GroupNorm@3'],
    values: { num_groups: 32, num_channels: 256, eps: 1e-6 },
  },
  {
    name: 'from functools import partial as a default',
    text: `from functools import partial
from torch import nn
def make(c, norm_layer=partial(nn.BatchNorm2d, eps=1e-3, momentum=0.01)):
    return norm_layer(c)`,
    sites: ['BatchNorm2d@3'],
    values: { eps: 1e-3, momentum: 0.01 },
  },
  {
    name: 'a dict lookup with a constant key',
    text: `import torch.nn as nn
NORMS = {"bn": nn.BatchNorm2d, "gn": nn.GroupNorm}
a = NORMS["bn"](16)
b = NORMS[kind](16)`,
    sites: ['BatchNorm2d@2'],
    unresolved: ['NORMS[kind]'],
  },
  {
    name: 'a workspace subclass without its own __init__',
    text: `import torch.nn as nn
class MyBN(nn.BatchNorm2d):
    pass
bn = MyBN(8)`,
    sites: ['BatchNorm2d@3'],
    resolvedFrom: 'MyBN → nn.BatchNorm2d → torch.nn.BatchNorm2d (subclass MyBN)',
    values: { num_features: 8 },
  },
  {
    name: 'a subclass with its own __init__ binds nothing',
    text: `import torch.nn as nn
class MyBN(nn.BatchNorm2d):
    def __init__(self, c, extra):
        super().__init__(c)
bn = MyBN(8, 3)`,
    sites: ['BatchNorm2d@4'],
    values: {},
  },
  {
    name: 'a parameter without a default stays unresolved',
    text: `import torch.nn as nn
def block(c, norm_layer):
    return norm_layer(c)`,
    sites: [],
    unresolved: ['norm_layer'],
  },
  {
    name: 'a star import stays unresolved',
    text: `from torch.nn import *
bn = BatchNorm2d(8)`,
    sites: [],
    unresolved: ['BatchNorm2d'],
  },
  {
    name: 'conflicting values stay unresolved',
    text: `import torch.nn as nn
def make(c, kind):
    norm = nn.BatchNorm2d
    if kind == "gn":
        norm = nn.GroupNorm
    return norm(c)`,
    sites: [],
    unresolved: ['norm'],
  },
  {
    name: 'applying a built module is not a new site',
    text: `import torch.nn as nn
class Net(nn.Module):
    def __init__(self):
        self.bn = nn.BatchNorm2d(8)
    def forward(self, x):
        return self.bn(x)`,
    sites: ['BatchNorm2d@3'],
  },
];

describe('python extraction: references passed as values', () => {
  for (const c of cases) {
    it(c.name, async () => {
      const result = await extract(c.text);
      const found = result.sites.map(
        (s) => `${s.variant}@${s.location.type === 'text' ? s.location.range.start.line : -1}`,
      );
      assert.deepEqual(found, c.sites);
      const last = result.sites.at(-1);
      if (c.resolvedFrom !== undefined) {
        assert.equal(last?.resolvedFrom, c.resolvedFrom);
      }
      if (c.values) {
        const values = Object.fromEntries(
          Object.entries(last?.params ?? {})
            .filter(([name]) => name in (c.values ?? {}))
            .map(([name, param]) => [name, param.value]),
        );
        assert.deepEqual(values, c.values);
      }
      assert.deepEqual(
        result.unresolved.map((u) => u.callee),
        c.unresolved ?? [],
      );
    });
  }
});

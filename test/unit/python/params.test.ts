import assert from 'node:assert/strict';
import type { Param, ParamValue } from '../../../src/core/model';
import { extract } from './parse';

/** Expected effective value and provenance of one parameter. */
interface Expected {
  readonly value: ParamValue;
  readonly source: Param['source'];
  readonly expression?: string;
}

interface ParamCase {
  readonly name: string;
  /** Module-level lines before the call. */
  readonly prelude?: string;
  readonly args: string;
  readonly expected: Readonly<Record<string, Expected>>;
}

const BN_DEFAULTS = {
  eps: { value: 1e-5, source: 'default' },
  momentum: { value: 0.1, source: 'default' },
  affine: { value: true, source: 'default' },
  track_running_stats: { value: true, source: 'default' },
} as const;

const cases: readonly ParamCase[] = [
  {
    name: 'defaults for everything but num_features',
    args: '64',
    expected: { num_features: { value: 64, source: 'literal', expression: '64' }, ...BN_DEFAULTS },
  },
  {
    name: 'all positional',
    args: '32, 1e-3, 0.01, False, False',
    expected: {
      num_features: { value: 32, source: 'literal' },
      eps: { value: 1e-3, source: 'literal', expression: '1e-3' },
      momentum: { value: 0.01, source: 'literal' },
      affine: { value: false, source: 'literal' },
      track_running_stats: { value: false, source: 'literal' },
    },
  },
  {
    name: 'keywords in any order',
    args: 'track_running_stats=False, num_features=16, momentum=None',
    expected: {
      num_features: { value: 16, source: 'literal' },
      momentum: { value: null, source: 'literal', expression: 'None' },
      track_running_stats: { value: false, source: 'literal' },
      eps: { value: 1e-5, source: 'default' },
    },
  },
  {
    name: 'a module constant',
    prelude: 'CHANNELS = 128',
    args: 'CHANNELS',
    expected: { num_features: { value: 128, source: 'constant', expression: 'CHANNELS' } },
  },
  {
    name: 'a chain of constants and arithmetic',
    prelude: 'BASE = 16\nWIDTH = BASE * 4',
    args: 'WIDTH // 2 + 1, eps=-(-1e-3)',
    expected: {
      num_features: { value: 33, source: 'constant', expression: 'WIDTH // 2 + 1' },
      eps: { value: 1e-3, source: 'literal' },
    },
  },
  {
    name: 'underscores and hexadecimal literals',
    args: '1_024, eps=0x1p-3 if False else 1e-5',
    expected: {
      num_features: { value: 1024, source: 'literal' },
      eps: { value: null, source: 'unknown', expression: '0x1p-3 if False else 1e-5' },
    },
  },
  {
    name: 'a constant assigned twice is not constant',
    prelude: 'C = 8\nC = 16',
    args: 'C',
    expected: { num_features: { value: null, source: 'unknown', expression: 'C' } },
  },
  {
    name: 'a local variable stays unknown',
    args: 'self.planes * block.expansion',
    expected: {
      num_features: { value: null, source: 'unknown', expression: 'self.planes * block.expansion' },
    },
  },
  {
    name: 'a **kwargs splat makes unwritten parameters unknown',
    args: '64, **norm_kwargs',
    expected: {
      num_features: { value: 64, source: 'literal' },
      eps: { value: null, source: 'unknown', expression: '**norm_kwargs' },
    },
  },
  {
    name: 'a *args splat makes later positional parameters unknown',
    args: '*shape, eps=1e-3',
    expected: {
      num_features: { value: null, source: 'unknown', expression: '*shape' },
      eps: { value: 1e-3, source: 'literal' },
    },
  },
];

describe('python extraction: BatchNorm arguments', () => {
  for (const c of cases) {
    it(c.name, async () => {
      const text = `import torch.nn as nn\n${c.prelude ?? ''}\nbn = nn.BatchNorm2d(${c.args})\n`;
      const [site] = (await extract(text)).sites;
      assert.ok(site);
      for (const [name, expected] of Object.entries(c.expected)) {
        const param: Param | undefined = site.params[name];
        assert.ok(param, `missing ${name}`);
        assert.equal(param.value, expected.value, name);
        assert.equal(param.source, expected.source, name);
        if (expected.expression !== undefined) {
          assert.equal(param.expression, expected.expression, name);
        }
      }
    });
  }

  it('points a constant-folded value at the constant definition', async () => {
    const text = 'import torch.nn as nn\nC = 8\nbn = nn.BatchNorm1d(C)\n';
    const [site] = (await extract(text)).sites;
    assert.deepEqual(site?.params['num_features']?.origin, {
      start: { line: 1, character: 0 },
      end: { line: 1, character: 5 },
    });
  });

  it('points a literal at the argument value', async () => {
    const line = 'bn = nn.BatchNorm1d(8, eps=1e-3)';
    const [site] = (await extract(`import torch.nn as nn\n${line}\n`)).sites;
    const start = line.indexOf('1e-3');
    assert.deepEqual(site?.params['eps']?.origin, {
      start: { line: 1, character: start },
      end: { line: 1, character: start + '1e-3'.length },
    });
  });

  it('omits the version-dependent keyword-only bias unless written', async () => {
    const text =
      'import torch.nn as nn\na = nn.BatchNorm2d(8)\nb = nn.BatchNorm2d(8, bias=False)\n';
    const [a, b] = (await extract(text)).sites;
    assert.equal(a?.params['bias'], undefined);
    assert.equal(b?.params['bias']?.value, false);
  });
});

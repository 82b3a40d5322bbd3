// PyTorch positional order and defaults, checked against the real signatures of torch 1.13
// (dumped by torch-signatures.py). Parameters the descriptors mark as newer (`since: 'torch 2.x'`)
// must be exactly the ones 1.13 lacks.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { descriptorOf, variantInfo, variantSpec, DESCRIPTORS } from '../../../src/core/index';
import type { ParamSpec } from '../../../src/core/index';

interface TorchParam {
  readonly name: string;
  readonly keywordOnly: boolean;
  readonly required?: boolean;
  readonly default?: unknown;
}
const dump = JSON.parse(
  readFileSync(new URL('./torch-signatures.json', import.meta.url), 'utf8'),
) as {
  torch: string;
  signatures: Record<string, TorchParam[]>;
};

const newerThan113 = (p: ParamSpec): boolean => p.since?.startsWith('torch 2') === true;

describe(`PyTorch signatures match torch ${dump.torch}`, () => {
  for (const [name, real] of Object.entries(dump.signatures)) {
    it(name, () => {
      const spec = variantSpec(name, 'pytorch');
      assert.ok(spec, `${name} is not a known variant`);
      const ours = spec.params.filter((p) => !newerThan113(p));
      assert.deepEqual(
        ours.map((p) => ({
          name: p.name,
          keywordOnly: p.keywordOnly === true,
          default: p.defaults.pytorch,
        })),
        real.map((p) => ({
          name: p.name,
          keywordOnly: p.keywordOnly,
          default: p.required === true ? undefined : p.default,
        })),
      );
      // Positions in 1.13 are the order of the positional parameters that existed then.
      const positions = ours.filter((p) => p.keywordOnly !== true).map((p) => p.name);
      assert.deepEqual(
        positions,
        real.filter((p) => !p.keywordOnly).map((p) => p.name),
      );
    });
  }

  it('every PyTorch variant without a version note exists in 1.13', () => {
    const missing = DESCRIPTORS.flatMap((d) => d.variants)
      .filter(
        (v) =>
          v.framework === 'pytorch' &&
          v.since === undefined &&
          dump.signatures[v.name] === undefined,
      )
      .map((v) => v.name);
    assert.deepEqual(missing, []);
  });

  it('variants marked torch 2.4 (RMSNorm) are absent from 1.13', () => {
    for (const name of ['RMSNorm', 'F.rms_norm', 'torch.rms_norm']) {
      assert.equal(variantSpec(name)?.since, 'torch 2.4');
      assert.equal(dump.signatures[name], undefined);
    }
  });
});

describe('positional order and version notes from the torch 2.13 reference', () => {
  const position = (variant: string, param: string): number | undefined =>
    descriptorOf(variantInfo(variant)?.kind ?? 'other')
      .params(variant, 'pytorch')
      .find((p) => p.name === param)?.position;
  const cases = [
    { variant: 'GroupNorm', param: 'num_groups', position: 0 },
    { variant: 'GroupNorm', param: 'num_channels', position: 1 },
    { variant: 'LayerNorm', param: 'bias', position: 3 },
    { variant: 'LayerNorm', param: 'device', position: 4 },
    { variant: 'BatchNorm2d', param: 'bias', position: undefined },
    { variant: 'SyncBatchNorm', param: 'process_group', position: 5 },
    { variant: 'RMSNorm', param: 'eps', position: 1 },
    { variant: 'F.batch_norm', param: 'training', position: 5 },
  ];
  for (const c of cases) {
    it(`${c.variant}.${c.param} is at ${String(c.position)}`, () => {
      assert.equal(position(c.variant, c.param), c.position);
    });
  }

  it('keyword-only bias= on BatchNorm, InstanceNorm and GroupNorm is marked as new', () => {
    for (const name of [
      'BatchNorm2d',
      'SyncBatchNorm',
      'LazyBatchNorm1d',
      'InstanceNorm2d',
      'GroupNorm',
    ]) {
      const bias = variantSpec(name)?.params.find((p) => p.name === 'bias');
      assert.equal(bias?.keywordOnly, true, name);
      assert.equal(bias?.since, 'torch 2.13', name);
    }
  });

  it('LayerNorm bias= is positional and new in torch 2.1', () => {
    assert.equal(
      variantSpec('LayerNorm')?.params.find((p) => p.name === 'bias')?.since,
      'torch 2.1',
    );
  });

  it('RMSNorm eps defaults to None and explains its history', () => {
    const eps = variantSpec('RMSNorm')?.params.find((p) => p.name === 'eps');
    assert.equal(eps?.defaults.pytorch, null);
    assert.match(eps?.convention ?? '', /#142848/);
  });

  it('InstanceNorm defaults differ from BatchNorm; LazyInstanceNorm really defaults to True', () => {
    const defaults = (name: string): unknown[] =>
      ['affine', 'track_running_stats'].map(
        (n) => variantSpec(name)?.params.find((p) => p.name === n)?.defaults.pytorch,
      );
    assert.deepEqual(defaults('InstanceNorm2d'), [false, false]);
    assert.deepEqual(defaults('BatchNorm2d'), [true, true]);
    assert.deepEqual(defaults('LazyInstanceNorm2d'), [true, true]);
  });
});

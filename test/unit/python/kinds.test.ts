import assert from 'node:assert/strict';
import type { NormKind, ParamValue } from '../../../src/core/model';
import { extract } from './parse';

interface KindCase {
  readonly call: string;
  readonly kind: NormKind;
  readonly variant: string;
  /** Effective values of a few parameters, as PyTorch would bind them. */
  readonly values: Readonly<Record<string, ParamValue>>;
}

const HEADER = [
  'import torch',
  'import torch.nn as nn',
  'import torch.nn.functional as F',
  'import torchvision',
  'from torchvision.ops import misc as misc_nn_ops',
].join('\n');

const cases: readonly KindCase[] = [
  {
    call: 'nn.LazyBatchNorm2d(1e-3)',
    kind: 'batchnorm',
    variant: 'LazyBatchNorm2d',
    values: { eps: 1e-3, momentum: 0.1 },
  },
  {
    call: 'nn.SyncBatchNorm(64, 1e-3, 0.01, True, True, pg)',
    kind: 'batchnorm',
    variant: 'SyncBatchNorm',
    values: { num_features: 64, momentum: 0.01, process_group: null },
  },
  {
    call: 'nn.InstanceNorm2d(16)',
    kind: 'instancenorm',
    variant: 'InstanceNorm2d',
    values: { num_features: 16, affine: false, track_running_stats: false },
  },
  {
    call: 'nn.LazyInstanceNorm3d(affine=True)',
    kind: 'instancenorm',
    variant: 'LazyInstanceNorm3d',
    values: { affine: true, track_running_stats: false },
  },
  {
    call: 'nn.GroupNorm(32, 256)',
    kind: 'groupnorm',
    variant: 'GroupNorm',
    values: { num_groups: 32, num_channels: 256, eps: 1e-5, affine: true },
  },
  {
    call: 'nn.LayerNorm((8, 8), 1e-6, False, False)',
    kind: 'layernorm',
    variant: 'LayerNorm',
    values: { eps: 1e-6, elementwise_affine: false, bias: false },
  },
  {
    call: 'nn.RMSNorm(512)',
    kind: 'rmsnorm',
    variant: 'RMSNorm',
    values: { normalized_shape: 512, eps: null, elementwise_affine: true },
  },
  {
    call: 'nn.LocalResponseNorm(5)',
    kind: 'lrn',
    variant: 'LocalResponseNorm',
    values: { size: 5, alpha: 1e-4, beta: 0.75, k: 1 },
  },
  {
    call: 'nn.CrossMapLRN2d(3, k=2)',
    kind: 'lrn',
    variant: 'CrossMapLRN2d',
    values: { size: 3, k: 2 },
  },
  {
    call: 'torchvision.ops.FrozenBatchNorm2d(64)',
    kind: 'batchnorm',
    variant: 'FrozenBatchNorm2d',
    values: { num_features: 64, eps: 1e-5 },
  },
  {
    call: 'misc_nn_ops.FrozenBatchNorm2d(64, eps=0.0)',
    kind: 'batchnorm',
    variant: 'FrozenBatchNorm2d',
    values: { eps: 0 },
  },
  {
    call: 'torch.nn.modules.normalization.GroupNorm(4, 8)',
    kind: 'groupnorm',
    variant: 'GroupNorm',
    values: { num_groups: 4 },
  },
  {
    call: 'F.batch_norm(x, rm, rv, training=True)',
    kind: 'batchnorm',
    variant: 'F.batch_norm',
    values: { training: true, momentum: 0.1, eps: 1e-5 },
  },
  {
    call: 'F.instance_norm(x)',
    kind: 'instancenorm',
    variant: 'F.instance_norm',
    values: { use_input_stats: true, eps: 1e-5 },
  },
  {
    call: 'F.layer_norm(x, (64,), eps=1e-6)',
    kind: 'layernorm',
    variant: 'F.layer_norm',
    values: { eps: 1e-6 },
  },
  {
    call: 'F.group_norm(x, 8)',
    kind: 'groupnorm',
    variant: 'F.group_norm',
    values: { num_groups: 8, eps: 1e-5 },
  },
  { call: 'F.rms_norm(x, [512])', kind: 'rmsnorm', variant: 'F.rms_norm', values: { eps: null } },
  {
    call: 'F.local_response_norm(x, 2)',
    kind: 'lrn',
    variant: 'F.local_response_norm',
    values: { size: 2, k: 1 },
  },
  {
    call: 'torch.batch_norm(x, w, b, rm, rv, False, 0.2, 1e-3, True)',
    kind: 'batchnorm',
    variant: 'torch.batch_norm',
    values: { training: false, momentum: 0.2, eps: 1e-3 },
  },
  {
    call: 'torch.group_norm(x, 4)',
    kind: 'groupnorm',
    variant: 'torch.group_norm',
    values: { num_groups: 4, eps: 1e-5 },
  },
  {
    call: 'torch.layer_norm(x, [4])',
    kind: 'layernorm',
    variant: 'torch.layer_norm',
    values: { eps: 1e-5 },
  },
  {
    call: 'torch.instance_norm(x, w, b, rm, rv, True, 0.1, 1e-5, False)',
    kind: 'instancenorm',
    variant: 'torch.instance_norm',
    values: { use_input_stats: true },
  },
];

describe('python extraction: every norm kind', () => {
  for (const c of cases) {
    it(c.call, async () => {
      const { sites } = await extract(`${HEADER}\ny = ${c.call}\n`);
      assert.equal(sites.length, 1);
      const [site] = sites;
      assert.equal(site?.kind, c.kind);
      assert.equal(site?.variant, c.variant);
      for (const [name, value] of Object.entries(c.values)) {
        assert.deepEqual(site?.params[name]?.value, value, name);
      }
    });
  }

  it('folds a tuple shape to a list of numbers', async () => {
    const { sites } = await extract(`${HEADER}\nC = 8\ny = nn.LayerNorm((C, 2 * C))\n`);
    assert.deepEqual(sites[0]?.params['normalized_shape']?.value, [8, 16]);
  });
});

// Bad arguments raise KernelArgumentError with PyTorch-like messages.

import assert from 'node:assert/strict';
import { KernelArgumentError, loadKernels, type Kernels } from '../../../src/core/kernels/index';
import { randomTensor } from './helpers';

function throwsKernelError(run: () => unknown, code: string, message: string | RegExp): void {
  assert.throws(run, (error: unknown) => {
    assert.ok(error instanceof KernelArgumentError, String(error));
    assert.equal(error.code, code);
    if (typeof message === 'string') {
      assert.equal(error.message, message);
    } else {
      assert.match(error.message, message);
    }
    return true;
  });
}

describe('kernels: argument errors', () => {
  let kernels: Kernels;
  before(async () => {
    kernels = await loadKernels();
  });
  const x = randomTensor([2, 6, 3, 3], 1);
  const running = { runningMean: new Float32Array(6), runningVar: new Float32Array(6).fill(1) };

  it('C not divisible by G', () => {
    throwsKernelError(
      () => kernels.groupNorm(x, { numGroups: 4, eps: 1e-5 }),
      'groups-not-divisible',
      'Expected number of channels in input to be divisible by num_groups, but got input of shape [2, 6, 3, 3] and num_groups=4',
    );
  });

  it('GroupNorm weight of the wrong size', () => {
    throwsKernelError(
      () => kernels.groupNorm(x, { numGroups: 3, eps: 1e-5, gamma: new Float32Array(8) }),
      'shape-mismatch',
      'Expected weight to be a vector of size equal to the number of channels in input, but got weight of shape [8] and input of shape [2, 6, 3, 3]',
    );
  });

  it('eps = 0 in BatchNorm training', () => {
    throwsKernelError(
      () => kernels.batchNormTrain(x, { eps: 0, momentum: 0.1, convention: 'pytorch', ...running }),
      'invalid-eps',
      'batch_norm eps must be positive during training, but got 0.0',
    );
  });

  it('eps ≤ 0 in the other norms; negative eps in BatchNorm inference', () => {
    throwsKernelError(
      () => kernels.layerNorm(x, { eps: 0 }),
      'invalid-eps',
      'layer_norm eps must be positive, but got 0.0',
    );
    throwsKernelError(
      () => kernels.groupNorm(x, { numGroups: 3, eps: -1e-5 }),
      'invalid-eps',
      'group_norm eps must be positive, but got -1e-05',
    );
    throwsKernelError(
      () => kernels.instanceNorm(x, { eps: 0 }),
      'invalid-eps',
      /instance_norm eps must be positive/,
    );
    throwsKernelError(
      () => kernels.rmsNorm(x, { eps: 0 }),
      'invalid-eps',
      /rms_norm eps must be positive/,
    );
    throwsKernelError(
      () => kernels.batchNormInfer(x, { eps: -1, ...running }),
      'invalid-eps',
      'batch_norm eps must be non-negative, but got -1.0',
    );
  });

  it('running statistics of the wrong size', () => {
    throwsKernelError(
      () =>
        kernels.batchNormInfer(x, {
          eps: 1e-5,
          runningMean: new Float32Array(3),
          runningVar: new Float32Array(6),
        }),
      'shape-mismatch',
      'running_mean should contain 6 elements not 3',
    );
  });

  it('one value per channel in PyTorch-convention training (batch 1, 1×1 spatial)', () => {
    throwsKernelError(
      () =>
        kernels.batchNormTrain(randomTensor([1, 4, 1, 1], 2), {
          eps: 1e-5,
          momentum: 0.1,
          convention: 'pytorch',
          runningMean: new Float32Array(4),
          runningVar: new Float32Array(4),
        }),
      'too-few-values',
      'Expected more than 1 value per channel when training, got input size torch.Size([1, 4, 1, 1])',
    );
  });

  it('LayerNorm and RMSNorm normalized_shape mismatch', () => {
    const y = randomTensor([2, 5, 8], 3);
    throwsKernelError(
      () => kernels.layerNorm(y, { normalizedShape: [10], eps: 1e-5 }),
      'shape-mismatch',
      'Given normalized_shape=[10], expected input with shape [*, 10], but got input of size[2, 5, 8]',
    );
    throwsKernelError(
      () => kernels.rmsNorm(y, { normalizedShape: [10] }),
      'shape-mismatch',
      'Given normalized_shape=[10], expected input with shape [*10], but got input of size[2, 5, 8]',
    );
  });

  it('data length that does not match the shape, and bad axes', () => {
    throwsKernelError(
      () => kernels.moments({ data: new Float32Array(5), shape: [2, 3] }, [0]),
      'shape-mismatch',
      /needs 6 elements/,
    );
    throwsKernelError(
      () => kernels.moments(x, [4]),
      'invalid-argument',
      'Dimension out of range (expected to be in range of [-4, 3], but got 4)',
    );
    throwsKernelError(
      () => kernels.moments(x, [1, -3]),
      'invalid-argument',
      'dim 1 appears multiple times in the list of dims',
    );
  });

  it('LRN rank checks', () => {
    throwsKernelError(
      () => kernels.lrn(randomTensor([2, 3], 4), { convention: 'pytorch', size: 3 }),
      'rank',
      'Expected 3D or higher dimensionality input (got 2 dimensions)',
    );
    throwsKernelError(
      () => kernels.lrn(randomTensor([2, 3], 4), { convention: 'tf' }),
      'rank',
      /must be rank 3 or 4/,
    );
  });
});

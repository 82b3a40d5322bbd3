import type { HealthIssue, TensorHealth, WeightHealth } from '../../../src/core/index';
import { deadGamma } from '../../../src/core/rules/dead-gamma';
import { runningVarInvalid } from '../../../src/core/rules/running-var-invalid';
import { onnxSite } from '../helpers/sites';
import { describeRule } from './cases';

const bn = onnxSite('BatchNormalization', {});
const ln = onnxSite('LayerNormalization', {});

function tensor(role: TensorHealth['role'], name: string, channels: number): TensorHealth {
  return {
    role,
    name,
    dtype: 'float',
    shape: [channels],
    summary: {} as TensorHealth['summary'],
    mean: 0,
    std: 1,
    histogram: { edges: new Float64Array(0), counts: new Uint32Array(0), below: 0, above: 0 },
  };
}

function issue(
  kind: HealthIssue['kind'],
  channels: readonly number[],
  message: string = kind,
): HealthIssue {
  return {
    kind,
    role: kind === 'dead-gamma' ? 'scale' : 'var',
    tensor: kind === 'dead-gamma' ? 'g' : 'v',
    message,
    channels,
  };
}

const weights = (...issues: HealthIssue[]): { weights: WeightHealth } => ({
  weights: { tensors: [tensor('scale', 'g', 8), tensor('var', 'v', 8)], issues },
});

describeRule(runningVarInvalid, [
  {
    name: 'negative running variance',
    site: bn,
    inputs: weights(
      issue(
        'running-var-invalid',
        [3],
        'running_var has 1 negative and 0 NaN/Inf values (channels 3)',
      ),
    ),
    expect: ['error'],
    messageHas: ['channels 3', 'NaN'],
  },
  {
    name: 'NaN running mean',
    site: bn,
    inputs: weights(issue('running-mean-invalid', [0])),
    expect: ['error'],
  },
  {
    name: 'near-zero variance',
    site: bn,
    inputs: weights(issue('running-var-near-zero', [1, 2])),
    expect: ['warning'],
    messageHas: ['fp16'],
  },
  {
    name: 'statistics never updated',
    site: bn,
    inputs: weights(issue('stats-at-init', [])),
    expect: ['warning'],
  },
  {
    name: 'fp16 storage alone is not this rule',
    site: bn,
    inputs: weights(issue('low-precision-storage', [])),
    expect: [],
  },
  { name: 'healthy weights', site: bn, inputs: weights(), expect: [] },
  { name: 'no weights read', site: bn, expect: [] },
]);

describeRule(deadGamma, [
  {
    name: 'two of eight channels with γ ≈ 0',
    site: bn,
    inputs: weights(
      issue('dead-gamma', [1, 5], 'γ is ≈ 0 in 2 of 8 channels (25.0%; channels 1, 5)'),
    ),
    expect: ['info'],
    messageHas: ['2 of 8 channels (25.0%', 'prune'],
  },
  {
    name: 'LayerNorm γ too',
    site: ln,
    inputs: weights(issue('dead-gamma', [1])),
    expect: ['info'],
  },
  {
    name: 'zero-initialized γ of a residual block’s last BatchNorm (every channel 0) is exempt',
    site: bn,
    inputs: weights(issue('dead-gamma', [0, 1, 2, 3, 4, 5, 6, 7])),
    expect: [],
  },
  {
    name: 'an untrained layer (statistics at init) is exempt',
    site: bn,
    inputs: weights(issue('dead-gamma', [1]), issue('stats-at-init', [])),
    expect: [],
  },
  { name: 'no weights read', site: bn, expect: [] },
]);

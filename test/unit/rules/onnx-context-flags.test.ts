/**
 * The ONNX site context the producer-bias and computed-statistics rules read, detected from real
 * models: a Conv's bias input (bias-before-bn in training graphs) and a BatchNormalization whose
 * mean comes from a ReduceMean (bn-no-running-stats-at-inference).
 */
import assert from 'node:assert/strict';
import { detectNormSites, runRules, type OnnxNormSite } from '../../../src/core/index';
import { tensor } from '../onnx/builder';
import { readSpec } from '../onnx/helpers';
import { batchNorm, modelOf } from '../onnx/patterns';

const weights = tensor('w', [8, 8, 1, 1], new Array<number>(64).fill(0.1));
const conv = (withBias: boolean) => ({
  nodes: [
    { op: 'Conv', name: 'conv', inputs: withBias ? ['x', 'w', 'b'] : ['x', 'w'], outputs: ['h'] },
  ],
  initializers: [weights, tensor('b', [8], new Array<number>(8).fill(0.2))],
});

async function sitesOf(...parts: Parameters<typeof modelOf>[1][]): Promise<OnnxNormSite[]> {
  return detectNormSites(await readSpec(modelOf(15, ...parts)));
}

const rulesOf = (sites: readonly OnnxNormSite[]) =>
  runRules(sites, { batchSizes: [] }).findings.map((f) => f.rule);

describe('ONNX site context for the producer-bias and computed-statistics rules', () => {
  it('a Conv with a bias input feeding a training-mode BatchNormalization', async () => {
    const sites = await sitesOf(conv(true), batchNorm('h', 'y', 8, { training_mode: { i: 1 } }));
    const bn = sites.find((s) => s.kind === 'batchnorm');
    assert.equal(bn?.context.producer?.hasBias, true);
    assert.ok(rulesOf(sites).includes('bias-before-bn'));
  });

  it('a Conv without a bias input', async () => {
    const sites = await sitesOf(conv(false), batchNorm('h', 'y', 8, { training_mode: { i: 1 } }));
    assert.equal(sites.find((s) => s.kind === 'batchnorm')?.context.producer?.hasBias, false);
    assert.ok(!rulesOf(sites).includes('bias-before-bn'));
  });

  it('a BatchNormalization whose mean is a ReduceMean of its input', async () => {
    const fragment = batchNorm('x', 'y', 8);
    const computed = {
      nodes: [
        { op: 'ReduceMean', name: 'batch_mean', inputs: ['x'], outputs: ['m'] },
        ...fragment.nodes.map((n) => ({
          ...n,
          inputs: n.inputs.map((i) => (i === 'bn.running_mean' ? 'm' : i)),
        })),
      ],
      initializers: fragment.initializers,
    };
    const sites = await sitesOf(computed);
    const bn = sites.find((s) => s.kind === 'batchnorm');
    assert.equal(bn?.context.statsComputedBy, 'batch_mean');
    assert.ok(rulesOf(sites).includes('bn-no-running-stats-at-inference'));
  });

  it('constant running statistics are not computed', async () => {
    const sites = await sitesOf(batchNorm('x', 'y', 8));
    assert.equal(sites.find((s) => s.kind === 'batchnorm')?.context.statsComputedBy, undefined);
    assert.ok(!rulesOf(sites).includes('bn-no-running-stats-at-inference'));
  });
});

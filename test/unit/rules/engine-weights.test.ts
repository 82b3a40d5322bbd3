import assert from 'node:assert/strict';
import { needsWeights, runRules, weightHealthOptions, type Rule } from '../../../src/core/index';
import { onnxSite, withBatches } from '../helpers/sites';

describe('rule engine: per-site inputs', () => {
  const site = onnxSite('BatchNormalization', {});
  const probe: Rule = {
    id: 'weights-probe',
    catalogId: 'TEST',
    title: 'Probe',
    defaultSeverity: 'info',
    appliesTo: ['onnx'],
    thresholds: [],
    needs: 'weights',
    check: (_s, _c, _t, inputs) =>
      inputs?.weights ? [{ message: `${inputs.weights.issues.length} issues` }] : [],
  };

  it('passes each site its inputs', () => {
    const { findings } = runRules([site], withBatches(), {}, [probe], () => ({
      weights: { tensors: [], issues: [] },
    }));
    assert.deepEqual(
      findings.map((f) => f.message),
      ['0 issues'],
    );
  });

  it('says whether any enabled rule reads weights', () => {
    assert.equal(needsWeights({}, [probe]), true);
    assert.equal(needsWeights({ 'weights-probe': { severity: 'off' } }, [probe]), false);
  });

  it('turns the dead-gamma thresholds into weight-health options', () => {
    assert.deepEqual(weightHealthOptions(), { deadGammaRelative: 1e-3, deadGammaAbsolute: 1e-4 });
    assert.deepEqual(weightHealthOptions({ 'dead-gamma': { thresholds: { relative: 0.01 } } }), {
      deadGammaRelative: 0.01,
      deadGammaAbsolute: 1e-4,
    });
  });
});

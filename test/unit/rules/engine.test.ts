import assert from 'node:assert/strict';
import { runRules, type NormSite, type Rule } from '../../../src/core/index';
import { literal, pytorchSite, withBatches } from '../helpers/sites';

const site = pytorchSite('BatchNorm2d', { num_features: literal(64) });

/** A stand-in rule that reports its threshold, or throws when asked to. */
const probe: Rule = {
  id: 'probe',
  catalogId: 'TEST',
  title: 'Probe',
  defaultSeverity: 'warning',
  appliesTo: ['pytorch'],
  thresholds: [{ name: 'limit', default: 3, description: 'test' }],
  check(s: NormSite, _context, thresholds) {
    if (s.variant === 'Boom') {
      throw new Error('boom');
    }
    return [{ message: `limit ${thresholds['limit']}` }];
  },
};

describe('rule engine', () => {
  it('uses the rule default severity and thresholds', () => {
    const { findings } = runRules([site], withBatches(), {}, [probe]);
    assert.deepEqual(
      findings.map((f) => [f.rule, f.severity, f.message]),
      [['probe', 'warning', 'limit 3']],
    );
    assert.deepEqual(findings[0]?.location, site.location);
  });

  it('applies configured severity and thresholds', () => {
    const { findings } = runRules(
      [site],
      withBatches(),
      { probe: { severity: 'error', thresholds: { limit: 9 } } },
      [probe],
    );
    assert.deepEqual(
      findings.map((f) => [f.severity, f.message]),
      [['error', 'limit 9']],
    );
  });

  it('skips a rule that is off', () => {
    assert.equal(
      runRules([site], withBatches(), { probe: { severity: 'off' } }, [probe]).findings.length,
      0,
    );
  });

  it('skips sites of other frameworks', () => {
    const onnx: NormSite = { ...site, framework: 'onnx' };
    assert.equal(runRules([onnx], withBatches(), {}, [probe]).findings.length, 0);
  });

  it('reports a throwing rule as an error and keeps going', () => {
    const boom = pytorchSite('Boom', {});
    const { findings, errors } = runRules([boom, site], withBatches(), {}, [probe]);
    assert.equal(findings.length, 1);
    assert.match(errors[0]?.message ?? '', /rule probe failed: Error: boom/);
  });
});

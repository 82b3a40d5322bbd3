import assert from 'node:assert/strict';
import { isHostToPanel, isPanelToHost, parsePanelPreset } from '../../src/core/index';

describe('panel protocol', () => {
  const presets: readonly [string, unknown, unknown][] = [
    [
      'a full preset',
      { kind: 'batchnorm', variant: 'BatchNorm2d', channels: 64, batch: 2, eps: 1e-5 },
      { kind: 'batchnorm', variant: 'BatchNorm2d', channels: 64, batch: 2, eps: 1e-5 },
    ],
    ['not an object', 'batchnorm', {}],
    ['null', null, {}],
    ['an unknown kind', { kind: '<img src=x onerror=alert(1)>' }, {}],
    ['absurd channels', { channels: 1e9, batch: -1 }, {}],
    ['fractional sizes', { channels: 2.5, batch: 1.5 }, {}],
    ['a negative eps', { eps: -1 }, {}],
    ['a long variant', { variant: 'x'.repeat(101) }, {}],
  ];
  for (const [name, input, expected] of presets) {
    it(`parses ${name}`, () => assert.deepEqual(parsePanelPreset(input), expected));
  }

  it('accepts only well-formed messages', () => {
    assert.ok(isPanelToHost({ type: 'ready' }));
    assert.ok(isPanelToHost({ type: 'error', message: 'x' }));
    assert.ok(!isPanelToHost({ type: 'error' }));
    assert.ok(!isPanelToHost({ type: 'eval', code: '1' }));
    assert.ok(!isPanelToHost(undefined));
    assert.ok(isHostToPanel({ type: 'init', preset: {} }));
    assert.ok(!isHostToPanel({ type: 'ready' }));
  });
});

import assert from 'node:assert/strict';
import {
  MAX_LAYER_VALUES,
  isHostToPanel,
  isPanelToHost,
  parseHostToPanel,
  parseLayerWeights,
  parsePanelPreset,
} from '../../src/core/index';

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

describe('layerWeights messages', () => {
  const tensor = (role: string, values: unknown, extra: object = {}): object => ({
    role,
    name: `${role}_t`,
    shape: [3],
    values,
    ...extra,
  });
  const layer = {
    name: '<img src=x onerror=alert(1)>',
    opType: 'BatchNormalization',
    kind: 'batchnorm',
    attributes: { epsilon: 1e-5, momentum: 0.9, bad: { nested: true } },
    tensors: [
      tensor('scale', Float32Array.of(1, 0, 2)),
      tensor('var', [1, null, -1], { dtype: 'float16', totalCount: 10 }),
      tensor('unknown-role', [1, 2, 3]),
    ],
    issues: [
      {
        kind: 'running-var-invalid',
        role: 'var',
        message: '1 negative value',
        channels: [2, -1, 0.5],
      },
      { kind: 'x', role: 'var' },
    ],
  };

  it('keeps names as given (the panel renders them as text) and drops malformed parts', () => {
    const message = parseHostToPanel({ type: 'layerWeights', layer });
    assert.ok(message?.type === 'layerWeights');
    const parsed = message.layer;
    assert.equal(parsed.name, layer.name);
    assert.equal(parsed.kind, 'batchnorm');
    assert.deepEqual(parsed.attributes, { epsilon: 1e-5, momentum: 0.9 });
    assert.deepEqual(
      parsed.tensors.map((t) => t.role),
      ['scale', 'var'],
    );
    assert.deepEqual(Array.from(parsed.tensors[0]?.values ?? []), [1, 0, 2]);
    // JSON's null (a NaN on the host) stays NaN, not 0.
    const variance = parsed.tensors[1];
    assert.ok(variance && Number.isNaN(variance.values[1]));
    assert.equal(variance?.totalCount, 10);
    assert.equal(variance?.dtype, 'float16');
    assert.deepEqual(parsed.issues, [
      { kind: 'running-var-invalid', role: 'var', message: '1 negative value', channels: [2] },
    ]);
  });

  it('caps sizes and rejects layers without tensors', () => {
    const huge = { ...layer, tensors: [tensor('scale', new Float32Array(MAX_LAYER_VALUES + 1))] };
    assert.equal(parseLayerWeights(huge), undefined);
    assert.equal(parseLayerWeights({ ...layer, tensors: [] }), undefined);
    assert.equal(parseLayerWeights({ ...layer, name: 7 }), undefined);
    const long = parseLayerWeights({ ...layer, name: 'n'.repeat(500) });
    assert.equal(long?.name.length, 200);
    assert.ok(!isHostToPanel({ type: 'layerWeights', layer: {} }));
    assert.ok(isHostToPanel({ type: 'layerWeights', layer }));
  });
});

import assert from 'node:assert/strict';
import {
  describeProvenance,
  formatNumber,
  formatValue,
  JsonNameIndex,
  LineIndex,
} from '../../src/core/index';

describe('value formatting', () => {
  const numbers: readonly [number, string][] = [
    [1e-5, '1e-5'],
    [9.999999747378752e-6, '9.999999747378752e-6'],
    [0.1, '0.1'],
    [0.99, '0.99'],
    [64, '64'],
    [1e-12, '1e-12'],
    [2.5e-7, '2.5e-7'],
    [2500000, '2500000'],
    [0, '0'],
  ];
  for (const [value, text] of numbers) {
    it(`formats ${value} as ${text}`, () => assert.equal(formatNumber(value), text));
  }

  it('writes values in the framework’s language', () => {
    assert.equal(formatValue(true, 'pytorch'), 'True');
    assert.equal(formatValue(null, 'pytorch'), 'None');
    assert.equal(formatValue(false, 'tfjs'), 'false');
    assert.equal(formatValue([1, 2], 'onnx'), '[1, 2]');
    assert.equal(formatValue('NCHW', 'onnx'), '"NCHW"');
  });

  it('describes provenance', () => {
    const origin = { start: { line: 2, character: 0 }, end: { line: 2, character: 5 } };
    assert.equal(describeProvenance({ value: 1, source: 'literal' }), 'written here');
    assert.equal(describeProvenance({ value: 1, source: 'default' }), 'default');
    assert.equal(
      describeProvenance({ value: 2, source: 'constant', expression: 'BATCH', origin }),
      'constant BATCH (line 3)',
    );
    assert.equal(
      describeProvenance({ value: null, source: 'unknown', expression: 'f(x)' }),
      'not resolved: `f(x)`',
    );
  });
});

describe('LineIndex', () => {
  const index = new LineIndex('ab\ncdé\n\nx');
  it('maps positions to offsets and slices ranges', () => {
    assert.equal(index.offsetAt({ line: 1, character: 2 }), 5);
    assert.equal(
      index.slice({ start: { line: 1, character: 0 }, end: { line: 1, character: 3 } }),
      'cdé',
    );
    assert.equal(index.offsetAt({ line: 9, character: 0 }), 8);
    assert.equal(index.offsetAt({ line: 3, character: 99 }), 9);
  });
});

describe('JsonNameIndex', () => {
  const text =
    '{"layers": [\n  {"class_name": "Conv2D", "config": {"name": "conv"}},\n  {"class_name": "BatchNormalization", "config": {"name" : "bn/1\\"x"}}\n]}';
  const index = new JsonNameIndex(text);
  it('finds the quoted name of a layer', () => {
    assert.deepEqual(index.rangeOf('conv'), {
      start: { line: 1, character: 46 },
      end: { line: 1, character: 52 },
    });
    assert.deepEqual(index.rangeOf('bn/1"x'), {
      start: { line: 2, character: 59 },
      end: { line: 2, character: 68 },
    });
    assert.equal(index.rangeOf('missing'), undefined);
  });
  it('maps graph locations and offsets', () => {
    assert.deepEqual(index.rangeOfLocation({ type: 'graph', nodes: ['conv', 'bn'] })?.start, {
      line: 1,
      character: 46,
    });
    assert.equal(new LineIndex('ab\ncd').positionAt(4).character, 1);
  });
});

import assert from 'node:assert/strict';
import { onnx } from 'onnx-proto';
import { AttributeType, DataType, opsetImportOf, opVersion } from '../../../src/core/onnx/index';

describe('onnx opsets and enums', () => {
  const versions: readonly [string, number | undefined, number | undefined][] = [
    ['BatchNormalization', 5, 1],
    ['BatchNormalization', 8, 7],
    ['BatchNormalization', 13, 9],
    ['BatchNormalization', 14, 14],
    ['BatchNormalization', 23, 15],
    ['GroupNormalization', 17, undefined],
    ['GroupNormalization', 20, 18],
    ['GroupNormalization', 21, 21],
    ['LayerNormalization', 16, undefined],
    ['LayerNormalization', 17, 17],
    ['InstanceNormalization', 21, 6],
    ['InstanceNormalization', 22, 22],
    ['RMSNormalization', 22, undefined],
    ['LRN', 12, 1],
    ['LRN', 13, 13],
    ['BatchNormalization', undefined, undefined],
    ['Relu', 13, undefined],
  ];
  for (const [op, imported, expected] of versions) {
    it(`${op} at opset ${imported ?? 'none'} uses version ${expected ?? 'none'}`, () => {
      assert.equal(opVersion(op, imported), expected);
    });
  }

  it('treats ai.onnx and the empty domain as one', () => {
    const imports = new Map([['', 17]]);
    assert.equal(opsetImportOf(imports, 'ai.onnx'), 17);
    assert.equal(opsetImportOf(imports, 'com.microsoft'), undefined);
  });

  it('uses the same numbering as onnx-proto', () => {
    const reference = onnx.TensorProto.DataType;
    assert.deepEqual(
      Object.entries(DataType).map(([name, value]) => [name.toUpperCase(), value]),
      Object.entries(DataType).map(([name]) => [
        name.toUpperCase(),
        reference[name.toUpperCase() as keyof typeof reference],
      ]),
    );
    const attributes = onnx.AttributeProto.AttributeType;
    for (const [name, value] of Object.entries(AttributeType)) {
      assert.equal(attributes[name.toUpperCase() as keyof typeof attributes], value, name);
    }
  });
});

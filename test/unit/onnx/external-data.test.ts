import assert from 'node:assert/strict';
import { mkdtemp, mkdir, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { OnnxFormatError, readOnnxModel, readTensor } from '../../../src/core/onnx/index';
import { externalDataFiles, FileByteSource } from '../../../src/node/file-byte-source';
import { externalTensor, modelBytes } from './builder';
import { rejectsFormat } from './helpers';

describe('onnx external data (Node resolver)', () => {
  let root: string;
  let folder: string;

  before(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'normlens-ext-'));
    folder = path.join(root, 'model');
    await mkdir(path.join(folder, 'weights'), { recursive: true });
    await writeFile(
      path.join(folder, 'weights', 'w.bin'),
      new Uint8Array(new Float32Array([9, 1, 2, 3, 4]).buffer),
    );
    await writeFile(path.join(root, 'secret.bin'), new Uint8Array(64));
    await symlink(path.join(root, 'secret.bin'), path.join(folder, 'escape.bin'));
    await symlink(path.join(folder, 'weights', 'w.bin'), path.join(folder, 'inside.bin'));
  });
  after(() => rm(root, { recursive: true, force: true }));

  async function readWith(location: string, offset = 4, length = 16): Promise<Float32Array> {
    const modelPath = path.join(folder, 'model.onnx');
    await writeFile(
      modelPath,
      modelBytes({
        opset: 13,
        nodes: [],
        initializers: [externalTensor('w', [length / 4], location, offset, length)],
      }),
    );
    const source = await FileByteSource.open(modelPath);
    const files = externalDataFiles(modelPath);
    try {
      const model = await readOnnxModel(source, { resolveExternal: files.resolve });
      return await readTensor(model, 'w');
    } finally {
      await files.close();
      await source.close();
    }
  }

  it('reads values at offset/length in a file beside the model', async () => {
    assert.deepEqual([...(await readWith('weights/w.bin'))], [1, 2, 3, 4]);
    assert.deepEqual(
      [...(await readWith('inside.bin', 0, 8))],
      [9, 1],
      'a symlink staying inside is fine',
    );
  });

  const refused: readonly [string, string, RegExp][] = [
    ['an absolute path', '/etc/passwd', /absolute paths are not allowed/],
    ['a Windows drive path', 'C:\\weights.bin', /absolute paths are not allowed/],
    ['a .. escape', '../secret.bin', /leaves the model folder/],
    ['a hidden .. escape', 'weights/../../secret.bin', /leaves the model folder/],
    ['a symlink leaving the folder', 'escape.bin', /outside the model folder/],
    ['a missing file', 'nope.bin', /does not exist/],
  ];
  for (const [name, location, pattern] of refused) {
    it(`refuses ${name}`, async () => {
      const error = await rejectsFormat(readWith(location), pattern);
      assert.ok(error instanceof OnnxFormatError);
    });
  }

  it('refuses offsets and lengths past the end of the external file', async () => {
    await rejectsFormat(readWith('weights/w.bin', 16, 16), /needs bytes up to 32, the file has 20/);
  });
});

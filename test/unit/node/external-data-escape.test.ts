/**
 * External data and weight shards that try to leave the model's folder. Besides the refusals
 * covered in test/unit/onnx/external-data.test.ts, this proves the escaping file is never opened
 * (every open goes through a spy) and that its values cannot reach a report: the file outside
 * holds running variances that would raise `running-var-invalid`.
 */
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ParserFactory, SourceAnalyzer, type FileReport } from '../../../src/core/index';
import { OnnxFormatError, readOnnxModel } from '../../../src/core/onnx/index';
import { analyzeFile } from '../../../src/node/analyze-file';
import { FileByteSource } from '../../../src/node/file-byte-source';
import { externalTensor, modelBytes, tensor } from '../onnx/builder';
import { modelOf } from '../onnx/patterns';
import { nodeModulesWasmLoader } from '../helpers/wasm';

const analyzer = new SourceAnalyzer(new ParserFactory(nodeModulesWasmLoader));

/** Negative running variances: read by mistake, they would raise running-var-invalid. */
const POISON = new Float32Array([-1, -1, -1, -1, -1, -1, -1, -1]);
const GOOD = new Float32Array([1, 1, 1, 1, 1, 1, 1, 1]);

describe('external data outside the model folder is never read', () => {
  let root: string;
  let folder: string;
  let secret: string;
  const opened: string[] = [];
  const open = FileByteSource.open.bind(FileByteSource);

  before(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'normlens-escape-'));
    folder = path.join(root, 'model');
    secret = path.join(root, 'secret.bin');
    await mkdir(path.join(folder, 'weights'), { recursive: true });
    await writeFile(secret, new Uint8Array(POISON.buffer));
    await writeFile(path.join(folder, 'weights', 'var.bin'), new Uint8Array(GOOD.buffer));
    await writeFile(path.join(folder, 'weights', 'poison.bin'), new Uint8Array(POISON.buffer));
    await symlink(secret, path.join(folder, 'escape.bin'));
    await symlink(root, path.join(folder, 'up'), 'dir');
    await symlink(path.join(folder, 'escape.bin'), path.join(folder, 'chain.bin'));
    FileByteSource.open = (file: string) => {
      opened.push(file);
      return open(file);
    };
  });
  after(async () => {
    FileByteSource.open = open;
    await rm(root, { recursive: true, force: true });
  });
  beforeEach(() => (opened.length = 0));

  /** A BatchNorm model whose running variance lives in `location` (offset, length as given). */
  async function bnModel(location: string, offset: string, length?: string): Promise<string> {
    const variance = externalTensor('bn.running_var', [8], location, 0, 32);
    variance.externalData = [
      { key: 'location', value: location },
      { key: 'offset', value: offset },
      ...(length === undefined ? [] : [{ key: 'length', value: length }]),
    ];
    const ones = new Array<number>(8).fill(1);
    const file = path.join(folder, 'model.onnx');
    await writeFile(
      file,
      modelBytes({
        ...modelOf(15, {
          op: 'BatchNormalization',
          name: 'bn',
          inputs: ['x', 'bn.weight', 'bn.bias', 'bn.running_mean', 'bn.running_var'],
          outputs: ['y'],
        }),
        initializers: [
          tensor('bn.weight', [8], ones),
          tensor('bn.bias', [8], ones),
          tensor('bn.running_mean', [8], ones),
          variance,
        ],
      }),
    );
    return file;
  }

  function analyze(file: string): Promise<FileReport> {
    return analyzeFile(analyzer, file, root);
  }

  function outside(): string[] {
    return opened.filter((file) => path.relative(folder, file).startsWith('..'));
  }

  it('reads a location inside the folder (the spy sees the open)', async () => {
    const report = await analyze(await bnModel('weights/var.bin', '0'));
    assert.deepEqual(report.errors, []);
    assert.ok(opened.some((file) => file.endsWith(path.join('weights', 'var.bin'))));
    assert.ok(!report.findings.some((f) => f.rule === 'running-var-invalid'));
  });

  it('would report the poisoned values if it read them (the control for the refusals below)', async () => {
    const report = await analyze(await bnModel('weights/poison.bin', '0', '32'));
    assert.ok(report.findings.some((f) => f.rule === 'running-var-invalid'));
  });

  const escapes: readonly [string, string, RegExp][] = [
    ['an absolute path to the poisoned file', '', /absolute paths are not allowed/],
    ['a .. escape', '../secret.bin', /leaves the model folder/],
    ['a backslash .. escape', '..\\secret.bin', /leaves the model folder/],
    ['a symlinked file', 'escape.bin', /outside the model folder/],
    ['a symlink to a symlink', 'chain.bin', /outside the model folder/],
    ['a symlinked folder', 'up/secret.bin', /outside the model folder/],
    ['a UNC path', '\\\\server\\share\\secret.bin', /absolute paths are not allowed/],
    ['a NUL byte', 'weights/var.bin\0../../secret.bin', /empty or invalid path/],
  ];
  for (const [name, location, message] of escapes) {
    it(`refuses ${name}, opens nothing outside and reports no value from it`, async () => {
      const report = await analyze(await bnModel(location === '' ? secret : location, '0', '32'));
      assert.deepEqual(outside(), [], 'no file outside the model folder is opened');
      assert.ok(!opened.includes(secret));
      assert.ok(!report.findings.some((f) => f.rule === 'running-var-invalid'));
      assert.ok(
        report.errors.some(
          (e) => message.test(e.message) && e.message.startsWith('weights of bn: '),
        ),
        JSON.stringify(report.errors),
      );
    });
  }

  const badRanges: readonly [string, string, string | undefined, RegExp][] = [
    ['a negative offset', '-4', '32', /bad external offset or length/],
    ['a negative length', '0', '-32', /bad external offset or length/],
    ['an offset beyond 2^53', '9007199254740993', '32', /bad external offset or length/],
    ['an offset written as 1e30', '1e30', '32', /bad external offset or length/],
    ['an offset that is not a number', 'abc', '32', /bad external offset or length/],
  ];
  for (const [name, offset, length, message] of badRanges) {
    it(`refuses ${name} before opening anything`, async () => {
      const file = await bnModel('weights/var.bin', offset, length);
      const report = await analyze(file);
      assert.equal(report.errors.length, 1);
      assert.match(report.errors[0]?.message ?? '', message);
      assert.equal(report.errors[0]?.kind, 'invalid');
      assert.deepEqual(
        opened.map((f) => path.basename(f)),
        ['model.onnx'],
      );
      const source = await FileByteSource.open(file);
      try {
        await assert.rejects(readOnnxModel(source), OnnxFormatError);
      } finally {
        await source.close();
      }
    });
  }

  const pastEnd: readonly [string, string, string | undefined, RegExp][] = [
    ['an offset past the end', '64', '32', /needs bytes up to 96, the file has 32/],
    ['a length past the end', '16', '32', /needs bytes up to 48, the file has 32/],
    ['a range past the end with the length taken from the dims', '4', undefined, /up to 36/],
  ];
  for (const [name, offset, length, message] of pastEnd) {
    it(`refuses ${name} with a clear message`, async () => {
      const report = await analyze(await bnModel('weights/var.bin', offset, length));
      assert.ok(
        report.errors.some((e) => message.test(e.message)),
        JSON.stringify(report.errors),
      );
      assert.ok(!report.findings.some((f) => f.rule === 'running-var-invalid'));
    });
  }

  it('does not follow a model.json shard symlinked out of the folder', async () => {
    const modelJson = path.join(folder, 'model.json');
    await writeFile(
      modelJson,
      JSON.stringify({
        format: 'layers-model',
        modelTopology: {
          class_name: 'Sequential',
          config: {
            name: 's',
            layers: [{ class_name: 'BatchNormalization', config: { name: 'bn', axis: -1 } }],
          },
        },
        weightsManifest: [
          {
            paths: ['escape.bin'],
            weights: [{ name: 'bn/moving_variance', shape: [8], dtype: 'float32' }],
          },
        ],
      }),
    );
    const report = await analyze(modelJson);
    assert.ok(!report.findings.some((f) => f.rule === 'running-var-invalid'));
    assert.ok(
      report.errors.some((e) => e.message.includes('outside the model folder')),
      JSON.stringify(report.errors),
    );
  });
});

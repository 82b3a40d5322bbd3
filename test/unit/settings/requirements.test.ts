import assert from 'node:assert/strict';
import {
  SettingsError,
  torchVersionFromPyproject,
  torchVersionFromRequirements,
} from '../../../src/core/index';

describe('torchVersionFromRequirements', () => {
  const cases: readonly [string, string | undefined][] = [
    ['torch==1.13.1', '1.13.1'],
    ['torch>=2.1,<3', '>=2.1,<3'],
    ['torch >= 2.1 , < 3  # the CUDA build', '>=2.1,<3'],
    ['Torch~=2.0', '~=2.0'],
    ['torch===2.2.0', '2.2.0'],
    ['torch==2.1.*', '2.1.*'],
    ['torch==2.1.0+cu118 --hash=sha256:abc', '2.1.0+cu118'],
    ['torch[opt-einsum]==2.3.1; python_version >= "3.9"', '2.3.1'],
    ['torch (>=1.12)', '>=1.12'],
    [
      'torch @ https://download.pytorch.org/whl/cu118/torch-2.1.0%2Bcu118-cp310-cp310-linux_x86_64.whl',
      '2.1.0+cu118',
    ],
    ['torch', undefined],
    ['torchvision==0.14.1', undefined],
    ['pytorch-lightning==2.0', undefined],
    ['# torch==1.0', undefined],
    ['-r base.txt', undefined],
  ];
  for (const [line, expected] of cases) {
    it(`${JSON.stringify(line)} → ${String(expected)}`, () => {
      assert.deepEqual(
        torchVersionFromRequirements(`numpy>=1.24\n${line}\n`),
        expected === undefined ? undefined : { version: expected, origin: 'requirements.txt' },
      );
    });
  }

  it('takes the first torch line and records the origin given', () => {
    assert.deepEqual(
      torchVersionFromRequirements('torch==1.13.1\r\ntorch==2.0\r\n', 'requirements/gpu.txt'),
      { version: '1.13.1', origin: 'requirements/gpu.txt' },
    );
  });
});

describe('torchVersionFromPyproject', () => {
  it('reads [project] dependencies', () => {
    const text = '[project]\nname = "x"\ndependencies = ["numpy", "torch>=2.1,<3"]\n';
    assert.deepEqual(torchVersionFromPyproject(text), {
      version: '>=2.1,<3',
      origin: 'pyproject.toml',
    });
  });

  it('reads optional dependencies', () => {
    const text =
      '[project]\nname = "x"\n[project.optional-dependencies]\ntrain = ["torch==1.13.1"]\n';
    assert.equal(torchVersionFromPyproject(text)?.version, '1.13.1');
  });

  it('reads Poetry dependencies in both forms', () => {
    assert.equal(
      torchVersionFromPyproject('[tool.poetry.dependencies]\ntorch = "^2.1"\n')?.version,
      '^2.1',
    );
    assert.equal(
      torchVersionFromPyproject(
        '[tool.poetry.dependencies]\ntorch = { version = "2.0.1", source = "pytorch" }\n',
      )?.version,
      '2.0.1',
    );
    assert.equal(torchVersionFromPyproject('[tool.poetry.dependencies]\ntorch = "*"\n'), undefined);
  });

  it('is undefined without torch and throws SettingsError for invalid TOML', () => {
    assert.equal(torchVersionFromPyproject('[project]\ndependencies = ["numpy"]\n'), undefined);
    assert.throws(() => torchVersionFromPyproject('[project\n'), SettingsError);
  });
});

import assert from 'node:assert/strict';
import {
  parseNormlensJson,
  parsePyprojectSettings,
  parseSettingsFile,
  runRules,
  SettingsError,
  type ProjectSettings,
} from '../../../src/core/index';
import { byDefault, literal, pytorchSite, withBatches } from '../helpers/sites';

function settingsError(run: () => unknown): SettingsError {
  try {
    run();
  } catch (error) {
    assert.ok(error instanceof SettingsError, `expected SettingsError, got ${String(error)}`);
    return error;
  }
  assert.fail('expected a SettingsError');
}

describe('parseNormlensJson', () => {
  it('reads rules, exclude, size limits and the torch version', () => {
    const settings = parseNormlensJson(
      JSON.stringify({
        rules: {
          'bn-small-batch': { severity: 'info', warnBelow: 4 },
          'bias-before-bn': 'off',
          'dead-gamma': { relative: 0.01 },
        },
        exclude: ['build/**', '*.gen.py'],
        maxFileSizeKB: 512,
        maxModelSizeMB: 100,
        torchVersion: '2.1.0',
      }),
    );
    assert.deepEqual(settings, {
      rules: {
        'bn-small-batch': { severity: 'info', thresholds: { warnBelow: 4 } },
        'bias-before-bn': { severity: 'off' },
        'dead-gamma': { thresholds: { relative: 0.01 } },
      },
      exclude: ['build/**', '*.gen.py'],
      maxFileSizeKB: 512,
      maxModelSizeMB: 100,
      torchVersion: '2.1.0',
    } satisfies ProjectSettings);
  });

  it('gives defaults for an empty object', () => {
    assert.deepEqual(parseNormlensJson('{}'), { rules: {}, exclude: [] });
  });

  it('reports invalid JSON with its line', () => {
    const error = settingsError(() => parseNormlensJson('{\n  "exclude": [],\n}\n'));
    assert.equal(error.file, 'normlens.json');
    assert.equal(error.line, 3);
    assert.match(error.message, /^normlens\.json:3:\d+: not valid JSON/);
  });

  const invalid: readonly [string, string, number, RegExp][] = [
    [
      'an unknown rule',
      '{\n  "rules": {\n    "bn-smal-batch": "off"\n  }\n}',
      3,
      /unknown rule 'bn-smal-batch'/,
    ],
    [
      'a bad severity',
      '{\n  "rules": {\n    "bn-small-batch": {\n      "severity": "loud"\n    }\n  }\n}',
      4,
      /severity of 'bn-small-batch' must be one of error, warning, info, hint, off, not "loud"/,
    ],
    [
      'an unknown threshold',
      '{ "rules": {\n "bn-small-batch": {\n "warnbelow": 4 } } }',
      3,
      /rule 'bn-small-batch' has no option 'warnbelow' \(it has severity, warnBelow, infoBelow\)/,
    ],
    [
      'a threshold that is not a number',
      '{ "rules": { "bn-small-batch": {\n"warnBelow": "4" } } }',
      2,
      /bn-small-batch\.warnBelow must be a number/,
    ],
    ['an unknown key', '{\n"exclude": [],\n"excludes": ["x"] }', 3, /unknown setting 'excludes'/],
    ['exclude not a list', '{\n"exclude": "build" }', 2, /exclude must be a list of glob strings/],
    ['a negative size limit', '{\n\n"maxFileSizeKB": -1 }', 3, /maxFileSizeKB must be a positive/],
    ['not an object', '[1, 2]', 1, /settings must be an object/],
  ];
  for (const [name, text, line, reason] of invalid) {
    it(`reports ${name} at its line`, () => {
      const error = settingsError(() => parseNormlensJson(text));
      assert.equal(error.line, line, error.message);
      assert.match(error.reason, reason);
    });
  }
});

describe('parsePyprojectSettings', () => {
  const pyproject = [
    '[project]',
    'name = "demo"',
    'dependencies = ["torch==2.1.0"]',
    '',
    '[tool.normlens]',
    'exclude = ["third_party/**"]',
    'maxFileSizeKB = 1024',
    '',
    '[tool.normlens.rules]',
    '"bias-before-bn" = "off"',
    '',
    '[tool.normlens.rules.bn-small-batch]',
    'severity = "info"',
    'warnBelow = 4',
    '',
  ].join('\n');

  it('reads the [tool.normlens] table in the same shape as normlens.json', () => {
    assert.deepEqual(parsePyprojectSettings(pyproject), {
      rules: {
        'bias-before-bn': { severity: 'off' },
        'bn-small-batch': { severity: 'info', thresholds: { warnBelow: 4 } },
      },
      exclude: ['third_party/**'],
      maxFileSizeKB: 1024,
    });
  });

  it('is undefined without a [tool.normlens] table', () => {
    assert.equal(parsePyprojectSettings('[project]\nname = "demo"\n'), undefined);
    assert.equal(
      parseSettingsFile('sub/pyproject.toml', '[tool.black]\nline-length = 100\n'),
      undefined,
    );
  });

  it('reports invalid TOML with its line and column', () => {
    const error = settingsError(() =>
      parsePyprojectSettings('[tool.normlens]\nexclude = ["a",\nmaxFileSizeKB = = 3\n'),
    );
    assert.equal(error.file, 'pyproject.toml');
    assert.ok(error.line >= 3, error.message);
    assert.match(error.message, /^pyproject\.toml:\d+:\d+: not valid TOML/);
  });

  it('reports a bad severity at the line under [tool.normlens], not an earlier same-named key', () => {
    const text = [
      '[tool.other]',
      'severity = "loud"',
      '[tool.normlens.rules.bn-small-batch]',
      'severity = "loud"',
    ].join('\n');
    const error = settingsError(() => parsePyprojectSettings(text));
    assert.equal(error.line, 4);
    assert.match(error.reason, /severity of 'bn-small-batch'/);
  });

  it('dispatches by file name', () => {
    assert.deepEqual(parseSettingsFile('/repo/normlens.json', '{"exclude": ["x"]}'), {
      rules: {},
      exclude: ['x'],
    });
    assert.equal(parseSettingsFile('setup.cfg', '[normlens]'), undefined);
  });
});

describe('project settings drive the rule engine', () => {
  it('a configured threshold and severity change the finding', () => {
    const site = pytorchSite('BatchNorm2d', {
      num_features: literal(64),
      eps: byDefault(1e-5),
      momentum: byDefault(0.1),
    });
    const context = withBatches(6);
    assert.deepEqual(
      runRules([site], context).findings.map((f) => [f.rule, f.severity]),
      [['bn-small-batch', 'warning']],
    );
    const quiet = parseNormlensJson('{"rules": {"bn-small-batch": {"warnBelow": 4}}}');
    assert.deepEqual(
      runRules([site], context, quiet.rules).findings.map((f) => [f.rule, f.severity]),
      [['bn-small-batch', 'info']],
    );
    const off = parseNormlensJson('{"rules": {"bn-small-batch": "off"}}');
    assert.deepEqual(runRules([site], context, off.rules).findings, []);
  });
});

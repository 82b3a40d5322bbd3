/**
 * `--format sarif`: valid against the SARIF 2.1.0 schema (test/fixtures/sarif), with the rule
 * catalog as driver rules and what GitHub code scanning reads on each result.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import Ajv from 'ajv';
import { RULES } from '../../src/core/index';
import { ROOT, run } from './run-cli';

const PROJECT = path.join(ROOT, 'test', 'fixtures', 'cli', 'project');
const SCHEMA = path.join(ROOT, 'test', 'fixtures', 'sarif', 'sarif-schema-2.1.0.json');

/**
 * The schema is JSON Schema draft-04, which ajv 8 reads once its draft-04 spellings are mapped
 * (`id` → `$id`; the `$schema` URI is dropped). The keywords it uses mean the same in both.
 */
function sarifValidator(): ReturnType<Ajv['compile']> {
  const schema = JSON.parse(readFileSync(SCHEMA, 'utf8')) as Record<string, unknown>;
  const id = String(schema['id']);
  delete schema['id'];
  delete schema['$schema'];
  // One `pattern` of the schema has a stray `]` that only non-unicode regular expressions accept.
  const ajv = new Ajv({ strict: false, allErrors: true, unicodeRegExp: false });
  ajv.addFormat('uri', (value: string) => URL.canParse(value));
  ajv.addFormat('uri-reference', (value: string) => URL.canParse(value, 'file:///'));
  ajv.addFormat('date-time', (value: string) => !Number.isNaN(Date.parse(value)));
  return ajv.compile({ ...schema, $id: id });
}

interface SarifLog {
  version: string;
  runs: {
    tool: {
      driver: {
        name: string;
        rules: {
          id: string;
          name: string;
          shortDescription: { text: string };
          helpUri: string;
          defaultConfiguration: { level: string };
        }[];
      };
    };
    originalUriBaseIds: Record<string, { uri: string }>;
    invocations: { executionSuccessful: boolean; toolExecutionNotifications: unknown[] }[];
    results: {
      ruleId: string;
      ruleIndex: number;
      level: string;
      message: { text: string };
      locations: {
        physicalLocation: {
          artifactLocation: { uri: string; uriBaseId: string };
          region?: { startLine: number; startColumn: number };
        };
        logicalLocations?: { name: string }[];
      }[];
      relatedLocations?: {
        message: { text: string };
        physicalLocation: { region: { startLine: number } };
      }[];
      partialFingerprints: Record<string, string>;
    }[];
  }[];
}

describe('normlens check --format sarif (built CLI)', () => {
  let validate: ReturnType<typeof sarifValidator>;
  let code: number | null;
  let log: SarifLog;
  let sarifRun: SarifLog['runs'][number] | undefined;
  before(() => {
    validate = sarifValidator();
    const result = run(['check', '--format', 'sarif', '.'], PROJECT);
    code = result.code;
    log = JSON.parse(result.stdout) as SarifLog;
    sarifRun = log.runs[0];
  });

  it('is valid SARIF 2.1.0 and keeps the exit code of the findings', () => {
    assert.equal(code, 1);
    assert.equal(validate(log), true, JSON.stringify(validate.errors, null, 2));
    assert.equal(log.version, '2.1.0');
    assert.equal(validate({ version: '2.1.0', runs: [{ results: [] }] }), false, 'no tool');
  });

  it('describes every rule of the registry with its docs page and default level', () => {
    const rules = sarifRun?.tool.driver.rules ?? [];
    assert.equal(sarifRun?.tool.driver.name, 'NormLens');
    assert.deepEqual(
      rules.map((r) => r.id),
      RULES.map((r) => r.id),
    );
    const small = rules.find((r) => r.id === 'bn-small-batch');
    assert.equal(small?.name, 'BnSmallBatch');
    assert.equal(small?.shortDescription.text, 'BatchNorm trained with a small per-device batch');
    assert.match(small?.helpUri ?? '', /\/docs\/rules\/bn-small-batch\.md$/);
    assert.equal(small?.defaultConfiguration.level, 'warning');
    assert.equal(rules.find((r) => r.id === 'bias-before-bn')?.defaultConfiguration.level, 'note');
  });

  it('gives results 1-based regions relative to the source root, with evidence and fingerprints', () => {
    const results = sarifRun?.results ?? [];
    const train = results.find(
      (r) => r.locations[0]?.physicalLocation.artifactLocation.uri === 'train.py',
    );
    assert.equal(train?.ruleId, 'bn-small-batch');
    assert.equal(sarifRun?.tool.driver.rules[train?.ruleIndex ?? -1]?.id, 'bn-small-batch');
    assert.equal(train?.level, 'warning');
    assert.deepEqual(train?.locations[0]?.physicalLocation.region, {
      startLine: 5,
      startColumn: 42,
      endLine: 5,
      endColumn: 70,
    });
    assert.equal(train?.locations[0]?.physicalLocation.artifactLocation.uriBaseId, 'SRCROOT');
    assert.deepEqual(
      train?.relatedLocations?.map((r) => [r.message.text, r.physicalLocation.region.startLine]),
      [['batch_size=2 here', 6]],
    );
    assert.match(Object.values(train?.partialFingerprints ?? {})[0] ?? '', /^[0-9a-f]{32}:1$/);
    assert.ok(sarifRun?.originalUriBaseIds['SRCROOT']?.uri.endsWith('/project/'));
    const eval_ = results.filter(
      (r) => r.locations[0]?.physicalLocation.artifactLocation.uri === 'eval.py',
    );
    assert.deepEqual(
      eval_.map((r) => [r.ruleId, r.level]),
      [
        ['bn-batch1-train', 'note'],
        ['bn-small-batch', 'note'],
        ['gn-divisibility', 'error'],
      ],
      'info findings are notes; the configured warnBelow made bn-small-batch info',
    );
    const onnx = results.find((r) => r.ruleId === 'onnx-bn-training-mode');
    assert.equal(
      onnx?.locations[0]?.physicalLocation.artifactLocation.uri,
      'models/bn_train_op15.onnx',
    );
    assert.equal(onnx?.locations[0]?.physicalLocation.region, undefined);
    assert.deepEqual(
      onnx?.locations[0]?.logicalLocations?.map((l) => l.name),
      ['/bn/BatchNormalization'],
    );
  });

  it('reports files that could not be analysed as tool notifications', () => {
    const bad = run(
      ['check', '--format', 'sarif', 'onnx/bad/truncated.onnx'],
      path.join(ROOT, 'test', 'fixtures'),
    );
    assert.equal(bad.code, 2);
    const badLog = JSON.parse(bad.stdout) as SarifLog;
    assert.equal(validate(badLog), true, JSON.stringify(validate.errors, null, 2));
    assert.equal(badLog.runs[0]?.invocations[0]?.executionSuccessful, false);
    assert.equal(badLog.runs[0]?.invocations[0]?.toolExecutionNotifications.length, 1);
  });
});

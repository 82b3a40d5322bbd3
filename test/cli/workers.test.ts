/**
 * The editor's long-lived analysis workers (`AnalysisWorkers`) run the built CLI worker with the
 * same messages as `normlens check`, one file a message, and give the reports the CLI prints
 * (files in path order, as the CLI sorts them).
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { AnalysisWorkers } from '../../src/node/analysis-workers';
import { ROOT, run } from './run-cli';

const WORKSPACE = path.join(ROOT, 'test', 'fixtures', 'workspace');

describe('AnalysisWorkers with the built worker script', () => {
  it('reports each file as the CLI does, and skips cancelled tasks', async () => {
    const files = ['small_batch.py', 'tfjs_model.js', 'train.py'].map((f) =>
      path.join(WORKSPACE, f),
    );
    const workers = new AnalysisWorkers({
      jobs: 2,
      workerScript: path.join(ROOT, 'dist', 'cli-worker.js'),
      wasmFolder: path.join(ROOT, 'dist', 'wasm'),
    });
    try {
      const cancelled = workers.analyze(
        { file: files[0] ?? '', root: WORKSPACE, rules: {} },
        () => true,
      );
      const outcomes = await Promise.all(
        files.map((file) => workers.analyze({ file, root: WORKSPACE, rules: {} })),
      );
      assert.equal(await cancelled, undefined);
      const cli = JSON.parse(
        run(['check', ...files, '--format', 'json', '--fail-on', 'none']).stdout,
      ) as {
        files: { findings: { rule: string; line?: number }[] }[];
      };
      assert.deepEqual(
        outcomes.map((outcome) =>
          outcome?.report.findings.map((f) => ({
            rule: f.rule,
            line: f.location.type === 'text' ? f.location.range.start.line + 1 : undefined,
          })),
        ),
        cli.files.map((file) => file.findings.map(({ rule, line }) => ({ rule, line }))),
      );
      assert.ok(outcomes.some((outcome) => (outcome?.report.findings.length ?? 0) > 0));
    } finally {
      workers.dispose();
    }
  });
});

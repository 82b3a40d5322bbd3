/**
 * Workspace analysis in a real VS Code extension host: results in Problems, the content cache on a
 * re-run, cancellation, and the extension host's event-loop delay while a generated workspace of a
 * few thousand files is scanned, in worker threads and in the extension host's own thread
 * (printed, not asserted; the two must find the same).
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import * as vscode from 'vscode';
import { fixtureUri, waitFor } from '../helpers';

/** What `normLens.analyzeWorkspace` resolves with (src/extension/workspace-scan/scanner.ts). */
interface ScanSummary {
  files: number;
  analysed: number;
  cached: number;
  skipped: number;
  failed: number;
  sites: number;
  findings: number;
  truncated: boolean;
  cancelled: boolean;
  elapsedMs: number;
}

const GENERATED_FILES = Number(process.env['NORMLENS_SCAN_FILES'] ?? 2000);

function analyze(folder?: vscode.Uri): Thenable<ScanSummary> {
  return vscode.commands.executeCommand<ScanSummary>('normLens.analyzeWorkspace', folder);
}

const codeOf = (d: vscode.Diagnostic): string | undefined =>
  typeof d.code === 'object' ? String(d.code.value) : undefined;

/**
 * One generated PyTorch module: a few conv → BatchNorm blocks (so findings exist), a loader with a
 * small batch in every tenth file, and filler methods up to ~100 lines. Each file differs.
 */
function generatedModule(index: number): string {
  const channels = 8 * (1 + (index % 7));
  const lines = [
    'import torch',
    'import torch.nn as nn',
    'from torch.utils.data import DataLoader',
    '',
    `class Block${index}(nn.Module):`,
    '    def __init__(self):',
    '        super().__init__()',
    `        self.conv = nn.Conv2d(3, ${channels}, 3)`,
    `        self.bn = nn.BatchNorm2d(${channels}, momentum=${index % 3 === 0 ? '0.9' : '0.1'})`,
    `        self.gn = nn.GroupNorm(${index % 5 === 0 ? 5 : 4}, ${channels})`,
    `        self.ln = nn.LayerNorm(${channels})`,
    '',
    '    def forward(self, x):',
    '        return self.ln(self.gn(self.bn(self.conv(x))))',
    '',
  ];
  if (index % 10 === 0) {
    lines.push(`loader = DataLoader(range(100), batch_size=${2 + (index % 4)})`, '');
  }
  for (let m = 0; lines.length < 100; m++) {
    lines.push(
      `    def helper_${m}(self, x, scale=${index}.${m}):`,
      `        y = x * scale + ${m}`,
      '        return torch.relu(y)',
      '',
    );
  }
  return lines.join('\n');
}

function percentiles(histogram: ReturnType<typeof monitorEventLoopDelay>): string {
  const ms = (ns: number): string => (ns / 1e6).toFixed(1);
  return `p50 ${ms(histogram.percentile(50))} ms, p99 ${ms(histogram.percentile(99))} ms, max ${ms(histogram.max)} ms`;
}

/** Writes the generated workspace into a new temporary folder and returns it. */
function generateWorkspace(): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'normlens-scan-'));
  for (let i = 0; i < GENERATED_FILES; i++) {
    const folder = path.join(root, `pkg${Math.floor(i / 100)}`);
    fs.mkdirSync(folder, { recursive: true });
    fs.writeFileSync(path.join(folder, `module_${i}.py`), generatedModule(i));
  }
  return root;
}

describe('NormLens: Analyze Workspace', () => {
  let generated: string;
  /** The same files again, for the scan in the extension host's thread (nothing cached). */
  let inThread: string;
  /** The findings of the worker scan of the unedited files. */
  let workerFindings: number | undefined;

  before(() => {
    generated = generateWorkspace();
    inThread = generateWorkspace();
  });

  afterEach(async () => {
    // A scan a failed test left running would compete with the next test's scan.
    await vscode.commands.executeCommand('normLens.stopWorkspaceAnalysis');
  });

  after(async () => {
    for (const folder of [generated, inThread]) {
      fs.rmSync(folder, { recursive: true, force: true });
      // No watcher covers a folder outside the workspace: analysing the deleted folder is what
      // drops its thousands of entries from Problems and the view, which later tests would pay for.
      const summary = await analyze(vscode.Uri.file(folder));
      assert.equal(summary.files, 0);
    }
    const left = vscode.languages
      .getDiagnostics()
      .filter(
        ([uri, all]) =>
          all.length > 0 && [generated, inThread].some((f) => uri.fsPath.startsWith(f)),
      );
    assert.equal(left.length, 0);
  });

  it('lists the findings of a folder in Problems and skips files without sites', async () => {
    const summary = await analyze(fixtureUri('scan'));
    assert.equal(summary.cancelled, false);
    assert.equal(summary.files, 3);
    assert.equal(summary.sites, 3);
    assert.equal(summary.findings, 4);
    const uri = fixtureUri('scan', 'two_blocks.py');
    const diagnostics = await waitFor(() => {
      const all = vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'NormLens');
      return all.length === 4 && all;
    });
    assert.deepEqual(diagnostics.map(codeOf).sort(), [
      'bias-before-bn',
      'bias-before-bn',
      'momentum-convention',
      'momentum-convention',
    ]);
    const momentum = diagnostics.find((d) => codeOf(d) === 'momentum-convention');
    assert.equal(momentum?.range.start.line, 8);
    assert.deepEqual(
      vscode.languages.getDiagnostics(fixtureUri('scan', 'nested', 'no_norm.py')),
      [],
    );
  });

  it('skips what .gitignore files ignore, nested ones and negations too', async () => {
    const root = fs.mkdtempSync(path.join(fixtureUri().fsPath, 'tmp-gitignore-'));
    try {
      const write = (file: string, text: string): void => {
        fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
        fs.writeFileSync(path.join(root, file), text);
      };
      const module = generatedModule(1);
      write('.gitignore', 'build/\n*_gen.py\n');
      write('kept.py', module);
      write('build/out.py', module);
      write('model_gen.py', module);
      write('pkg/.gitignore', 'local.py\n!keep_gen.py\n');
      write('pkg/local.py', module);
      write('pkg/keep_gen.py', module);
      write('pkg/other.py', module);
      const summary = await analyze(vscode.Uri.file(root));
      // kept.py, pkg/keep_gen.py (re-included by the nested file) and pkg/other.py.
      assert.equal(summary.files, 3, JSON.stringify(summary));
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });

  it('re-analyses a closed file edited on disk and drops a deleted one from Problems', async () => {
    const root = fs.mkdtempSync(path.join(fixtureUri().fsPath, 'tmp-watched-'));
    const file = path.join(root, 'watched.py');
    const uri = vscode.Uri.file(file);
    const momentum = (all: vscode.Diagnostic[]): boolean =>
      all.some((d) => codeOf(d) === 'momentum-convention');
    try {
      // Module 0 has momentum=0.9 (momentum-convention) and GroupNorm(5, 8) (gn-divisibility).
      fs.writeFileSync(file, generatedModule(0));
      await analyze(vscode.Uri.file(root));
      await waitFor(() => momentum(vscode.languages.getDiagnostics(uri)), {
        message: 'the first analysis in Problems',
      });
      fs.writeFileSync(file, generatedModule(0).replace('momentum=0.9', 'momentum=0.1'));
      await waitFor(
        () => {
          const all = vscode.languages.getDiagnostics(uri);
          return all.length > 0 && !momentum(all);
        },
        { timeout: 30000, message: 'the edited file re-analysed' },
      );
      fs.rmSync(file);
      await waitFor(() => vscode.languages.getDiagnostics(uri).length === 0, {
        timeout: 30000,
        message: 'the deleted file gone from Problems',
      });
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });

  it('stops when cancelled, keeping what it finished', async () => {
    const folder = vscode.Uri.file(generated);
    const running = analyze(folder);
    // Cancel once the first results are in Problems, i.e. in the middle of the run.
    await waitFor(
      () => vscode.languages.getDiagnostics().some(([uri]) => uri.fsPath.startsWith(generated)),
      { timeout: 60000, message: 'first results of the generated workspace' },
    );
    assert.equal(await vscode.commands.executeCommand('normLens.stopWorkspaceAnalysis'), true);
    const summary = await running;
    assert.equal(summary.cancelled, true);
    assert.equal(summary.files, GENERATED_FILES);
    assert.ok(summary.analysed + summary.cached < GENERATED_FILES, JSON.stringify(summary));
    console.log(`      cancelled after ${summary.analysed} of ${summary.files} files`);
  });

  it('scans a few thousand files while the event loop keeps turning, then re-runs from the cache', async function () {
    // Minutes on a loaded 2-core machine: the figures are printed, never asserted.
    this.timeout(15 * 60 * 1000);
    const folder = vscode.Uri.file(generated);
    const histogram = monitorEventLoopDelay({ resolution: 10 });
    histogram.enable();
    const first = await analyze(folder);
    histogram.disable();
    assert.equal(first.cancelled, false);
    assert.equal(first.files, GENERATED_FILES);
    assert.equal(first.analysed + first.cached, GENERATED_FILES);
    assert.ok(first.findings > 0);
    console.log(
      `      first scan: ${first.files} files (${first.analysed} analysed, ${first.cached} from the cancelled run) in ${first.elapsedMs} ms = ${Math.round((first.files / first.elapsedMs) * 1000)} files/s; ${first.findings} findings`,
    );
    console.log(`      event-loop delay during the scan (workers): ${percentiles(histogram)}`);
    workerFindings = first.findings;

    const second = await analyze(folder);
    assert.equal(second.analysed, 0);
    assert.equal(second.cached, GENERATED_FILES);
    assert.equal(second.findings, first.findings);
    console.log(`      re-run, nothing changed: ${second.elapsedMs} ms`);

    // One edited file is the only one analysed again; its new finding counts.
    const edited = path.join(generated, 'pkg0', 'module_1.py');
    fs.writeFileSync(
      edited,
      fs.readFileSync(edited, 'utf8').replace('nn.GroupNorm(4,', 'nn.GroupNorm(5,'),
    );
    const third = await analyze(folder);
    assert.equal(third.analysed, 1);
    assert.equal(third.cached, GENERATED_FILES - 1);
    assert.equal(third.findings, first.findings + 1);
    console.log(`      re-run, one file changed: ${third.elapsedMs} ms`);
  });

  it("finds the same in the extension host's own thread (NORMLENS_WORKSPACE_JOBS=0), with its event-loop delay", async function () {
    this.timeout(15 * 60 * 1000);
    // The extension reads the variable at the start of each scan; the tests share its process.
    process.env['NORMLENS_WORKSPACE_JOBS'] = '0';
    const histogram = monitorEventLoopDelay({ resolution: 10 });
    let summary: ScanSummary;
    try {
      histogram.enable();
      summary = await analyze(vscode.Uri.file(inThread));
      histogram.disable();
    } finally {
      delete process.env['NORMLENS_WORKSPACE_JOBS'];
    }
    assert.equal(summary.analysed, GENERATED_FILES);
    if (workerFindings !== undefined) {
      assert.equal(summary.findings, workerFindings);
    }
    console.log(
      `      in-thread scan: ${summary.files} files in ${summary.elapsedMs} ms = ${Math.round((summary.files / summary.elapsedMs) * 1000)} files/s; ${summary.findings} findings`,
    );
    console.log(`      event-loop delay during the scan (in-thread): ${percentiles(histogram)}`);
  });
});

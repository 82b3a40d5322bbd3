/**
 * Editor features around the findings in a real VS Code extension host: "Fix all" (the quick fix
 * per rule and the source.fixAll action), the status-bar count, Show Rule Documentation, and the
 * project settings files (normlens.json, requirements.txt) changing what the editor reports.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import {
  activatedExtension,
  closeAllEditors,
  fixtureUri,
  openFixture,
  waitFor,
  waitForDiagnostics,
  waitForTab,
} from '../helpers';

/** The API `activate` returns (src/extension/activate.ts). */
interface NormLensApi {
  status(): { visible: boolean; text: string; tooltip: string };
}

const codeOf = (d: vscode.Diagnostic): string | undefined =>
  typeof d.code === 'object' ? String(d.code.value) : undefined;

const FILE = ['scan', 'two_blocks.py'];

async function fourFindings(uri: vscode.Uri): Promise<vscode.Diagnostic[]> {
  return waitForDiagnostics(
    uri,
    (all) => all.filter((d) => d.source === 'NormLens').length === 4,
    30000,
  );
}

/**
 * Opens a copy of the fixture in a new temporary folder of the workspace, for a test that edits
 * it: whatever happens to the edited document (a save included), scan/two_blocks.py itself stays
 * as the later tests expect it. Returns the editor and a function that removes the copy.
 */
async function openCopy(): Promise<{ editor: vscode.TextEditor; remove: () => Promise<void> }> {
  const root = fs.mkdtempSync(path.join(fixtureUri().fsPath, 'tmp-fix-all-'));
  const file = path.join(root, 'two_blocks.py');
  fs.copyFileSync(fixtureUri(...FILE).fsPath, file);
  const editor = await vscode.window.showTextDocument(
    await vscode.workspace.openTextDocument(vscode.Uri.file(file)),
  );
  return {
    editor,
    remove: async () => {
      await closeAllEditors();
      fs.rmSync(root, { recursive: true, force: true });
    },
  };
}

async function revert(editor: vscode.TextEditor): Promise<void> {
  await vscode.window.showTextDocument(editor.document);
  await vscode.commands.executeCommand('workbench.action.files.revert');
  assert.equal(editor.document.isDirty, false);
}

describe('NormLens editor features', () => {
  afterEach(closeAllEditors);

  it('"Fix all momentum-convention in file" applies both momentum fixes in one edit', async () => {
    const { editor, remove } = await openCopy();
    const { document } = editor;
    const diagnostics = await fourFindings(document.uri);
    const momentum = diagnostics.find((d) => codeOf(d) === 'momentum-convention');
    assert.ok(momentum);
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>(
      'vscode.executeCodeActionProvider',
      document.uri,
      momentum.range,
    );
    const titles = actions.map((a) => a.title);
    const fixAll = actions.find((a) => a.title === 'Fix all momentum-convention in file');
    assert.ok(fixAll?.edit, titles.join(' | '));
    assert.ok(titles.includes('Show documentation for momentum-convention'), titles.join(' | '));
    try {
      assert.ok(await vscode.workspace.applyEdit(fixAll.edit));
      assert.match(document.lineAt(8).text, /nn\.BatchNorm2d\(16, momentum=0\.01\)\)$/);
      assert.match(document.lineAt(9).text, /nn\.BatchNorm2d\(32, momentum=0\.1\)\)$/);
      // The conv biases are another rule's business: untouched.
      assert.match(document.lineAt(8).text, /nn\.Conv2d\(3, 16, 3\),/);
    } finally {
      await revert(editor);
      await remove();
    }
  });

  it("source.fixAll.normlens applies every rule's fix, skipping none here", async () => {
    const { editor, remove } = await openCopy();
    const { document } = editor;
    await fourFindings(document.uri);
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>(
      'vscode.executeCodeActionProvider',
      document.uri,
      new vscode.Range(0, 0, document.lineCount, 0),
      'source.fixAll.normlens',
    );
    assert.deepEqual(
      actions.map((a) => a.title),
      ['Fix all NormLens findings'],
    );
    const [fixAll] = actions;
    assert.ok(fixAll?.edit);
    try {
      assert.ok(await vscode.workspace.applyEdit(fixAll.edit));
      assert.equal(
        document.lineAt(8).text.trim(),
        'self.block1 = nn.Sequential(nn.Conv2d(3, 16, 3, bias=False), nn.BatchNorm2d(16, momentum=0.01))',
      );
      assert.equal(
        document.lineAt(9).text.trim(),
        'self.block2 = nn.Sequential(nn.Conv2d(16, 32, 3, bias=False), nn.BatchNorm2d(32, momentum=0.1))',
      );
      await waitForDiagnostics(document.uri, (all) => all.every((d) => d.source !== 'NormLens'));
    } finally {
      await revert(editor);
      await remove();
    }
  });

  it("the status bar counts the active file's findings", async () => {
    const api = (await activatedExtension()).exports as NormLensApi;
    await openFixture(FILE.join('/'));
    const status = await waitFor(
      () => {
        const view = api.status();
        return view.text.endsWith('NormLens: 4') && view;
      },
      { timeout: 30000, message: 'the status bar showing "NormLens: 4"' },
    );
    assert.equal(status.visible, true);
    assert.match(
      status.tooltip,
      /4 NormLens findings in scan\/two_blocks\.py \(2 warnings, 2 info\)/,
    );
    await openFixture('scan/nested/layer_norm.py');
    await waitFor(() => api.status().text === '$(check) NormLens: 0');
  });

  it('a file over the size limit gets a note in Problems and the status bar, not silence', async () => {
    const api = (await activatedExtension()).exports as NormLensApi;
    const config = vscode.workspace.getConfiguration('normLens');
    const root = fs.mkdtempSync(path.join(fixtureUri().fsPath, 'tmp-size-limit-'));
    const file = path.join(root, 'big.py');
    // Over 1 KB, with a site that would otherwise be reported.
    fs.writeFileSync(
      file,
      `import torch.nn as nn\nbn = nn.BatchNorm2d(8, momentum=0.9)\n${'# filler\n'.repeat(200)}`,
    );
    const uri = vscode.Uri.file(file);
    try {
      await config.update('maxFileSizeKB', 1, vscode.ConfigurationTarget.Global);
      const summary = await vscode.commands.executeCommand<{ skipped: number }>(
        'normLens.analyzeWorkspace',
        vscode.Uri.file(root),
      );
      assert.equal(summary.skipped, 1);
      const [note] = await waitForDiagnostics(uri);
      assert.match(
        note?.message ?? '',
        /NormLens skipped this file: 2 KB is above normLens\.maxFileSizeKB \(1 KB\)/,
      );
      assert.ok(!vscode.languages.getDiagnostics(uri).some((d) => codeOf(d) !== undefined));
      await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
      const status = await waitFor(() => {
        const view = api.status();
        return view.text.includes('skipped') && view;
      });
      assert.equal(status.text, '$(circle-slash) NormLens: skipped');
      assert.match(status.tooltip, /above normLens\.maxFileSizeKB \(1 KB\)/);
    } finally {
      await config.update('maxFileSizeKB', undefined, vscode.ConfigurationTarget.Global);
      await closeAllEditors();
      fs.rmSync(root, { recursive: true, force: true });
    }
  });

  it('"Show Rule Documentation" opens the rule\'s page in the Markdown preview', async () => {
    const shown = await vscode.commands.executeCommand<string>(
      'normLens.showRuleDocs',
      'bn-small-batch',
    );
    assert.equal(shown, 'bn-small-batch');
    const tab = await waitForTab((t) => t.label.includes('bn-small-batch.md'));
    assert.ok(tab.input instanceof vscode.TabInputWebview, tab.label);
  });

  it('normlens.json and requirements.txt change severities, the torch pin and the excludes', async () => {
    const settingsFile = fixtureUri('normlens.json');
    const requirements = fixtureUri('requirements.txt');
    const editor = await openFixture(FILE.join('/'));
    const uri = editor.document.uri;
    const momentumSeverity = (severity: vscode.DiagnosticSeverity) => (all: vscode.Diagnostic[]) =>
      all.some((d) => codeOf(d) === 'momentum-convention' && d.severity === severity);
    await waitForDiagnostics(uri, momentumSeverity(vscode.DiagnosticSeverity.Warning), 30000);
    const write = (file: vscode.Uri, text: string) =>
      vscode.workspace.fs.writeFile(file, new TextEncoder().encode(text));
    try {
      // Only this folder's files are affected by the exclude; the severity change lasts seconds.
      await write(
        settingsFile,
        JSON.stringify({ rules: { 'momentum-convention': 'error' }, exclude: ['scan/nested/'] }),
      );
      await write(requirements, 'numpy>=1.24\ntorch==1.13.1\n');
      await waitForDiagnostics(uri, momentumSeverity(vscode.DiagnosticSeverity.Error), 30000);
      const report = await waitFor(async () => {
        const analysed = await vscode.commands.executeCommand<{
          context: { torchVersion?: { version: string } };
        }>('normLens.analyzeFile');
        return analysed.context.torchVersion?.version === '1.13.1' && analysed;
      });
      assert.equal(report.context.torchVersion?.version, '1.13.1');
      const summary = await vscode.commands.executeCommand<{ files: number }>(
        'normLens.analyzeWorkspace',
        fixtureUri('scan'),
      );
      assert.equal(summary.files, 1);
    } finally {
      await vscode.workspace.fs.delete(settingsFile);
      await vscode.workspace.fs.delete(requirements);
    }
    await waitForDiagnostics(uri, momentumSeverity(vscode.DiagnosticSeverity.Warning), 30000);
  });
});

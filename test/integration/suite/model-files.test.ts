/**
 * Files a model names beside itself, read by the editor (open model.json, Analyze Workspace): a
 * weight shard that is a symlink leading out of the model's folder is refused and never read, and
 * a shard bigger than its weights need is refused before it is read whole. The shard outside holds
 * negative running variances, so reading it would raise `running-var-invalid`.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as vscode from 'vscode';
import { closeAllEditors, fixtureUri, waitFor } from '../helpers';

/** The slice of a FileReport these tests read. */
interface Report {
  findings: { rule: string }[];
  errors: { message: string }[];
}

/** The weights of the fixture's BatchNorm (8 channels): γ, β, mean, then the running variance. */
function shard(variance: number): Uint8Array {
  const values = new Float32Array(32);
  values.fill(1, 0, 8);
  values.fill(variance, 24, 32);
  return new Uint8Array(values.buffer);
}

describe('NormLens reads model files only from the model folder', () => {
  let root: string;
  let outside: string;

  /** A model folder inside the workspace with the fixture's model.json and `write` for the shard. */
  function modelFolder(name: string, write: (shardPath: string) => void): vscode.Uri {
    const folder = path.join(root, name);
    fs.mkdirSync(folder, { recursive: true });
    fs.copyFileSync(
      fixtureUri('models', 'tfjs', 'model.json').fsPath,
      path.join(folder, 'model.json'),
    );
    write(path.join(folder, 'group1-shard1of1.bin'));
    return vscode.Uri.file(path.join(folder, 'model.json'));
  }

  /** The report of `uri` opened in an editor (NormLens's own open-document analysis). */
  async function editorReport(uri: vscode.Uri): Promise<Report> {
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
    return waitFor(
      async () => await vscode.commands.executeCommand<Report | undefined>('normLens.analyzeFile'),
    );
  }

  before(() => {
    // A temporary folder inside the workspace (the model) and one outside it (the target).
    root = fs.mkdtempSync(path.join(fixtureUri().fsPath, 'tmp-model-files-'));
    outside = fs.mkdtempSync(path.join(os.tmpdir(), 'normlens-outside-'));
    fs.writeFileSync(path.join(outside, 'secret.bin'), shard(-1));
  });

  after(async () => {
    await closeAllEditors();
    fs.rmSync(root, { recursive: true, force: true });
    fs.rmSync(outside, { recursive: true, force: true });
  });

  it('reads a shard inside the folder (the control: its negative variances are reported)', async () => {
    const uri = modelFolder('inside', (file) => fs.writeFileSync(file, shard(-1)));
    const report = await editorReport(uri);
    assert.ok(
      report.findings.some((f) => f.rule === 'running-var-invalid'),
      JSON.stringify(report),
    );
  });

  it('refuses a shard symlinked out of the folder, in the editor and in Analyze Workspace', async () => {
    const uri = modelFolder('symlinked', (file) =>
      fs.symlinkSync(path.join(outside, 'secret.bin'), file),
    );
    const report = await editorReport(uri);
    assert.ok(!report.findings.some((f) => f.rule === 'running-var-invalid'));
    assert.ok(
      report.errors.some((e) =>
        e.message.includes(
          "Refused weight shard 'group1-shard1of1.bin': it resolves (through a symlink) outside the model folder",
        ),
      ),
      JSON.stringify(report.errors),
    );
    // Analyze Workspace reads shards through the same check: the symlinked model has one finding
    // fewer than the same model with the poisoned shard inside its folder.
    interface Summary {
      files: number;
      findings: number;
    }
    const scan = (folder: string) =>
      vscode.commands.executeCommand<Summary>(
        'normLens.analyzeWorkspace',
        vscode.Uri.file(path.join(root, folder)),
      );
    modelFolder('inside-scanned', (file) => fs.writeFileSync(file, shard(-1)));
    const inside = await scan('inside-scanned');
    const symlinked = await scan('symlinked');
    assert.equal(symlinked.files, 1);
    assert.equal(symlinked.findings, inside.findings - 1, JSON.stringify({ inside, symlinked }));
  });

  it('refuses a shard bigger than its weights need, before reading it', async () => {
    const uri = modelFolder('oversized', (file) => {
      const bytes = new Uint8Array(64 * 1024);
      bytes.set(shard(-1));
      fs.writeFileSync(file, bytes);
    });
    const report = await editorReport(uri);
    assert.ok(!report.findings.some((f) => f.rule === 'running-var-invalid'));
    assert.ok(
      report.errors.some((e) =>
        e.message.includes(
          "Refused weight shard 'group1-shard1of1.bin': it is 64.0 KB, more than the 128 bytes its weights need",
        ),
      ),
      JSON.stringify(report.errors),
    );
  });
});

/**
 * ONNX models and model.json inventories in a real VS Code extension host: the custom editor, its
 * Problems entries (and their removal), the Analyze ONNX Model command and the model.json CodeLens.
 * What the webviews render is checked by the UI checks (test/e2e/checks/5x-*.js).
 */
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import {
  allTabs,
  closeAllEditors,
  fixtureUri,
  waitFor,
  waitForDiagnostics,
  waitForTab,
} from '../helpers';

const codeOf = (d: vscode.Diagnostic): string | undefined =>
  typeof d.code === 'object' ? String(d.code.value) : undefined;

const isOnnxEditor = (uri: vscode.Uri) => (tab: vscode.Tab) =>
  tab.input instanceof vscode.TabInputCustom &&
  tab.input.viewType === 'normLens.onnxViewer' &&
  tab.input.uri.toString() === uri.toString();

describe('NormLens on ONNX models and model.json', () => {
  afterEach(closeAllEditors);

  it('opens a model in the inventory editor and lists its findings in Problems at 0:0', async () => {
    const uri = fixtureUri('models', 'inventory.onnx');
    const opened = await vscode.commands.executeCommand('normLens.analyzeModel', uri);
    assert.equal(opened, uri.toString());
    await waitForTab(isOnnxEditor(uri));
    const diagnostics = await waitForDiagnostics(
      uri,
      (all) =>
        ['running-var-invalid', 'dead-gamma', 'onnx-bn-unfused'].every((rule) =>
          all.some((d) => codeOf(d) === rule),
        ),
      30000,
    );
    const invalid = diagnostics.find((d) => codeOf(d) === 'running-var-invalid');
    assert.ok(invalid);
    assert.equal(invalid.severity, vscode.DiagnosticSeverity.Error);
    assert.equal(invalid.source, 'NormLens');
    assert.deepEqual([invalid.range.start.line, invalid.range.start.character], [0, 0]);
    assert.match(
      invalid.message,
      /running_var has 1 negative and 1 NaN\/Inf values \(channels 2, 5\)/,
    );
    assert.match(invalid.message, /\(nodes conv, bn\)$/);
    const target = typeof invalid.code === 'object' ? invalid.code.target : undefined;
    assert.ok(target?.path.endsWith('/docs/rules/running-var-invalid.md'), String(target));
    const dead = diagnostics.find((d) => codeOf(d) === 'dead-gamma');
    assert.match(dead?.message ?? '', /γ is ≈ 0 in 1 of 8 channels/);
    assert.equal(diagnostics.length, 3, diagnostics.map((d) => d.message).join('\n'));
  });

  it('registers the model commands once active', async () => {
    const commands = await vscode.commands.getCommands(true);
    for (const id of ['normLens.analyzeModel', 'normLens.showModelInventory']) {
      assert.ok(commands.includes(id), id);
    }
  });

  it('removes the Problems entries when the editor closes', async () => {
    const uri = fixtureUri('models', 'conv_bn_train_op15.onnx');
    await vscode.commands.executeCommand('vscode.openWith', uri, 'normLens.onnxViewer');
    await waitForDiagnostics(
      uri,
      (all) => all.some((d) => codeOf(d) === 'onnx-bn-training-mode'),
      30000,
    );
    await closeAllEditors();
    await waitFor(() => !allTabs().some(isOnnxEditor(uri)), { message: 'the editor to close' });
    await waitForDiagnostics(uri, (all) => all.length === 0);
  });

  it('reports a truncated model once, with its byte offset', async () => {
    const uri = fixtureUri('models', 'truncated.onnx');
    await vscode.commands.executeCommand('vscode.openWith', uri, 'normLens.onnxViewer');
    const [error, ...rest] = await waitForDiagnostics(uri, undefined, 30000);
    assert.equal(rest.length, 0);
    assert.equal(error?.severity, vscode.DiagnosticSeverity.Error);
    assert.match(error?.message ?? '', /^Truncated or corrupt ONNX model: .* at offset 0x11$/);
  });

  it('offers "Show normalization inventory" on a model.json and opens the inventory', async () => {
    const uri = fixtureUri('models', 'tfjs', 'model.json');
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
    const lenses = await waitFor(async () => {
      const found = await vscode.commands.executeCommand<vscode.CodeLens[]>(
        'vscode.executeCodeLensProvider',
        uri,
      );
      return found.length > 0 && found;
    });
    const lens = lenses.find((l) => l.command?.title === 'Show normalization inventory');
    assert.ok(lens?.command);
    assert.equal(lens.command.command, 'normLens.showModelInventory');
    assert.equal(lens.range.start.line, 0);
    const title = await vscode.commands.executeCommand(
      lens.command.command,
      ...((lens.command.arguments ?? []) as unknown[]),
    );
    assert.equal(title, 'Inventory: model.json');
    await waitForTab(
      (tab) => tab.label === 'Inventory: model.json' && tab.input instanceof vscode.TabInputWebview,
    );
  });
});

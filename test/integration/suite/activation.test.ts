import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { EXTENSION_ID, activatedExtension, closeAllEditors, openFixture } from '../helpers';

describe('NormLens activation in a real VS Code', () => {
  after(closeAllEditors);

  it('runs in VS Code 1.100 with the real extension API', () => {
    assert.match(vscode.version, /^1\.\d+\.\d+/);
    console.log(`VS Code ${vscode.version}, ${vscode.env.appName}, uiKind ${vscode.env.uiKind}`);
  });

  it('is installed but not active before a Python file opens', () => {
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(extension, `${EXTENSION_ID} is loaded from the repository`);
    assert.equal(extension.isActive, false);
  });

  it('activates when a .py file opens', async () => {
    const started = Date.now();
    const editor = await openFixture('train.py');
    assert.equal(editor.document.languageId, 'python');
    const extension = await activatedExtension();
    assert.equal(extension.isActive, true);
    console.log(`activated ${Date.now() - started} ms after opening train.py`);
  });

  it('registers its commands', async () => {
    const commands = await vscode.commands.getCommands(true);
    for (const id of ['normLens.analyzeFile', 'normLens.openPanel']) {
      assert.ok(commands.includes(id), `${id} is registered`);
    }
  });
});

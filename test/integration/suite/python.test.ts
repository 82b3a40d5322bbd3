/**
 * PyTorch sources in a real VS Code extension host: diagnostics, hover, quick fix, commands.
 */
import * as assert from 'assert';
import * as vscode from 'vscode';

const fixture = (): vscode.Uri => {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'a workspace folder is open');
  return vscode.Uri.joinPath(folder.uri, 'small_batch.py');
};

/** Polls `probe` until it returns a value, or fails after `ms`. */
async function poll<T>(
  probe: () => T | undefined | Promise<T | undefined>,
  ms = 20000,
): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined) {
      return value;
    }
    if (Date.now() > end) {
      throw new Error('timed out waiting');
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function smallBatchDiagnostic(uri: vscode.Uri): Promise<vscode.Diagnostic> {
  return poll(() =>
    vscode.languages
      .getDiagnostics(uri)
      .find((d) => typeof d.code === 'object' && d.code.value === 'bn-small-batch'),
  );
}

suite('NormLens on PyTorch sources', () => {
  let document: vscode.TextDocument;

  suiteSetup(async () => {
    document = await vscode.workspace.openTextDocument(fixture());
    await vscode.window.showTextDocument(document);
  });

  test('publishes bn-small-batch on the BatchNorm call, linked to the DataLoader line', async () => {
    const diagnostic = await smallBatchDiagnostic(document.uri);
    assert.strictEqual(diagnostic.source, 'NormLens');
    assert.strictEqual(diagnostic.severity, vscode.DiagnosticSeverity.Warning);
    assert.strictEqual(diagnostic.range.start.line, 11);
    assert.match(diagnostic.message, /BatchNorm2d trains on batches of 2 \(.*BATCH_SIZE.*\)/);
    assert.match(diagnostic.message, /34\.7%/);
    const related = diagnostic.relatedInformation?.[0];
    assert.strictEqual(related?.location.range.start.line, 18);
    assert.strictEqual(related?.message, 'batch_size=2 here');
    const target = typeof diagnostic.code === 'object' ? diagnostic.code.target : undefined;
    assert.ok(target?.path.endsWith('/docs/rules/bn-small-batch.md'), String(target));
  });

  test('hover explains the layer, its parameters and the finding', async () => {
    const position = new vscode.Position(11, document.lineAt(11).text.indexOf('BatchNorm2d') + 3);
    const text = await poll(async () => {
      const hovers = await vscode.commands.executeCommand<vscode.Hover[]>(
        'vscode.executeHoverProvider',
        document.uri,
        position,
      );
      const joined = hovers
        .flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value)))
        .join('\n');
      return joined.includes('BatchNorm2d') ? joined : undefined;
    });
    assert.match(text, /Normalizes per channel/);
    assert.match(text, /\| num_features \| `48` \| written here \|/);
    assert.match(text, /\| eps \| `1e-3` \| written here \|/);
    assert.match(text, /\| momentum \| `0\.1` \| default/);
    assert.match(text, /\| affine \| `True` \| default \|/);
    assert.match(text, /bn-small-batch/);
    assert.match(text, /Visualize in panel/);
  });

  test('the GroupNorm quick fix rewrites the call', async () => {
    const diagnostic = await smallBatchDiagnostic(document.uri);
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>(
      'vscode.executeCodeActionProvider',
      document.uri,
      diagnostic.range,
    );
    const titles = actions.map((a) => a.title);
    const groupNorm = actions.find((a) => a.title.startsWith('Replace with nn.GroupNorm(24, 48)'));
    assert.ok(groupNorm?.edit, `quick fixes: ${titles.join(' | ')}`);
    assert.ok(
      titles.some((t) => t.startsWith('Replace with nn.SyncBatchNorm')),
      titles.join(' | '),
    );
    assert.ok(await vscode.workspace.applyEdit(groupNorm.edit));
    assert.strictEqual(document.lineAt(11).text.trim(), 'self.bn = nn.GroupNorm(24, 48, eps=1e-3)');
    // GroupNorm does not depend on the batch, so the finding goes away after re-analysis.
    await poll(() =>
      vscode.languages.getDiagnostics(document.uri).some((d) => d.source === 'NormLens')
        ? undefined
        : true,
    );
    await vscode.commands.executeCommand('undo');
    await smallBatchDiagnostic(document.uri);
  });

  test('"Analyze Current File" returns the sites and findings', async () => {
    await vscode.window.showTextDocument(document);
    const report = await vscode.commands.executeCommand<{
      sites: { variant: string }[];
      findings: { rule: string }[];
    }>('normLens.analyzeFile');
    assert.deepStrictEqual(
      report.sites.map((s) => s.variant),
      ['BatchNorm2d'],
    );
    assert.deepStrictEqual(
      report.findings.map((f) => f.rule),
      ['bn-small-batch'],
    );
  });

  test('"Open Normalization Panel" opens a webview tab', async () => {
    const title = await vscode.commands.executeCommand<string>('normLens.openPanel');
    const tab = await poll(() =>
      vscode.window.tabGroups.all.flatMap((g) => g.tabs).find((t) => t.label === title),
    );
    assert.ok(tab.input instanceof vscode.TabInputWebview);
  });
});

/**
 * PyTorch sources in a real VS Code extension host: diagnostics, hover, quick fix, commands.
 */
import * as assert from 'assert';
import * as vscode from 'vscode';
import {
  hoverText,
  openFixture,
  positionOf,
  waitFor,
  waitForDiagnostics,
  waitForTab,
} from '../helpers';

const isSmallBatch = (d: vscode.Diagnostic): boolean =>
  typeof d.code === 'object' && d.code.value === 'bn-small-batch';

async function smallBatchDiagnostic(uri: vscode.Uri): Promise<vscode.Diagnostic> {
  const diagnostics = await waitForDiagnostics(uri, (all) => all.some(isSmallBatch), 30000);
  const found = diagnostics.find(isSmallBatch);
  assert.ok(found);
  return found;
}

suite('NormLens on PyTorch sources', () => {
  let document: vscode.TextDocument;

  suiteSetup(async () => {
    document = (await openFixture('small_batch.py')).document;
  });

  test('publishes bn-small-batch on the BatchNorm call, linked to the DataLoader line', async () => {
    const diagnostic = await smallBatchDiagnostic(document.uri);
    assert.strictEqual(diagnostic.source, 'NormLens');
    assert.strictEqual(diagnostic.severity, vscode.DiagnosticSeverity.Warning);
    assert.strictEqual(diagnostic.range.start.line, positionOf(document, 'nn.BatchNorm2d').line);
    assert.match(diagnostic.message, /BatchNorm2d trains on batches of 2 \(.*BATCH_SIZE.*\)/);
    assert.match(diagnostic.message, /34\.7%/);
    const related = diagnostic.relatedInformation?.[0];
    assert.strictEqual(
      related?.location.range.start.line,
      positionOf(document, 'DataLoader(data').line,
    );
    assert.strictEqual(related.message, 'batch_size=2 here');
    const target = typeof diagnostic.code === 'object' ? diagnostic.code.target : undefined;
    assert.ok(target?.path.endsWith('/docs/rules/bn-small-batch.md'), String(target));
  });

  test('hover explains the layer, its parameters and the finding', async () => {
    const position = positionOf(document, 'BatchNorm2d').translate(0, 3);
    const text = await waitFor(async () => {
      const hover = await hoverText(document.uri, position);
      return hover.includes('BatchNorm2d') && hover;
    });
    assert.match(text, /Normalizes per channel/);
    assert.match(text, /\| num_features \| `48` \| written here \|/);
    assert.match(text, /\| eps \| `0\.001` \| written here \|/);
    assert.match(
      text,
      /\| momentum \| `0\.1` \| default; weights the new batch; Keras\/tfjs\/ONNX equivalent 0\.9 \|/,
    );
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
    const line = positionOf(document, 'self.bn =').line;
    assert.strictEqual(
      document.lineAt(line).text.trim(),
      'self.bn = nn.GroupNorm(24, 48, eps=1e-3)',
    );
    // GroupNorm does not depend on the batch, so the finding goes away after re-analysis.
    await waitForDiagnostics(document.uri, (all) => !all.some(isSmallBatch));
    await vscode.window.showTextDocument(document);
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
    const tab = await waitForTab((t) => t.label === title);
    assert.ok(tab.input instanceof vscode.TabInputWebview);
  });
});

suite('NormLens on an indirect norm_layer(...) site', () => {
  let document: vscode.TextDocument;

  suiteSetup(async () => {
    document = (await openFixture('indirect/resnet_block.py')).document;
  });

  test('publishes bn-small-batch on the norm_layer(planes) call', async () => {
    const diagnostic = await smallBatchDiagnostic(document.uri);
    assert.strictEqual(diagnostic.source, 'NormLens');
    const call = positionOf(document, 'norm_layer(planes)');
    assert.deepStrictEqual(
      [diagnostic.range.start.line, diagnostic.range.start.character],
      [call.line, call.character],
    );
    assert.strictEqual(
      diagnostic.range.end.character,
      call.character + 'norm_layer(planes)'.length,
    );
    assert.match(
      diagnostic.message,
      /^BatchNorm2d trains on batches of 2 \(DataLoader\(batch_size=2\)\)/,
    );
    assert.strictEqual(
      diagnostic.relatedInformation?.[0]?.location.range.start.line,
      positionOf(document, 'DataLoader(data').line,
    );
  });

  test('hover on norm_layer names the resolved BatchNorm2d and the finding', async () => {
    const position = positionOf(document, 'norm_layer(planes)').translate(0, 2);
    const text = await waitFor(async () => {
      const hover = await hoverText(document.uri, position);
      return hover.includes('BatchNorm2d') && hover;
    });
    assert.match(text, /\*\*BatchNorm2d\*\*/);
    assert.match(text, /Normalizes per channel/);
    assert.match(text, /\| num_features \| .* \| not resolved: `planes` \|/);
    assert.match(text, /\| eps \| `1e-5` \| default \|/);
    assert.match(text, /bn-small-batch/);
  });
});

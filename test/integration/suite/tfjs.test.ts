/**
 * TensorFlow.js sources in a real VS Code extension host: the hover and the diagnostic on a
 * `tf.layers.batchNormalization` call.
 */
import * as assert from 'assert';
import type * as vscode from 'vscode';
import { hoverText, openFixture, positionOf, waitFor, waitForDiagnostics } from '../helpers';

suite('NormLens on TensorFlow.js sources', () => {
  let document: vscode.TextDocument;

  suiteSetup(async () => {
    document = (await openFixture('tfjs_model.js')).document;
  });

  test('flags a PyTorch-style momentum in Keras convention', async () => {
    const diagnostics = await waitForDiagnostics(
      document.uri,
      (all) =>
        all.some((d) => typeof d.code === 'object' && d.code.value === 'momentum-convention'),
      30000,
    );
    const diagnostic = diagnostics.find(
      (d) => typeof d.code === 'object' && d.code.value === 'momentum-convention',
    );
    assert.strictEqual(
      diagnostic?.range.start.line,
      positionOf(document, 'tf.layers.batchNormalization').line,
    );
    assert.match(diagnostic.message, /momentum=0\.1 in TensorFlow\.js/);
  });

  test('hover explains the layer with Keras defaults and both momentum conventions', async () => {
    const position = positionOf(document, 'batchNormalization').translate(0, 4);
    const text = await waitFor(async () => {
      const hover = await hoverText(document.uri, position);
      return hover.includes('batchNormalization') && hover;
    });
    assert.match(text, /Normalizes per channel/);
    assert.match(
      text,
      /\| momentum \| `0\.1` \| written here; weights the old value; PyTorch equivalent 0\.9 \|/,
    );
    assert.match(text, /\| epsilon \| `0\.001` \| default \|/);
    assert.doesNotMatch(text, /Initializer/);
    assert.match(text, /momentum-convention/);
  });
});

// Hovering the BatchNorm call shows what it normalizes over, its parameters and the finding.
'use strict';
const assert = require('node:assert/strict');

module.exports = {
  title: 'hover on nn.BatchNorm2d explains the layer and the small-batch finding',
  settings: { 'editor.hover.delay': 100 },
  async run(workbench) {
    await workbench.openFile('train.py');
    const text = await workbench.hoverWord('BatchNorm2d', {
      line: 'self.bn = nn.BatchNorm2d(64)',
      expect: 'Normalizes per channel',
      timeout: 60000,
    });
    assert.match(text, /BatchNorm2d/);
    assert.match(text, /num_features\s+64\s+written here/);
    assert.match(text, /eps\s+1e-5\s+default/);
    assert.match(
      text,
      /momentum\s+0\.1\s+default; weights the new batch; Keras\/tfjs\/ONNX equivalent 0\.9/,
    );
    assert.match(text, /bn-small-batch: BatchNorm2d trains on batches of 2/);
    assert.match(text, /Visualize in panel/);
    await workbench.screenshot('10-hover');
    await workbench.dismiss();
  },
};

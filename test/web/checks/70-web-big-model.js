// The web host reads a model whole, so a model over its limit is not read at all: the inventory
// editor and the Problems panel say why, and where it can be opened. drive-web.js puts a sparse
// 600 MB file, models/web-too-big.onnx, into its copy of the workspace.
'use strict';
const assert = require('node:assert/strict');

const REASON =
  /^web-too-big\.onnx is 600 MB: NormLens in the browser reads a model whole and opens models up to 512 MB\. Open it in VS Code desktop or a remote window/;

module.exports = {
  title: 'a model too big for the browser is refused with a clear message',
  async run(workbench) {
    await workbench.runCommand('View: Close All Editors');
    await workbench.openFile('web-too-big.onnx');
    const frame = await workbench.webviewFrame('web-too-big.onnx');
    const error = frame.locator('#inventory-error');
    await error.waitFor({ timeout: 60000 });
    assert.match((await error.innerText()).trim(), REASON);
    const problems = await workbench.readProblems({ expect: /web-too-big\.onnx is 600 MB/ });
    assert.ok(
      problems.some((t) => /opens models up to 512 MB/.test(t)),
      problems.join('\n'),
    );
    await workbench.screenshot('70-big-model');
  },
};

// A truncated model shows one line with the reason and the byte offset instead of a table, and
// the same reason as an error in the Problems panel.
'use strict';
const assert = require('node:assert/strict');

module.exports = {
  title: 'a truncated model shows the one-line error with its byte offset',
  async run(workbench) {
    await workbench.openFile('truncated.onnx');
    const frame = await workbench.webviewFrame('truncated.onnx');
    const error = frame.locator('#inventory-error');
    await error.waitFor({ timeout: 60000 });
    const text = (await error.innerText()).trim();
    assert.match(text, /^Truncated or corrupt ONNX model: .* at offset 0x11 \(byte offset 17\)$/);
    assert.equal(text.split('\n').length, 1);
    assert.equal(await frame.locator('#inventory').count(), 0, 'no table');
    const problems = await workbench.readProblems({ expect: /Truncated or corrupt ONNX model/ });
    assert.ok(problems.some((t) => t.includes('offset 0x11')));
    await workbench.screenshot('52-onnx-truncated');
  },
};

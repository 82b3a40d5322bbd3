// The classic @vscode/test-electron entry for the extension-host suite (dist/test/index.js).
//
// By default it points test-electron at scripts/code-shim.js, which runs the suite in code-server,
// because the desktop VS Code cannot be downloaded on this project's build machines. On a machine
// that can download it, VSCODE_DESKTOP=1 (optionally VSCODE_VERSION=1.100.3, the default) runs the
// same suite in the real desktop VS Code instead; the output says which one ran.
'use strict';
const path = require('node:path');
const { runTests } = require('@vscode/test-electron');

const root = path.resolve(__dirname, '..');
const desktop = process.env.VSCODE_DESKTOP === '1';
const options = {
  extensionDevelopmentPath: root,
  extensionTestsPath: path.join(root, 'dist/test/index.js'),
  launchArgs: [path.join(root, 'test/fixtures/workspace')],
  ...(desktop
    ? { version: process.env.VSCODE_VERSION || '1.100.3' }
    : { vscodeExecutablePath: path.join(root, 'scripts/code-shim.js') }),
};
console.log(
  desktop
    ? `running the suite in desktop VS Code ${options.version} (downloaded by @vscode/test-electron)`
    : 'running the suite in code-server through scripts/code-shim.js (set VSCODE_DESKTOP=1 for desktop VS Code)',
);
runTests(options).catch((error) => {
  console.error('extension tests failed:', error.message);
  process.exit(1);
});

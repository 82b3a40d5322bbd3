#!/usr/bin/env node
// A stand-in "VS Code executable" for @vscode/test-electron (test/runTest.js) on machines where the
// desktop VS Code cannot be downloaded. runTests({ vscodeExecutablePath: <this file> }) spawns it
// with --extensionDevelopmentPath=… --extensionTestsPath=… [launchArgs, e.g. a folder] and waits for
// its exit code; this forwards the run to code-server through scripts/run-ext-tests.js. Flags meant
// for the Electron app (--no-sandbox, --user-data-dir, …) do not apply to code-server and are ignored.
'use strict';
const path = require('node:path');
const { fileURLToPath } = require('node:url');
const { runExtensionTests } = require('./run-ext-tests');

/** A path argument that may also come as a file: URI. */
const toPath = (value) => (value.startsWith('file:') ? fileURLToPath(value) : value);

const developmentPaths = [];
let testsPath;
let folder;
for (const arg of process.argv.slice(2)) {
  const [key, ...rest] = arg.split('=');
  const value = rest.join('=');
  if (key === '--extensionDevelopmentPath') {
    developmentPaths.push(toPath(value));
  } else if (key === '--extensionTestsPath') {
    testsPath = toPath(value);
  } else if (key === '--folder-uri') {
    folder = toPath(value);
  } else if (!arg.startsWith('-')) {
    folder = arg;
  }
}
if (developmentPaths.length === 0 || !testsPath) {
  console.error('code-shim: --extensionDevelopmentPath and --extensionTestsPath are required');
  process.exit(64);
}
void runExtensionTests({
  extensionDevelopmentPath: developmentPaths,
  extensionTestsPath: testsPath,
  ...(folder ? { folder: path.resolve(folder) } : {}),
}).then((code) => process.exit(code));

#!/usr/bin/env node
// Mode B: installs the packaged extension (build/normlens.vsix) into a fresh code-server, opens the
// fixture workspace in headless Chromium, and runs the UI checks in test/e2e/checks/*.js in file-name
// order against that one workbench, as a user would click through it.
//
// A check module exports { title: string, settings?: object, run: async (workbench) => void };
// `workbench` is the Workbench of ./driver.js (openFile, runCommand, hoverWord, readProblems,
// webviewFrame, screenshot, ...). Each check's `settings` are merged into the user settings before
// start-up. A failing check is recorded with a screenshot (zz-failed-<check>.png) and the next
// check still runs.
//
// Prints "N passed, N failed" last; exit code 0 when all passed, 1 when a check failed, 3 when the
// workbench did not start. Screenshots go to test-results/shots.
// Env: EXT_VSIX (default build/normlens.vsix), WORKSPACE (default test/fixtures/workspace),
//      SHOTS (default test-results/shots), E2E_ONLY (run only checks whose file name contains it),
//      KEEP_TMP=1 keeps code-server's logs, plus those of scripts/run-ext-tests.js.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { runChecks, startWorkbench } = require('./driver');

const ROOT = path.resolve(__dirname, '../..');
const VSIX = path.resolve(process.env.EXT_VSIX || path.join(ROOT, 'build/normlens.vsix'));
const WORKSPACE = path.resolve(process.env.WORKSPACE || path.join(ROOT, 'test/fixtures/workspace'));
const SHOTS = path.resolve(process.env.SHOTS || path.join(ROOT, 'test-results/shots'));
const CHECKS_DIR = path.join(__dirname, 'checks');

/** The check modules, in file-name order. */
function loadChecks() {
  const only = process.env.E2E_ONLY;
  return fs
    .readdirSync(CHECKS_DIR)
    .filter((name) => name.endsWith('.js') && (!only || name.includes(only)))
    .sort()
    .map((name) => ({ name: path.basename(name, '.js'), ...require(path.join(CHECKS_DIR, name)) }));
}

async function main() {
  if (!fs.existsSync(VSIX)) {
    console.error(`${VSIX} does not exist: run \`npm run package\` first`);
    return 3;
  }
  const checks = loadChecks();
  const settings = Object.assign({}, ...checks.map((check) => check.settings || {}));
  const runStarted = Date.now();
  let workbench;
  try {
    workbench = await startWorkbench({
      vsix: VSIX,
      workspace: WORKSPACE,
      settings,
      shotsDir: SHOTS,
    });
  } catch (error) {
    console.error('the workbench did not start:', error);
    console.log(`0 passed, ${checks.length} failed`);
    return 3;
  }
  console.log(
    `workbench up in ${Date.now() - runStarted} ms (code-server log: ${workbench.server.logFile})`,
  );
  let outcome;
  try {
    outcome = await runChecks(workbench, checks);
  } finally {
    await workbench.stop();
  }
  const { passed, failed } = outcome;
  console.log(`screenshots in ${path.relative(process.cwd(), SHOTS) || '.'}`);
  console.log(`UI checks took ${Date.now() - runStarted} ms`);
  console.log(`${passed} passed, ${failed} failed`);
  return failed > 0 ? 1 : 0;
}

void main().then((code) => process.exit(code));

#!/usr/bin/env node
// Web-extension test: NormLens's `browser` entry running in the web worker extension host of a
// browser-hosted VS Code (code-server's workbench in headless Chromium), driven through the UI.
//
// It packages the web-only variant (./web-vsix.js: no "main", so VS Code can only run it in the web
// worker), installs it into a fresh code-server, proves the host from VS Code's Running Extensions
// view, then runs the Mode B checks that matter for the web: the hover on nn.BatchNorm2d, the
// Problems entry, the .onnx inventory editor with a layer's weights in the panel and Analyze Workspace
// feeding the NormLens view (analysed in the web worker's own thread) — sources and
// models read through workspace.fs, with no Node APIs — and the refusal of a model too big for the
// browser's memory. It works on a temporary copy of the fixture workspace.
//
// Usage: node test/web/drive-web.js   (build first: node scripts/build-wasm.mjs && node esbuild.mjs)
// Prints "N passed, N failed" last; exit code 0 when all passed, 1 when a check failed, 3 when the
// package or the workbench could not be made. Screenshots: test-results/shots/web-*.png.
// Env: WORKSPACE (default test/fixtures/workspace), SHOTS (default test-results/shots),
//      KEEP_TMP=1 keeps code-server's logs and the .vsix, VERBOSE=1 echoes the page's console.
'use strict';
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { runChecks, startWorkbench } = require('../e2e/driver');
const { packageWebOnlyVsix } = require('./web-vsix');

const ROOT = path.resolve(__dirname, '../..');
const FIXTURES = path.resolve(process.env.WORKSPACE || path.join(ROOT, 'test/fixtures/workspace'));
/** Size of the sparse model over the web host's limit (src/extension/main-web.ts). */
const TOO_BIG_MB = 600;
const SHOTS = path.resolve(process.env.SHOTS || path.join(ROOT, 'test-results/shots'));

/** A check by file name: the web host proof lives here, the rest are the Mode B checks. */
function check(dir, name) {
  return { name, ...require(path.join(dir, name)) };
}

/** The order matters: opening train.py activates NormLens before its host is looked up. */
const CHECKS = [
  check(path.join(ROOT, 'test/e2e/checks'), '00-workbench'),
  check(path.join(ROOT, 'test/e2e/checks'), '10-hover'),
  check(path.join(ROOT, 'test/e2e/checks'), '20-problems'),
  check(path.join(ROOT, 'test/e2e/checks'), '50-onnx-editor'),
  check(path.join(ROOT, 'test/e2e/checks'), '60-workspace-tree'),
  check(path.join(__dirname, 'checks'), '05-web-worker-host'),
  check(path.join(__dirname, 'checks'), '70-web-big-model'),
];

/**
 * A copy of the fixture workspace with a sparse model over the web host's limit: it takes no disk
 * space, and the shared fixtures stay untouched.
 */
function prepareWorkspace(tmp) {
  const workspace = path.join(tmp, 'workspace');
  fs.cpSync(FIXTURES, workspace, { recursive: true });
  const big = path.join(workspace, 'models/web-too-big.onnx');
  fs.writeFileSync(big, '');
  fs.truncateSync(big, TOO_BIG_MB * 1024 * 1024);
  return workspace;
}

/** The installed copy has no Node entry: nothing but a web extension host can run it. */
function assertInstalledWebOnly(extensionsDir) {
  const installed = fs.readdirSync(extensionsDir).filter((d) => d.startsWith('normlens.normlens-'));
  assert.equal(installed.length, 1, `installed: ${installed.join(', ')}`);
  const manifest = JSON.parse(
    fs.readFileSync(path.join(extensionsDir, installed[0], 'package.json'), 'utf8'),
  );
  assert.equal(manifest.main, undefined, 'the web-only package must have no "main"');
  assert.ok(fs.existsSync(path.join(extensionsDir, installed[0], manifest.browser)));
  assert.ok(!fs.existsSync(path.join(extensionsDir, installed[0], 'dist/extension.js')));
}

async function main() {
  const runStarted = Date.now();
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'normlens-web-'));
  let workbench;
  try {
    const { vsix } = await packageWebOnlyVsix(path.join(tmp, 'normlens-web.vsix'));
    console.log(`web-only package in ${Date.now() - runStarted} ms`);
    const started = Date.now();
    workbench = await startWorkbench({
      vsix,
      workspace: prepareWorkspace(tmp),
      settings: Object.assign({}, ...CHECKS.map((c) => c.settings || {})),
      shotsDir: SHOTS,
      shotPrefix: 'web-',
    });
    if (process.env.VERBOSE) {
      workbench.page.on('console', (m) => process.stdout.write(`[page:${m.type()}] ${m.text()}\n`));
    }
    assertInstalledWebOnly(workbench.server.extensionsDir);
    console.log(
      `workbench up in ${Date.now() - started} ms (code-server log: ${workbench.server.logFile})`,
    );
  } catch (error) {
    console.error('the web-only package or the workbench could not be made:', error);
    await workbench?.stop();
    console.log(`0 passed, ${CHECKS.length} failed`);
    return 3;
  }
  let result;
  try {
    result = await runChecks(workbench, CHECKS);
  } finally {
    await workbench.stop();
    if (!process.env.KEEP_TMP) {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  }
  console.log(`screenshots in ${path.relative(process.cwd(), SHOTS) || '.'} (web-*.png)`);
  console.log(`web extension test took ${Date.now() - runStarted} ms`);
  console.log(`${result.passed} passed, ${result.failed} failed`);
  return result.failed > 0 ? 1 : 0;
}

void main().then((code) => process.exit(code));

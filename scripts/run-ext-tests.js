#!/usr/bin/env node
// Runs NormLens's extension-host test suite (Mode A) inside code-server, i.e. the real VS Code 1.100.3
// workbench and Node extension host, with headless Debian Chromium hosting the workbench page.
// The workbench calls window.codeAutomationExit(code) when the suite's run() settles (the hook
// @vscode/test-web also uses), and that code becomes this script's exit code.
//
// CLI:  node scripts/run-ext-tests.js [extensionDevelopmentPath] [extensionTestsPath] [workspaceFolder]
//       defaults: the repository root, dist/test/index.js, test/fixtures/workspace
// Exit: 0 all passed, 1 a test failed or the runner did not load, 2 timeout, 3 infrastructure error.
// Env:  CS_BIN (code-server binary), CHROMIUM (default /usr/bin/chromium),
//       EXT_TEST_TIMEOUT_MS (default 300000), EXT_TEST_GREP (mocha grep), KEEP_TMP=1 keeps the
//       temporary user data and logs, VERBOSE=1 echoes the workbench page's console.
//
// Library (also used by test/e2e/driver.js, scripts/start.mjs and scripts/code-shim.js):
//   launchCodeServer(options) -> Promise<CodeServer>
//     options: { workspace?: string, settings?: object, vsix?: string[], env?: object,
//                port?: number       // default: a free port
//                stateDir?: string   // persistent user-data/extensions dirs (settings written only
//                                    // on the first start); default: a fresh temporary dir
//                payload?: (port) => Array<[string, string]> }  // VS Code web workbench payload
//     CodeServer: { port, origin, url, tmp, logFile, userDataDir, extensionsDir, child, stop() }
//   launchBrowser() -> Promise<import('playwright-core').Browser>
//   runExtensionTests({ extensionDevelopmentPath, extensionTestsPath, folder?, env?, timeoutMs? }) -> Promise<number>
//   stopProcessGroup(child) -> Promise<void>
'use strict';
const { chromium } = require('playwright-core');
const { spawn, execFileSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const net = require('node:net');

const ROOT = path.resolve(__dirname, '..');
const CS_BIN =
  process.env.CS_BIN || path.join(ROOT, '.vscode-test/code-server/node_modules/.bin/code-server');

/** User settings that keep the workbench quiet, offline and deterministic. */
const BASE_SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'security.workspace.trust.enabled': false,
  'telemetry.telemetryLevel': 'off',
  'extensions.autoUpdate': false,
  'extensions.autoCheckUpdates': false,
  'extensions.ignoreRecommendations': true,
  'update.mode': 'none',
  'git.enabled': false,
  'chat.disableAIFeatures': true,
};

/** Asks the OS for a port that is free right now on 127.0.0.1. */
function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** Polls an HTTP endpoint until it answers without a server error. */
async function waitForHttp(url, timeoutMs) {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    try {
      const response = await fetch(url);
      if (response.status < 500) {
        return;
      }
    } catch {
      // Not listening yet: code-server takes one to three seconds to bind.
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`code-server did not answer at ${url} within ${timeoutMs} ms`);
}

/**
 * Stops a child that was spawned detached, together with everything it forked (extension host,
 * file watcher, pty host): SIGTERM to the process group, then SIGKILL after five seconds.
 */
async function stopProcessGroup(child) {
  const signal = (sig) => {
    try {
      process.kill(-child.pid, sig);
      return true;
    } catch {
      return false; // The group is already gone.
    }
  };
  if (!signal('SIGTERM')) {
    return;
  }
  for (let i = 0; i < 50; i++) {
    if (!signal(0)) {
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  signal('SIGKILL');
}

/** The `vscode-remote:` form of an absolute path, as the workbench payload expects it. */
function remoteUri(port, absolutePath) {
  return `vscode-remote://127.0.0.1:${port}${absolutePath}`;
}

/**
 * Starts code-server on 127.0.0.1 in its own process group, with its own user data, extensions,
 * config and XDG directories, so that nothing is read from or written to $HOME and parallel runs
 * never share state. Installs the given .vsix files first (local files: no network).
 */
async function launchCodeServer(options = {}) {
  if (!fs.existsSync(CS_BIN)) {
    throw new Error(`code-server not found at ${CS_BIN}: run \`npm run setup:code-server\` first`);
  }
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'normlens-cs-'));
  const stateDir = options.stateDir ? path.resolve(options.stateDir) : tmp;
  const userDataDir = path.join(stateDir, 'user-data');
  const extensionsDir = path.join(stateDir, 'extensions');
  const settingsFile = path.join(userDataDir, 'User', 'settings.json');
  // A persistent state dir keeps the settings the user changed since the first start.
  if (!fs.existsSync(settingsFile)) {
    fs.mkdirSync(path.dirname(settingsFile), { recursive: true });
    fs.writeFileSync(
      settingsFile,
      JSON.stringify({ ...BASE_SETTINGS, ...options.settings }, null, 2),
    );
  }
  // The extension host inherits this environment. EXTENSIONS_GALLERY={} stops Open VSX lookups of
  // an unreachable host; XDG_* keep code-server's config.yaml, heartbeat and logs out of $HOME.
  const env = {
    EXTENSIONS_GALLERY: '{}',
    ...process.env,
    XDG_CONFIG_HOME: path.join(tmp, 'xdg-config'),
    XDG_DATA_HOME: path.join(tmp, 'xdg-data'),
    ...options.env,
  };
  const common = [
    '--user-data-dir',
    userDataDir,
    '--extensions-dir',
    extensionsDir,
    '--config',
    path.join(tmp, 'config.yaml'),
  ];
  for (const vsix of options.vsix || []) {
    execFileSync(CS_BIN, [...common, '--install-extension', path.resolve(vsix), '--force'], {
      env,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
  }
  const port = options.port || (await freePort());
  const child = spawn(
    CS_BIN,
    [
      ...common,
      '--bind-addr',
      `127.0.0.1:${port}`,
      '--auth',
      'none',
      '--disable-telemetry',
      '--disable-update-check',
      '--disable-workspace-trust',
      '--disable-getting-started-override',
      '--ignore-last-opened',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'], env, detached: true },
  );
  const logFile = path.join(tmp, 'code-server.log');
  const log = fs.createWriteStream(logFile);
  child.stdout.pipe(log);
  child.stderr.pipe(log);
  const origin = `http://127.0.0.1:${port}`;
  const query = [];
  if (options.workspace) {
    // Slashes stay readable, so that the printed URL shows which folder it opens.
    query.push(
      `folder=${encodeURIComponent(path.resolve(options.workspace)).replace(/%2F/g, '/')}`,
    );
  }
  if (options.payload) {
    query.push(`payload=${encodeURIComponent(JSON.stringify(options.payload(port)))}`);
  }
  const server = {
    port,
    origin,
    url: `${origin}/${query.length ? `?${query.join('&')}` : ''}`,
    tmp,
    logFile,
    userDataDir,
    extensionsDir,
    child,
    async stop() {
      await stopProcessGroup(child);
      log.end();
    },
  };
  try {
    await waitForHttp(`${origin}/healthz`, 60000);
  } catch (error) {
    await server.stop();
    throw error;
  }
  return server;
}

/** Starts headless Debian Chromium through playwright-core (a fresh temporary profile each time). */
function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    // Root needs --no-sandbox; the rest keeps Chromium from reaching for the network.
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** Workbench log lines that say nothing about the tests. */
const NOISE =
  /^(Creating a socket|Resolving connection token|Resolved connection token|Ignoring fetching additional builtin|Updating additional builtin|ChatSessionStore|\[Service Worker\])/;

/** Streams the extension host's console (mocha's reporter) to stdout. */
function echoHostConsole(type, args) {
  const list = Array.isArray(args) ? args : [args];
  if (!process.env.VERBOSE && typeof list[0] === 'string' && NOISE.test(list[0])) {
    return;
  }
  (console[type] || console.log)(...list);
}

/** Saves the workbench's own logs that codeAutomationExit hands over. */
function saveWorkbenchLogs(dir, logs) {
  for (const entry of logs || []) {
    const file = path.join(dir, entry.relativePath);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, entry.contents);
  }
}

/** Prints what the in-host runner recorded (see test/integration/suite/index.ts). */
function printResults(resultsFile) {
  const results = JSON.parse(fs.readFileSync(resultsFile, 'utf8'));
  for (const test of results.tests) {
    const mark = test.state === 'passed' ? '  ok  ' : '  FAIL';
    const reason = test.error ? `\n        ${test.error.split('\n')[0]}` : '';
    console.log(`${mark} ${test.title}${reason}`);
  }
  console.log(`${results.passed} passed, ${results.failed} failed`);
}

/**
 * Runs the module at extensionTestsPath (which exports run()) in the extension host, with the
 * extension(s) at extensionDevelopmentPath loaded from source. Resolves with the exit code.
 */
async function runExtensionTests(options) {
  const started = Date.now();
  const devPaths = [].concat(options.extensionDevelopmentPath).map((p) => path.resolve(p));
  const testsPath = path.resolve(options.extensionTestsPath);
  const timeoutMs = options.timeoutMs || Number(process.env.EXT_TEST_TIMEOUT_MS || 300000);
  const resultsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'normlens-results-'));
  const resultsFile = path.join(resultsDir, 'results.json');
  if (!fs.existsSync(testsPath)) {
    console.error(`${testsPath} does not exist: build the tests first (node esbuild.mjs --tests)`);
    return 1;
  }
  let server;
  let browser;
  let code = 3;
  try {
    server = await launchCodeServer({
      workspace: options.folder || fs.mkdtempSync(path.join(os.tmpdir(), 'normlens-empty-ws-')),
      env: { EXT_TEST_RESULTS: resultsFile, ...options.env },
      // VS Code web's own way to open an Extension Development Host window: the remote (Node)
      // extension host maps vscode-remote://<page host:port>/abs/path to file:///abs/path.
      payload: (port) => [
        ...devPaths.map((p) => ['extensionDevelopmentPath', remoteUri(port, p)]),
        ['extensionTestsPath', remoteUri(port, testsPath)],
      ],
    });
    browser = await launchBrowser();
    const page = await (await browser.newContext()).newPage();
    if (process.env.VERBOSE) {
      page.on('console', (m) => process.stdout.write(`[page:${m.type()}] ${m.text()}\n`));
    }
    await page.exposeFunction('codeAutomationLog', echoHostConsole);
    const exited = new Promise((resolve) => {
      void page.exposeFunction('codeAutomationExit', (exitCode, logs) => {
        try {
          saveWorkbenchLogs(path.join(server.tmp, 'workbench-logs'), logs);
        } catch (error) {
          console.error('could not save the workbench logs:', error);
        }
        resolve(exitCode);
      });
    });
    let timer;
    const timedOut = new Promise((resolve) => {
      timer = setTimeout(() => resolve('timeout'), timeoutMs);
    });
    await page.goto(server.url);
    code = await Promise.race([exited, timedOut]);
    clearTimeout(timer);
    if (code === 'timeout') {
      console.error(`extension tests timed out after ${timeoutMs} ms`);
      code = 2;
    }
  } catch (error) {
    console.error('extension test infrastructure failed:', error);
    code = 3;
  } finally {
    if (browser) {
      await browser.close().catch(() => undefined);
    }
    if (server) {
      await server.stop();
    }
  }
  if (fs.existsSync(resultsFile)) {
    printResults(resultsFile);
  } else if (code !== 0) {
    console.log('no results were recorded: did the test runner load? Re-run with VERBOSE=1.');
  }
  console.log(`extension tests exit code ${code} in ${Date.now() - started} ms`);
  fs.rmSync(resultsDir, { recursive: true, force: true });
  if (server && (process.env.KEEP_TMP || code !== 0)) {
    console.log(`code-server and workbench logs kept in ${server.tmp}`);
  } else if (server) {
    fs.rmSync(server.tmp, { recursive: true, force: true });
  }
  return code;
}

module.exports = {
  BASE_SETTINGS,
  launchCodeServer,
  launchBrowser,
  runExtensionTests,
  stopProcessGroup,
};

if (require.main === module) {
  // Arguments are relative to the working directory; the defaults to the repository root.
  const [
    dev = ROOT,
    tests = path.join(ROOT, 'dist/test/index.js'),
    folder = path.join(ROOT, 'test/fixtures/workspace'),
  ] = process.argv.slice(2);
  void runExtensionTests({ extensionDevelopmentPath: dev, extensionTestsPath: tests, folder }).then(
    (code) => process.exit(code),
  );
}

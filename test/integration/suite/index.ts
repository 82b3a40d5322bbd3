// The extension-host test entry (VS Code's extensionTestsPath): esbuild bundles this file into
// dist/test/index.js, and VS Code calls its exported run() inside the real extension host.
//
// Test files are bundled into this one file, so mocha cannot discover them on disk: each one is
// listed in TEST_FILES below, loaded lazily through a dynamic import after mocha has installed its
// globals. A new `*.test.ts` in this folder must be added there; run() refuses to start when a file
// on disk is missing from the list, so a forgotten entry fails loudly instead of silently skipping.
import fs from 'node:fs';
import path from 'node:path';
import Mocha from 'mocha';

/**
 * Every test file of the suite, by file name, with the import that loads it, in run order.
 * activation.test.ts stays first: it checks that NormLens is not active before a Python file opens.
 */
const TEST_FILES: Readonly<Record<string, () => Promise<unknown>>> = {
  'activation.test.ts': () => import('./activation.test'),
  'python.test.ts': () => import('./python.test'),
  'onnx.test.ts': () => import('./onnx.test'),
  'tfjs.test.ts': () => import('./tfjs.test'),
  'workspace.test.ts': () => import('./workspace.test'),
  'editor-features.test.ts': () => import('./editor-features.test'),
  'model-files.test.ts': () => import('./model-files.test'),
};

/** One line of the results file that scripts/run-ext-tests.js prints. */
interface TestResult {
  title: string;
  state: 'passed' | 'failed';
  error?: string;
}

/** Fails when a test file exists beside this one (in the checkout) but is not in TEST_FILES. */
function checkListIsComplete(): void {
  // The bundle lives in dist/test; the sources are read from the checkout it was built from.
  const suiteDir = path.resolve(__dirname, '../../test/integration/suite');
  if (!fs.existsSync(suiteDir)) {
    return;
  }
  const unlisted = fs
    .readdirSync(suiteDir)
    .filter((name) => name.endsWith('.test.ts') && !(name in TEST_FILES));
  if (unlisted.length > 0) {
    throw new Error(`add ${unlisted.join(', ')} to TEST_FILES in test/integration/suite/index.ts`);
  }
}

/** Loads each test file with mocha's globals (suite/test/describe/it) in place, as mocha's loader does. */
async function loadTests(mocha: Mocha): Promise<void> {
  for (const [name, load] of Object.entries(TEST_FILES)) {
    mocha.suite.emit('pre-require', globalThis, name, mocha);
    mocha.suite.emit('require', await load(), name, mocha);
    mocha.suite.emit('post-require', globalThis, name, mocha);
  }
}

/** Runs the suite; rejects when any test fails, which makes VS Code exit with code 1. */
export async function run(): Promise<void> {
  checkListIsComplete();
  const grep = process.env['EXT_TEST_GREP'];
  const mocha = new Mocha({ ui: 'bdd', color: false, timeout: 60000, ...(grep ? { grep } : {}) });
  // Test files may use either interface: describe/it (as test/unit does) or suite/test.
  Mocha.interfaces.tdd(mocha.suite);
  await loadTests(mocha);
  const tests: TestResult[] = [];
  const failures = await new Promise<number>((resolve) => {
    const runner = mocha.run(resolve);
    runner.on('pass', (test) => tests.push({ title: test.fullTitle(), state: 'passed' }));
    runner.on('fail', (test, error: unknown) =>
      tests.push({
        title: test.fullTitle(),
        state: 'failed',
        error: error instanceof Error ? error.message : String(error),
      }),
    );
  });
  const passed = tests.filter((t) => t.state === 'passed').length;
  const resultsFile = process.env['EXT_TEST_RESULTS'];
  if (resultsFile) {
    fs.writeFileSync(resultsFile, JSON.stringify({ passed, failed: failures, tests }, null, 2));
  }
  if (failures > 0) {
    throw new Error(`${failures} of ${passed + failures} extension tests failed`);
  }
}

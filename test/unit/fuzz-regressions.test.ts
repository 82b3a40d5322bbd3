/**
 * Replays every input the fuzzer kept (test/fixtures/fuzz-regressions): each must go through the
 * analyses without an exception, an internal error or a range outside the text (the checks of
 * test/fuzz/contract.ts). The replay runs in a child process: an input that breaks the parser's
 * wasm memory must not disturb the other unit tests. Inputs whose fix lies outside the fuzzer's
 * files are listed in KNOWN and stay pending until fixed.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';

const ROOT = path.join(__dirname, '../..');
const FOLDER = path.join(ROOT, 'test/fixtures/fuzz-regressions');

/** Fixture file → why it still fails and where the fix belongs. */
const KNOWN: Readonly<Record<string, string>> = {};

interface Replayed {
  readonly file: string;
  readonly error: string | null;
}

describe('fuzz regressions', function () {
  this.timeout(120_000);
  const files = readdirSync(FOLDER)
    .filter((f) => f !== 'README.md')
    .sort();
  const replayed = new Map<string, Replayed>();

  before(function () {
    const run = files.filter((f) => KNOWN[f] === undefined);
    if (run.length === 0) {
      return;
    }
    const output = execFileSync(
      process.execPath,
      ['--import', 'tsx', path.join(ROOT, 'test/fuzz/replay.ts'), ...run],
      { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 << 20 },
    );
    for (const line of output.split('\n').filter((l) => l.startsWith('{'))) {
      const result = JSON.parse(line) as Replayed;
      replayed.set(result.file, result);
    }
  });

  for (const file of files) {
    const known = KNOWN[file];
    if (known !== undefined) {
      it.skip(`${file} (known: ${known})`);
      continue;
    }
    it(file, () => {
      const result = replayed.get(file);
      assert.ok(result, `${file} was not replayed`);
      assert.equal(result.error, null);
    });
  }
});

/** The part of test/fuzz/cases.ts these tests use (test/fuzz is its own TypeScript project). */
interface Generator {
  generateCase(
    seed: number,
    iteration: number,
    targets?: undefined,
    scale?: number,
  ): {
    readonly fuzzCase: {
      readonly target: string;
      readonly text?: string;
      readonly bytes?: Uint8Array;
    };
    readonly steps: readonly string[];
  };
}

describe('fuzz case generation', () => {
  let generator: Generator;
  before(async () => {
    generator = (await import(path.join(ROOT, 'test/fuzz/cases.ts'))) as Generator;
  });
  const size = (c: { readonly text?: string; readonly bytes?: Uint8Array }) =>
    c.text?.length ?? c.bytes?.length ?? 0;

  // Seed 1, iteration 106: long-line adds a 100k-character line and repeat-lines then repeated
  // it ~1,230 times; the 123M-character text exhausted the fuzz child's heap before any analysis.
  it('repeating a very long line adds a bounded amount of text', () => {
    const { fuzzCase, steps } = generator.generateCase(1, 106);
    assert.deepEqual(steps, ['long-line', 'repeat-lines', 'insert-tokens']);
    assert.equal(fuzzCase.target, 'python');
    assert.ok(size(fuzzCase) > 100_000 && size(fuzzCase) < 400_000, `${size(fuzzCase)}`);
  });

  it('a smaller scale shrinks the inputs and keeps every other choice', () => {
    for (const iteration of [106, 193, 467]) {
      const full = generator.generateCase(1, iteration);
      const small = generator.generateCase(1, iteration, undefined, 0.2);
      assert.deepEqual(small.steps, full.steps);
      assert.equal(small.fuzzCase.target, full.fuzzCase.target);
      assert.ok(size(small.fuzzCase) < size(full.fuzzCase) / 2, `iteration ${iteration}`);
    }
  });
});

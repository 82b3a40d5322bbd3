/**
 * Replays stored fuzz inputs through the contract and prints one JSON line per file:
 * `{"file": name, "error": message | null, "ms": time}`. It runs in its own process (started by
 * test/unit/fuzz-regressions.test.ts) so an input that breaks the parser's wasm memory cannot
 * disturb other tests.
 *
 *   node --import tsx test/fuzz/replay.ts <fixture file name>...
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { deserializeCase } from './cases';
import { createAnalyzer, heapBytes, runCase } from './contract';
import { HEAP_LIMIT_BYTES, REGRESSIONS } from './protocol';

async function replay(file: string): Promise<string | null> {
  const fuzzCase = deserializeCase(
    file,
    new Uint8Array(readFileSync(path.join(REGRESSIONS, file))),
  );
  if (!fuzzCase) {
    return `${file}: not a stored fuzz case (unknown extension)`;
  }
  try {
    await runCase(analyzer, fuzzCase);
    // Measured before any collection, so a transient gigabyte allocation is still visible.
    const heap = heapBytes();
    return heap > HEAP_LIMIT_BYTES ? `heap reached ${Math.round(heap / 2 ** 20)} MB` : null;
  } catch (error) {
    return error instanceof Error ? (error.stack ?? error.message) : String(error);
  }
}

const analyzer = createAnalyzer();

async function main(files: readonly string[]): Promise<void> {
  for (const file of files) {
    const began = performance.now();
    const error = await replay(file);
    const ms = Math.round(performance.now() - began);
    process.stdout.write(`${JSON.stringify({ file, error, ms })}\n`);
  }
}

main(process.argv.slice(2)).catch((error: unknown) => {
  process.stderr.write(`${String(error)}\n`);
  process.exitCode = 1;
});

/**
 * Run by resilient-parser.test.ts in its own process: makes tree-sitter's WebAssembly trap (the
 * fuzz input c0d1e7f15a78b95c.py, parsed without the source limits that normally stop it), then
 * checks that parsing and analysis go on, and prints what it saw as one JSON line.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { SourceAnalyzer } from '../../../src/core/analyze';
import { ParserFactory } from '../../../src/core/syntax/parsers';
import { ParserFailure, parserRuntimeHealth } from '../../../src/core/syntax/resilient-parser';
import { nodeModulesWasmLoader } from '../helpers/wasm';

const TRAP = readFileSync(
  path.join(__dirname, '../../fixtures/fuzz-regressions/c0d1e7f15a78b95c.py'),
  'utf8',
);
const SOURCE = 'import torch.nn as nn\nbn = nn.BatchNorm2d(8, eps=0)\n';

async function main(): Promise<void> {
  const factory = new ParserFactory(nodeModulesWasmLoader);
  const parser = await factory.createParser('python');
  const failures: string[] = [];
  for (let round = 0; round < 3; round++) {
    try {
      parser.parse(TRAP)?.delete();
      failures.push('no failure');
    } catch (error) {
      failures.push(error instanceof ParserFailure ? error.message : `untyped: ${String(error)}`);
    }
  }
  const tree = parser.parse(SOURCE);
  const afterwards = tree?.rootNode.toString();
  tree?.delete();
  const report = await new SourceAnalyzer(factory).analyzePython(SOURCE);
  // The retired parsers must never be finalized: a trap in a finalizer would end this process.
  (globalThis as { gc?: () => void }).gc?.();
  await new Promise((resolve) => setTimeout(resolve, 200));
  const result = {
    failures,
    afterwards,
    sites: report.sites.map((site) => site.variant),
    errors: report.errors,
    health: parserRuntimeHealth(),
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

void main();

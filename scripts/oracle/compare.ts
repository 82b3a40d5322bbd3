/**
 * Compares NormLens's Python extraction with the `ast` oracle on a source tree and prints recall
 * and precision. Usage: npx tsx scripts/oracle/compare.ts ROOT ORACLE.jsonl
 */
import { readFileSync } from 'node:fs';
import { basename, dirname, relative, resolve } from 'node:path';
import { analyzePythonText } from '../../src/core/python/index';
import { ParserFactory } from '../../src/core/syntax/parsers';
import { nodeModulesWasmLoader } from '../../test/unit/helpers/wasm';
import { pythonFiles } from './python-files';

interface SiteKey {
  readonly path: string;
  readonly line: number;
  readonly column: number;
  readonly kind: string;
}

const key = (s: SiteKey): string => `${s.path}:${s.line}:${s.column}:${s.kind}`;

async function main(root: string, oraclePath: string): Promise<void> {
  const parser = await new ParserFactory(nodeModulesWasmLoader).createParser('python');
  const ours = new Set<string>();
  // Module names are relative to the root's parent, as in the oracle.
  const importRoot = dirname(resolve(root));
  for (const path of pythonFiles(root)) {
    const text = readFileSync(path, 'utf8');
    const isPackage = basename(path) === '__init__.py';
    const parts = relative(importRoot, path).slice(0, -'.py'.length).split('/');
    const module = (isPackage ? parts.slice(0, -1) : parts).join('.');
    for (const site of analyzePythonText(parser, text, { module, isPackage }).sites) {
      if (site.location.type === 'text') {
        const { line, character } = site.location.range.start;
        ours.add(key({ path, line, column: character, kind: site.kind }));
      }
    }
  }
  const expected = new Set(
    readFileSync(oraclePath, 'utf8')
      .split('\n')
      .filter((line) => line.includes('"kind"'))
      .map((line) => key(JSON.parse(line) as SiteKey)),
  );
  const found = [...expected].filter((k) => ours.has(k));
  const missed = [...expected].filter((k) => !ours.has(k));
  const extra = [...ours].filter((k) => !expected.has(k));
  const recall = expected.size === 0 ? 1 : found.length / expected.size;
  const precision = ours.size === 0 ? 1 : found.length / ours.size;
  console.log(`oracle ${expected.size}, ours ${ours.size}, matched ${found.length}`);
  console.log(`recall ${(100 * recall).toFixed(1)}%, precision ${(100 * precision).toFixed(1)}%`);
  for (const k of missed) {
    console.log(`missed ${k}`);
  }
  for (const k of extra) {
    console.log(`extra  ${k}`);
  }
}

const [root, oracle] = process.argv.slice(2);
if (!root || !oracle) {
  console.error('usage: compare.ts ROOT ORACLE.jsonl');
  process.exit(2);
}
void main(root, oracle);

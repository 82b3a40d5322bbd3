/**
 * Python extraction speed (`npm run bench:python`): 5,000-line files warm (one of torch internals
 * that holds no site, one of torchvision models full of them), re-analysis after a one-line edit
 * with tree-sitter's incremental parse, and 1,000 real files against CPython's `ast.parse` on the
 * same files, measured side by side. The load average is printed with the figures, since the
 * machine may be shared.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Parser } from 'web-tree-sitter';
import { PythonDocument } from '../src/core/python/incremental';
import { analyzePythonText } from '../src/core/python/index';
import { ParserFactory } from '../src/core/syntax/parsers';
import { nodeModulesWasmLoader } from '../test/unit/helpers/wasm';

const CORPUS = '/usr/lib/python3/dist-packages/torch';
const MODELS = '/usr/lib/python3/dist-packages/torchvision/models';
const PYTHON = '/usr/bin/python3';
const RUNS = 50;

function pythonFiles(root: string, limit: number, out: string[] = []): string[] {
  const entries = readdirSync(root, { withFileTypes: true });
  for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    if (out.length >= limit) {
      break;
    }
    const path = join(root, entry.name);
    if (entry.isDirectory()) {
      pythonFiles(path, limit, out);
    } else if (entry.isFile() && entry.name.endsWith('.py')) {
      out.push(path);
    }
  }
  return out;
}

function p95(samples: number[]): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.95))] ?? NaN;
}

/** A 5,000-line file made of real sources, so the mix of constructs is realistic. */
function bigFile(files: readonly string[]): string {
  const lines: string[] = [
    'import torch',
    'import torch.nn as nn',
    'import torch.nn.functional as F',
    'from functools import partial',
  ];
  for (const file of files) {
    lines.push(...readFileSync(file, 'utf8').split('\n'));
    if (lines.length >= 5000) {
      break;
    }
  }
  return lines.slice(0, 5000).join('\n');
}

function warmFile(parser: Parser, text: string, name: string): void {
  // Warm up the JIT and the wasm module before measuring.
  for (let run = 0; run < 10; run++) {
    analyzePythonText(parser, text);
  }
  const samples: number[] = [];
  let sites = 0;
  for (let run = 0; run < RUNS; run++) {
    const start = performance.now();
    sites = analyzePythonText(parser, text).sites.length;
    samples.push(performance.now() - start);
  }
  console.log(
    `5,000-line file (${name}, ${sites} sites), parse + extract, warm p95: ${p95(samples).toFixed(2)} ms`,
  );
}

function incremental(parser: Parser, text: string, name: string): void {
  const document = new PythonDocument(parser, text);
  const samples: number[] = [];
  const line = 2500;
  const offset = text.split('\n').slice(0, line).join('\n').length + 1;
  for (let run = 0; run < RUNS; run++) {
    // Insert one character at the start of a line in the middle, as typing would, then remove it.
    const current = document.text;
    const inserted = run % 2 === 0 ? '#' : '';
    const removed = run % 2 === 0 ? '' : '#';
    const next = current.slice(0, offset) + inserted + current.slice(offset + removed.length);
    const start = performance.now();
    document.update(next, [
      {
        startIndex: offset,
        oldEndIndex: offset + removed.length,
        newEndIndex: offset + inserted.length,
        startPosition: { row: line, column: 0 },
        oldEndPosition: { row: line, column: removed.length },
        newEndPosition: { row: line, column: inserted.length },
      },
    ]);
    samples.push(performance.now() - start);
  }
  document.dispose();
  console.log(
    `one-line edit (${name}), incremental parse + extract, p95: ${p95(samples).toFixed(2)} ms`,
  );
}

function throughput(parser: Parser, files: readonly string[]): void {
  const texts = files.map((file) => readFileSync(file, 'utf8'));
  const bytes = texts.reduce((sum, text) => sum + Buffer.byteLength(text), 0);
  const start = performance.now();
  for (const text of texts) {
    analyzePythonText(parser, text);
  }
  const ours = performance.now() - start;
  const list = join(tmpdir(), 'normlens-bench-files.txt');
  writeFileSync(list, files.join('\n'));
  // Files are read before the clock starts on both sides: only parsing (and our extraction) is timed.
  const script = [
    'import ast, sys, time',
    'texts = [open(p, "rb").read() for p in open(sys.argv[1]).read().split("\\n")]',
    'start = time.perf_counter()',
    'for t in texts: ast.parse(t)',
    'print((time.perf_counter() - start) * 1000)',
  ].join('\n');
  const cpython = Number(execFileSync(PYTHON, ['-c', script, list], { encoding: 'utf8' }).trim());
  const mb = bytes / 1e6;
  console.log(
    `${files.length} files (${mb.toFixed(1)} MB): NormLens parse + extract ${ours.toFixed(0)} ms ` +
      `(${(mb / (ours / 1000)).toFixed(1)} MB/s), CPython ast.parse ${cpython.toFixed(0)} ms ` +
      `(${(mb / (cpython / 1000)).toFixed(1)} MB/s), ratio ${(cpython / ours).toFixed(2)}×`,
  );
}

function load(): string {
  return loadavg()
    .map((value) => value.toFixed(1))
    .join(' ');
}

async function main(): Promise<void> {
  console.log(`load average before: ${load()}`);
  const parser = await new ParserFactory(nodeModulesWasmLoader).createParser('python');
  const files = pythonFiles(CORPUS, 1000);
  const internals = bigFile(files.slice(100));
  const models = bigFile(pythonFiles(MODELS, 1000));
  warmFile(parser, internals, 'torch internals');
  warmFile(parser, models, 'torchvision models');
  incremental(parser, internals, 'torch internals');
  incremental(parser, models, 'torchvision models');
  throughput(parser, files);
  console.log(`load average after: ${load()}`);
}

void main();

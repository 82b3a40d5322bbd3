/**
 * Python analysis speed (`npm run bench:python`): 5,000-line files warm (one of torch internals
 * that holds no site, one of torchvision models full of them), as extraction alone and as the full
 * report an editor shows (rules, code facts, suppressions); re-analysis after one-line edits in an
 * editor session (typing at a line in the middle, and inside the argument list of every norm site);
 * and 1,000 real files against CPython's `ast.parse` on the same files, measured side by side.
 * The load average is printed with the figures, since the machine may be shared.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Parser } from 'web-tree-sitter';
import { SourceAnalyzer } from '../src/core/analyze';
import type { PythonSession } from '../src/core/analyze';
import { analyzePythonText } from '../src/core/python/index';
import { ParserFactory } from '../src/core/syntax/parsers';
import { edit } from '../test/unit/helpers/edits';
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

/** The p95 of `measure` over {@link RUNS} runs after 10 warm-up runs. */
function warmP95(measure: () => void): number {
  for (let run = 0; run < 10; run++) {
    measure();
  }
  const samples: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    const start = performance.now();
    measure();
    samples.push(performance.now() - start);
  }
  return p95(samples);
}

async function warmFile(
  parser: Parser,
  analyzer: SourceAnalyzer,
  text: string,
  name: string,
): Promise<void> {
  const sites = analyzePythonText(parser, text).sites.length;
  const extraction = warmP95(() => analyzePythonText(parser, text));
  // The report awaits only a cached parser; timing it synchronously would need the same promise.
  for (let run = 0; run < 10; run++) {
    await analyzer.analyzePython(text);
  }
  const samples: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    const start = performance.now();
    await analyzer.analyzePython(text);
    samples.push(performance.now() - start);
  }
  console.log(
    `5,000-line file (${name}, ${sites} sites), warm p95: parse + extract ${extraction.toFixed(2)} ms, ` +
      `full report ${p95(samples).toFixed(2)} ms`,
  );
}

/** Types `insert` at `at` and deletes it again, timing each session update. */
function typeAndUndo(session: PythonSession, at: number, insert: string, samples: number[]): void {
  for (const [from, to, by] of [
    [at, at, insert],
    [at, at + insert.length, ''],
  ] as const) {
    const next = edit(session.text, from, to, by);
    const start = performance.now();
    session.update(next.text, [next.change]);
    samples.push(performance.now() - start);
  }
}

async function edits(analyzer: SourceAnalyzer, text: string, name: string): Promise<void> {
  const session = await analyzer.openPython(text);
  try {
    // Warm up on the same kind of edit before measuring.
    const middle = text.split('\n').slice(0, 2500).join('\n').length + 1;
    for (let run = 0; run < 10; run++) {
      typeAndUndo(session, middle, '#', []);
    }
    const atLine: number[] = [];
    for (let run = 0; run < RUNS / 2; run++) {
      typeAndUndo(session, middle, '#', atLine);
    }
    // Inside the argument list of each site: the edit that changes what a rule sees.
    const atSites: number[] = [];
    const lines = text.split('\n');
    const lineStarts = lines.map(
      (_, row) => lines.slice(0, row).join('\n').length + (row > 0 ? 1 : 0),
    );
    for (const site of session.report.sites) {
      const range = site.location.type === 'text' ? site.location.range : undefined;
      const from = range ? (lineStarts[range.start.line] ?? 0) + range.start.character : -1;
      const open = from >= 0 ? text.indexOf('(', from) : -1;
      for (let run = 0; run < 5 && open >= 0; run++) {
        typeAndUndo(session, open + 1, '1', atSites);
      }
    }
    const inSites =
      atSites.length > 0
        ? `inside each site's arguments ${p95(atSites).toFixed(2)} ms (${session.report.sites.length} sites, ${atSites.length} updates)`
        : 'no sites';
    console.log(
      `one-line edit in an editor session (${name}), full report p95: typing at line 2,500 ` +
        `${p95(atLine).toFixed(2)} ms; ${inSites}`,
    );
  } finally {
    session.dispose();
  }
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
  const factory = new ParserFactory(nodeModulesWasmLoader);
  const parser = await factory.createParser('python');
  const analyzer = new SourceAnalyzer(factory);
  const files = pythonFiles(CORPUS, 1000);
  const internals = bigFile(files.slice(100));
  const models = bigFile(pythonFiles(MODELS, 1000));
  await warmFile(parser, analyzer, internals, 'torch internals');
  await warmFile(parser, analyzer, models, 'torchvision models');
  await edits(analyzer, internals, 'torch internals');
  await edits(analyzer, models, 'torchvision models');
  throughput(parser, files);
  console.log(`load average after: ${load()}`);
}

void main();

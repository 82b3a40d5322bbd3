/**
 * `npm run bench:cli`: `normlens check` over a generated workspace of 5,000 Python files (~1 M
 * lines of model code with normalization layers) plus 10 ONNX models, at 1 and 2 jobs, beside
 * CPython's `ast.parse` over the same Python files. Each run is its own process; its wall time
 * and peak RSS (all threads) are reported, and (from `NORMLENS_TIMING`) how its CPU time splits
 * between the analyzer and the rest. Options: --files N, --keep (leave the workspace).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { modelBytes } from '../test/unit/onnx/builder';
import { fixtureModels } from '../test/unit/onnx/fixture-models';
import { batchNorm, modelOf } from '../test/unit/onnx/patterns';

const ROOT = path.resolve(__dirname, '..');
const CLI = path.join(ROOT, 'dist', 'cli.js');
const FILES = Number(optionValue('--files') ?? 5000);
const TARGET_RATIO = 2;
const TARGET_RSS_MB = 300;

function optionValue(name: string): string | undefined {
  const index = process.argv.indexOf(name);
  return index < 0 ? undefined : process.argv[index + 1];
}

/** A small deterministic generator, so every run analyses the same workspace. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

const NORMS = [
  (c: number) => `nn.BatchNorm2d(${c})`,
  (c: number) => `nn.BatchNorm2d(${c}, eps=1e-3, momentum=0.01)`,
  (c: number) => `nn.GroupNorm(${c >= 32 ? 32 : 1}, ${c})`,
  (c: number) => `nn.LayerNorm(${c})`,
  (c: number) => `nn.InstanceNorm2d(${c}, affine=True)`,
  (c: number) => `nn.BatchNorm1d(${c})`,
];

/** One module of realistic model code: blocks, a network, a training loop and helpers (~200 lines). */
function pythonModule(index: number): string {
  const next = random(index + 1);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T;
  const width = pick([16, 32, 64, 128, 256]);
  const lines: string[] = [
    `"""Model ${index}: residual blocks with normalization layers (generated for the benchmark)."""`,
    'import math',
    'import torch',
    'import torch.nn as nn',
    'import torch.nn.functional as F',
    'from torch.utils.data import DataLoader',
    '',
    `BATCH_SIZE = ${pick([2, 4, 8, 16, 32, 64])}`,
    `WIDTH = ${width}`,
    '',
  ];
  for (let block = 0; block < 4; block++) {
    const norm = pick(NORMS);
    const c = width * (block + 1);
    lines.push(
      '',
      `class Block${block}(nn.Module):`,
      `    """Conv, ${norm(c).split('(')[0]} and a residual connection."""`,
      '',
      '    def __init__(self, channels=WIDTH, stride=1):',
      '        super().__init__()',
      `        self.conv1 = nn.Conv2d(${c}, ${c}, 3, stride=stride, padding=1, bias=${next() < 0.3 ? 'True' : 'False'})`,
      `        self.norm1 = ${norm(c)}`,
      `        self.conv2 = nn.Conv2d(${c}, ${c}, 3, padding=1, bias=False)`,
      `        self.norm2 = ${pick(NORMS)(c)}`,
      '        self.act = nn.ReLU(inplace=True)',
      `        self.drop = nn.Dropout(p=${(next() * 0.5).toFixed(2)})`,
      '',
      '    def forward(self, x):',
      '        identity = x',
      '        out = self.act(self.norm1(self.conv1(x)))',
      '        out = self.drop(out)',
      '        out = self.norm2(self.conv2(out))',
      '        if out.shape == identity.shape:',
      '            out = out + identity',
      '        return self.act(out)',
      '',
      `    def extra_repr(self):`,
      `        return f"channels={${c}}, block=${block}"`,
      '',
    );
  }
  lines.push(
    '',
    'class Net(nn.Module):',
    '    def __init__(self, classes=10):',
    '        super().__init__()',
    `        self.stem = nn.Sequential(nn.Conv2d(3, ${width}, 7, stride=2, padding=3), ${pick(NORMS)(width)}, nn.ReLU())`,
    '        self.blocks = nn.ModuleList([Block0(), Block1(), Block2(), Block3()])',
    `        self.head = nn.Sequential(nn.Flatten(), nn.Linear(${width * 4}, 256), nn.LayerNorm(256), nn.Linear(256, classes))`,
    '',
    '    def forward(self, x):',
    '        x = self.stem(x)',
    '        for block in self.blocks:',
    '            x = block(x)',
    '        x = F.adaptive_avg_pool2d(x, 1)',
    '        return self.head(x)',
    '',
  );
  // Helpers without normalization layers: most lines of a real repository are like these.
  for (let helper = 0; lines.length < 190; helper++) {
    lines.push(
      '',
      `def schedule_${helper}(step, total_steps, base_lr=0.1, warmup=${Math.floor(next() * 1000)}):`,
      `    """Cosine schedule with linear warmup (variant ${helper})."""`,
      '    if step < warmup:',
      '        return base_lr * (step + 1) / warmup',
      '    progress = (step - warmup) / max(1, total_steps - warmup)',
      '    values = [math.cos(math.pi * progress * k) for k in range(3)]',
      '    scale = sum(v * v for v in values) / len(values)',
      "    config = {'lr': base_lr, 'scale': scale, 'name': 'cosine'}",
      '    return 0.5 * base_lr * (1.0 + math.cos(math.pi * progress)) * config["scale"]',
      '',
    );
  }
  lines.push(
    '',
    'def train(dataset, epochs=10):',
    '    model = Net()',
    '    loader = DataLoader(dataset, batch_size=BATCH_SIZE, shuffle=True)',
    '    optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)',
    '    model.train()',
    '    for epoch in range(epochs):',
    '        for images, labels in loader:',
    '            optimizer.zero_grad()',
    '            loss = F.cross_entropy(model(images), labels)',
    '            loss.backward()',
    '            optimizer.step()',
    '    return model',
    '',
  );
  return lines.join('\n');
}

interface Workspace {
  readonly root: string;
  readonly pythonFiles: string[];
  readonly lines: number;
  readonly models: number;
}

function generate(): Workspace {
  const root = mkdtempSync(path.join(tmpdir(), 'normlens-bench-cli-'));
  const pythonFiles: string[] = [];
  let lines = 0;
  for (let i = 0; i < FILES; i++) {
    const folder = path.join(root, 'src', `pkg${Math.floor(i / 100)}`);
    mkdirSync(folder, { recursive: true });
    const file = path.join(folder, `model_${i}.py`);
    const text = pythonModule(i);
    lines += text.split('\n').length;
    writeFileSync(file, text);
    pythonFiles.push(file);
  }
  // The generated ONNX test models (9, one with external data) and a 64-channel BatchNorm.
  const models = path.join(root, 'models');
  mkdirSync(models);
  let modelCount = 0;
  for (const [name, bytes] of fixtureModels()) {
    if (name.startsWith('generated/')) {
      writeFileSync(path.join(models, path.basename(name)), bytes);
      modelCount += name.endsWith('.onnx') ? 1 : 0;
    }
  }
  writeFileSync(path.join(models, 'bn64.onnx'), modelBytes(modelOf(15, batchNorm('x', 'y', 64))));
  modelCount++;
  return { root, pythonFiles, lines, models: modelCount };
}

interface Run {
  readonly label: string;
  readonly files: number;
  readonly seconds: number;
  readonly peakRssMb: number;
  readonly detail: string;
}

/** Writes the process's peak RSS (all threads) to a file when it exits. */
const RSS_PRELOAD = `process.on('exit', () => {
  require('node:fs').writeFileSync(process.env.NORMLENS_BENCH_RSS, String(process.resourceUsage().maxRSS));
});`;

function runCli(workspace: Workspace, jobs: number, scratch: string): Run {
  const preload = path.join(scratch, 'rss.cjs');
  writeFileSync(preload, RSS_PRELOAD);
  const rssFile = path.join(scratch, `rss-${jobs}.txt`);
  const started = performance.now();
  const result = spawnSync(
    process.execPath,
    [
      '--require',
      preload,
      CLI,
      'check',
      workspace.root,
      '--jobs',
      String(jobs),
      '--fail-on',
      'none',
    ],
    {
      encoding: 'utf8',
      maxBuffer: 256 * 1024 * 1024,
      env: { ...process.env, NO_COLOR: '1', NORMLENS_BENCH_RSS: rssFile, NORMLENS_TIMING: '1' },
    },
  );
  const seconds = (performance.now() - started) / 1000;
  if (result.status !== 0) {
    throw new Error(`normlens exited ${String(result.status)}: ${result.stderr}`);
  }
  const summary = result.stdout.trim().split('\n').pop() ?? '';
  const files = Number(/in (\d+) files/.exec(summary)?.[1] ?? NaN);
  const timing = /normlens: timing: [^:]*: (.*)$/m.exec(result.stderr)?.[1] ?? 'no timing line';
  return {
    label: `normlens check, ${jobs} job${jobs === 1 ? '' : 's'}`,
    files,
    seconds,
    peakRssMb: Number(readFileSync(rssFile, 'utf8')) / 1024,
    detail: `${summary}\n  ${timing}`,
  };
}

const AST_SCRIPT = `
import ast, resource, sys, time
paths = open(sys.argv[1]).read().split('\\n')
started = time.perf_counter()
for path in paths:
    with open(path, encoding='utf-8') as f:
        ast.parse(f.read(), filename=path)
print(len(paths), time.perf_counter() - started, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
`;

function runAstParse(workspace: Workspace, scratch: string): Run {
  const list = path.join(scratch, 'files.txt');
  writeFileSync(list, workspace.pythonFiles.join('\n'));
  const script = path.join(scratch, 'ast_parse.py');
  writeFileSync(script, AST_SCRIPT);
  const started = performance.now();
  const result = spawnSync('python3', [script, list], { encoding: 'utf8' });
  const seconds = (performance.now() - started) / 1000;
  if (result.status !== 0) {
    throw new Error(`python3 failed: ${result.stderr}`);
  }
  const [files, inner, rssKb] = result.stdout.trim().split(/\s+/).map(Number);
  return {
    label: 'CPython ast.parse (.py only)',
    files: files ?? NaN,
    seconds,
    peakRssMb: (rssKb ?? NaN) / 1024,
    detail: `parse loop ${(inner ?? NaN).toFixed(2)} s of ${seconds.toFixed(2)} s (process start included)`,
  };
}

function loadAverage(): string {
  return loadavg()
    .map((load) => load.toFixed(2))
    .join(' ');
}

function main(): void {
  const workspace = generate();
  const scratch = mkdtempSync(path.join(tmpdir(), 'normlens-bench-cli-scratch-'));
  try {
    console.log(
      `workspace: ${workspace.pythonFiles.length} .py files, ${workspace.lines.toLocaleString('en-US')} lines, ${workspace.models} ONNX models (${workspace.root})`,
    );
    // Other work on the machine slows every run; the load average says how much there was.
    console.log(`load average before: ${loadAverage()}`);
    const baseline = runAstParse(workspace, scratch);
    const runs = [baseline, runCli(workspace, 1, scratch), runCli(workspace, 2, scratch)];
    const rate = (run: Run): number => run.files / run.seconds;
    console.log('');
    console.log(
      `${'run'.padEnd(30)} ${'files'.padStart(6)} ${'wall s'.padStart(8)} ${'files/s'.padStart(8)} ${'× ast'.padStart(6)} ${'peak RSS MB'.padStart(12)}`,
    );
    for (const run of runs) {
      console.log(
        `${run.label.padEnd(30)} ${String(run.files).padStart(6)} ${run.seconds.toFixed(2).padStart(8)} ${rate(run).toFixed(0).padStart(8)} ${(rate(run) / rate(baseline)).toFixed(2).padStart(6)} ${run.peakRssMb.toFixed(0).padStart(12)}`,
      );
    }
    console.log('');
    for (const run of runs) {
      console.log(`${run.label}: ${run.detail}`);
    }
    console.log(`\nload average after: ${loadAverage()}`);
    const two = runs[2];
    if (two) {
      const ratio = rate(two) / rate(baseline);
      console.log(
        `\ntarget ≥ ${TARGET_RATIO}× ast.parse with 2 jobs: ${ratio.toFixed(2)}× (${ratio >= TARGET_RATIO ? 'met' : 'NOT met'}); ` +
          `peak RSS ≤ ${TARGET_RSS_MB} MB: ${two.peakRssMb.toFixed(0)} MB (${two.peakRssMb <= TARGET_RSS_MB ? 'met' : 'NOT met'})`,
      );
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
    if (!process.argv.includes('--keep')) {
      rmSync(workspace.root, { recursive: true, force: true });
    }
  }
}

main();

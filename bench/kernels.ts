// `npm run bench`: NormLens kernels vs onnxruntime-node (1 intra-op thread, wall and profiler
// kernel time), @tensorflow/tfjs-backend-cpu and -wasm, against the machine's single-thread copy
// bandwidth measured in the same run. Prints one table; no assertions.
//
// Limit per row: one statistics read pass plus one read/write pass over the tensor (3 × bytes)
// at the measured copy bandwidth. NormLens runs with x and y resident in WebAssembly memory.
//
// `npm run bench -- --skip=tfjs-cpu,tfjs-wasm,ort` leaves out slow peers while iterating (their
// columns print "skipped"), and `--rows=BN,GN:1,256,14,14` keeps the rows whose label (kind, or
// kind:shape) matches one of the entries; the default runs everything.

import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { setThreadsCount } from '@tensorflow/tfjs-backend-wasm';
import * as ort from 'onnxruntime-node';
import { loadKernels, type Kernels, type Tensor } from '../src/core/kernels/index';
import { buildModel, type OperatorSpec } from '../test/unit/kernels/ort';

type Kind = 'BN' | 'IN' | 'GN' | 'LN' | 'RMS';

interface Row {
  readonly kind: Kind;
  readonly shape: readonly number[];
}

const ROWS: readonly Row[] = [
  ...(['BN', 'IN', 'GN'] as const).flatMap((kind) =>
    [
      [8, 64, 56, 56],
      [1, 256, 14, 14],
      [32, 3, 224, 224],
    ].map((shape) => ({ kind, shape })),
  ),
  ...(['LN', 'RMS'] as const).flatMap((kind) =>
    [
      [8, 512, 768],
      [1, 4096, 4096],
    ].map((shape) => ({ kind, shape })),
  ),
];
const GROUPS = 32;
const EPS = 1e-5;
const TIME_BUDGET_MS = 1500;
/** Repetitions per measurement: many for small ops, whose times this shared VM scatters most. */
const MIN_REPS = 3;
const MAX_REPS = 400;

type Peer = 'ort' | 'tfjs-cpu' | 'tfjs-wasm';
const PEERS: readonly Peer[] = ['ort', 'tfjs-cpu', 'tfjs-wasm'];

/** Peers named by `--skip=a,b`; an unknown name is an error rather than a silent full run. */
function skippedPeers(args: readonly string[]): ReadonlySet<Peer> {
  const names = args
    .filter((arg) => arg.startsWith('--skip='))
    .flatMap((arg) => arg.slice('--skip='.length).split(','))
    .filter((name) => name !== '');
  const unknown = names.filter((name) => !PEERS.some((peer) => peer === name));
  if (unknown.length > 0) {
    throw new Error(`--skip: unknown peer ${unknown.join(', ')}; known: ${PEERS.join(', ')}`);
  }
  return new Set(PEERS.filter((peer) => names.includes(peer)));
}

/** Rows selected by `--rows=a,b` (see the file comment); all rows without the flag. */
function selectedRows(args: readonly string[]): readonly Row[] {
  const wanted = args
    .filter((arg) => arg.startsWith('--rows='))
    .flatMap((arg) => arg.slice('--rows='.length).split(','))
    .filter((name) => name !== '');
  if (wanted.length === 0) return ROWS;
  // "GN:1,256,14,14" splits at the commas above, so a shape entry's later dims arrive separately.
  const patterns: string[] = [];
  for (const entry of wanted) {
    const last = patterns[patterns.length - 1];
    if (/^\d+$/.test(entry) && last?.includes(':'))
      patterns[patterns.length - 1] = `${last},${entry}`;
    else patterns.push(entry);
  }
  const label = (row: Row): string => `${row.kind}:${row.shape.join(',')}`;
  const rows = ROWS.filter((row) =>
    patterns.some((pattern) =>
      pattern.includes(':') ? label(row) === pattern : row.kind === pattern,
    ),
  );
  if (rows.length === 0) {
    throw new Error(
      `--rows: no row matches ${patterns.join(' ')}; rows are ${ROWS.map(label).join(' ')}`,
    );
  }
  return rows;
}

/** The 1, 5 and 15 minute load averages, which say how much this shared machine was busy. */
function loadText(): string {
  return loadavg()
    .map((load) => load.toFixed(2))
    .join(', ');
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? NaN;
}

/** Median wall time of `run` in ms, with as many repetitions as fit the budget (3..400). */
async function time(run: () => unknown): Promise<number> {
  const warm = performance.now();
  await run();
  const first = performance.now() - warm;
  const reps = Math.min(
    MAX_REPS,
    Math.max(MIN_REPS, Math.ceil(TIME_BUDGET_MS / Math.max(first, 0.01))),
  );
  const times: number[] = [];
  for (let i = 0; i < reps; i++) {
    const start = performance.now();
    const result = run();
    // Only asynchronous runs (ORT) are awaited: an await costs a microtask turn, which would
    // weigh on the synchronous kernels' small rows.
    if (result instanceof Promise) await result;
    times.push(performance.now() - start);
  }
  return median(times);
}

/**
 * Single-thread copy bandwidth in bytes/s (bytes read plus bytes written): the best median of
 * TypedArray.set (memcpy) over buffers well beyond the last-level cache.
 */
async function copyBandwidth(): Promise<number> {
  let best = 0;
  for (const floats of [8 << 20, 16 << 20, 32 << 20]) {
    const src = new Float32Array(floats).fill(1);
    const dst = new Float32Array(floats).fill(0);
    const ms = await time(() => dst.set(src));
    best = Math.max(best, (2 * src.byteLength) / (ms / 1000));
  }
  return best;
}

function randomData(count: number, seed: number): Float32Array {
  let state = seed;
  const data = new Float32Array(count);
  for (let i = 0; i < count; i++) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    data[i] = (state / 4294967296) * 2 - 1 + 0.25;
  }
  return data;
}

/** Channels, statistics groups per sample, and row length of a row. */
function geometry(row: Row): { n: number; c: number; s: number } {
  const [n = 1, c = 1] = row.shape;
  const count = row.shape.reduce((a, b) => a * b, 1);
  return row.kind === 'LN' || row.kind === 'RMS'
    ? {
        n: count / (row.shape[row.shape.length - 1] ?? 1),
        c: 1,
        s: row.shape[row.shape.length - 1] ?? 1,
      }
    : { n, c, s: count / (n * c) };
}

/** Float64 reference output (γ = 1 + 0.01·c, β = 0.1 for channel norms; γ = 1, β = 0 per row norms). */
function reference(row: Row, x: Float32Array): Float64Array {
  const { n, c, s } = geometry(row);
  const y = new Float64Array(x.length);
  // Each statistics set is a list of (start, length) runs of contiguous elements.
  const sets: [number, number][][] = [];
  if (row.kind === 'BN') {
    for (let j = 0; j < c; j++)
      sets.push(Array.from({ length: n }, (_, i): [number, number] => [(i * c + j) * s, s]));
  } else if (row.kind === 'GN') {
    const size = (c / GROUPS) * s;
    for (let g = 0; g < n * GROUPS; g++) sets.push([[g * size, size]]);
  } else {
    for (let r = 0; r < x.length / s; r++) sets.push([[r * s, s]]);
  }
  for (const runs of sets) {
    let count = 0;
    let sum = 0;
    for (const [start, length] of runs) {
      for (let i = start; i < start + length; i++) sum += x[i] ?? 0;
      count += length;
    }
    const mean = row.kind === 'RMS' ? 0 : sum / count;
    let squares = 0;
    for (const [start, length] of runs)
      for (let i = start; i < start + length; i++) squares += ((x[i] ?? 0) - mean) ** 2;
    const inverse = 1 / Math.sqrt(squares / count + EPS);
    for (const [start, length] of runs) {
      for (let i = start; i < start + length; i++) {
        const channel = row.kind === 'LN' || row.kind === 'RMS' ? -1 : Math.floor(i / s) % c;
        const gamma = channel < 0 ? 1 : 1 + 0.01 * channel;
        y[i] = ((x[i] ?? 0) - mean) * inverse * gamma + (channel < 0 ? 0 : 0.1);
      }
    }
  }
  return y;
}

/** Max over elements of |a − e| / (|e| + rms(e)) — the tests' fp32 criterion. */
function agreement(actual: ArrayLike<number>, expected: Float64Array): number {
  let squares = 0;
  for (const v of expected) squares += v * v;
  const rms = Math.sqrt(squares / expected.length);
  let worst = 0;
  for (let i = 0; i < expected.length; i++) {
    const e = expected[i] ?? 0;
    worst = Math.max(worst, Math.abs((actual[i] ?? NaN) - e) / (Math.abs(e) + rms));
  }
  return worst;
}

function channelParams(c: number): { gamma: Float32Array; beta: Float32Array } {
  return {
    gamma: Float32Array.from({ length: c }, (_, j) => 1 + 0.01 * j),
    beta: new Float32Array(c).fill(0.1),
  };
}

/** The NormLens call of a row, with its parameters built beforehand (outside the timing). */
function normLensRun(k: Kernels, row: Row, x: Tensor, y: Tensor): () => void {
  const { c } = geometry(row);
  const { gamma, beta } = channelParams(c);
  switch (row.kind) {
    case 'BN': {
      const running = { runningMean: new Float32Array(c), runningVar: new Float32Array(c).fill(1) };
      const options = {
        eps: EPS,
        momentum: 0.1,
        convention: 'pytorch',
        gamma,
        beta,
        ...running,
      } as const;
      return () => k.batchNormTrain(x, options, y);
    }
    case 'IN':
      return () => k.instanceNorm(x, { eps: EPS, gamma, beta }, y);
    case 'GN':
      return () => k.groupNorm(x, { numGroups: GROUPS, eps: EPS, gamma, beta }, y);
    case 'LN':
      return () => k.layerNorm(x, { eps: EPS }, y);
    case 'RMS':
      return () => k.rmsNorm(x, { eps: EPS }, y);
  }
}

function ortSpec(row: Row, x: Tensor): OperatorSpec {
  const { c, s } = geometry(row);
  const vector = (data: Float32Array): Tensor => ({ data, shape: [data.length] });
  const { gamma, beta } = channelParams(c);
  const eps = { epsilon: { f: EPS } };
  switch (row.kind) {
    case 'BN':
      return {
        opType: 'BatchNormalization',
        opset: 15,
        attributes: { ...eps, momentum: { f: 0.9 }, training_mode: { i: 1 } },
        inputs: [
          x,
          vector(gamma),
          vector(beta),
          vector(new Float32Array(c)),
          vector(new Float32Array(c).fill(1)),
        ],
        outputs: 3,
      };
    case 'IN':
      return {
        opType: 'InstanceNormalization',
        opset: 22,
        attributes: eps,
        inputs: [x, vector(gamma), vector(beta)],
      };
    case 'GN':
      return {
        opType: 'GroupNormalization',
        opset: 21,
        attributes: { ...eps, num_groups: { i: GROUPS } },
        inputs: [x, vector(gamma), vector(beta)],
      };
    case 'LN':
      return {
        opType: 'LayerNormalization',
        opset: 17,
        attributes: eps,
        inputs: [x, vector(new Float32Array(s).fill(1)), vector(new Float32Array(s))],
      };
    case 'RMS':
      return {
        opType: 'RMSNormalization',
        opset: 23,
        attributes: eps,
        inputs: [x, vector(new Float32Array(s).fill(1))],
      };
  }
}

interface OrtResult {
  readonly ms: number;
  readonly kernelMs: number;
  readonly error: number;
}

/** Profiled ORT runs per row; the first is dropped as warm-up. */
const PROFILED_RUNS = 21;

/** ORT wall time (1 intra-op thread) and the median per-run kernel time from its profiler. */
async function runOrt(row: Row, x: Tensor, expected: Float64Array): Promise<OrtResult> {
  const model = buildModel(ortSpec(row, x));
  const feeds = { in0: new ort.Tensor('float32', x.data, [...x.shape]) };
  const base = { intraOpNumThreads: 1, interOpNumThreads: 1, logSeverityLevel: 3 } as const;
  const session = await ort.InferenceSession.create(model, base);
  let output: Float32Array = new Float32Array();
  const ms = await time(async () => {
    const result = await session.run(feeds);
    const data = result['out0']?.data;
    if (data instanceof Float32Array) output = data;
  });
  await session.release();
  const dir = mkdtempSync(path.join(tmpdir(), 'normlens-ort-'));
  const profiled = await ort.InferenceSession.create(model, {
    ...base,
    enableProfiling: true,
    profileFilePrefix: path.join(dir, 'profile'),
  });
  for (let i = 0; i < PROFILED_RUNS; i++) await profiled.run(feeds);
  profiled.endProfiling();
  await profiled.release();
  const [file] = readdirSync(dir);
  const events = file
    ? (JSON.parse(readFileSync(path.join(dir, file), 'utf8')) as {
        cat: string;
        name: string;
        ts: number;
        dur: number;
      }[])
    : [];
  rmSync(dir, { recursive: true, force: true });
  const runs = events.filter((e) => e.name === 'model_run').slice(1);
  const kernels = events.filter((e) => e.cat === 'Node' && e.name.endsWith('_kernel_time'));
  const perRun = runs.map(
    (r) =>
      kernels
        .filter((e) => e.ts >= r.ts && e.ts <= r.ts + r.dur)
        .reduce((sum, e) => sum + e.dur, 0) / 1000,
  );
  return { ms, kernelMs: median(perRun), error: agreement(output, expected) };
}

/**
 * tfjs the way its layers compute: BatchNormalization (training) = tf.moments + tf.batchNorm on
 * NHWC, tfjs's native layout (tf.batchNorm broadcasts its parameters along the last axis only);
 * LayerNormalization = tf.moments(keepDims) + elementwise ops. The transposes are outside the
 * timed region. null where tfjs has no such op.
 */
function tfjsOp(
  row: Row,
  x: tf.Tensor,
): { run: () => tf.Tensor; output: (y: tf.Tensor) => tf.Tensor } | null {
  const { c } = geometry(row);
  if (row.kind === 'BN') {
    const { gamma, beta } = channelParams(c);
    const scale = tf.tensor1d(gamma);
    const offset = tf.tensor1d(beta);
    const nhwc = tf.transpose(x, [0, 2, 3, 1]);
    return {
      run: () =>
        tf.tidy(() => {
          const m = tf.moments(nhwc, [0, 1, 2]);
          return tf.batchNorm(nhwc, m.mean, m.variance, offset, scale, EPS);
        }),
      output: (y) => tf.transpose(y, [0, 3, 1, 2]),
    };
  }
  if (row.kind === 'LN') {
    return {
      run: () =>
        tf.tidy(() => {
          const m = tf.moments(x, [x.rank - 1], true);
          return tf.mul(tf.sub(x, m.mean), tf.rsqrt(tf.add(m.variance, EPS)));
        }),
      output: (y) => y,
    };
  }
  return null;
}

async function runTfjs(
  backend: 'cpu' | 'wasm',
  row: Row,
  x: Tensor,
  expected: Float64Array,
): Promise<{ ms: number; error: number } | null> {
  await tf.setBackend(backend);
  const input = tf.tensor(x.data, [...x.shape]);
  const op = tfjsOp(row, input);
  if (!op) {
    input.dispose();
    return null;
  }
  const y = op.run();
  const error = agreement(tf.tidy(() => op.output(y)).dataSync(), expected);
  y.dispose();
  const ms = await time(() => op.run().dispose());
  input.dispose();
  return { ms, error };
}

/** Time and error cells of a tfjs column. */
function tfjsCells(result: { ms: number; error: number } | null | 'skipped'): string[] {
  if (result === 'skipped') return ['skipped', ''];
  return result ? [fmt(result.ms, 2), result.error.toExponential(1)] : ['no op', ''];
}

function fmt(value: number, digits = 2): string {
  return Number.isFinite(value) ? value.toFixed(digits) : '—';
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const skip = skippedPeers(args);
  const rows = selectedRows(args);
  tf.env().set('IS_TEST', true);
  setThreadsCount(1);
  await tf.ready();
  const kernels = await loadKernels();
  const bandwidth = await copyBandwidth();
  console.log(
    `Single-thread copy bandwidth: ${(bandwidth / 1e9).toFixed(2)} GB/s (bytes read + written), Node ${process.version}`,
  );
  console.log(`Load average at start (1, 5, 15 min): ${loadText()}`);
  console.log(
    'Limit = 3 × tensor bytes (stats read + read/write pass) at that bandwidth. GB/s = 3 × bytes / time.',
  );
  console.log('err = max |y − ref| / (|ref| + rms(ref)) vs a float64 reference; target ≤ 1e-5.\n');
  const header = [
    'row',
    'shape',
    'elems',
    'limit ms',
    'NormLens ms',
    'GB/s',
    '% limit',
    'err',
    'ORT ms',
    'ORT kernel ms',
    'ORT err',
    'NL/ORT kernel',
    'tfjs-cpu ms',
    'err',
    'tfjs-wasm ms',
    'err',
    'load 1m',
  ];
  const lines: string[][] = [header];
  for (const row of rows) {
    const { c } = geometry(row);
    const count = row.shape.reduce((a, b) => a * b, 1);
    const bytes = 3 * count * 4;
    const limitMs = (bytes / bandwidth) * 1000;
    const label = [
      row.kind === 'GN' ? `GN G=${GROUPS}` : row.kind,
      `[${row.shape.join(',')}]`,
      (count / 1e6).toFixed(2) + 'M',
      fmt(limitMs, 3),
    ];
    if (row.kind === 'GN' && c % GROUPS !== 0) {
      lines.push([...label, `n/a: C=${c} not divisible by G=${GROUPS}`]);
      continue;
    }
    const data = randomData(count, count);
    const expected = reference(row, data);
    const x = kernels.allocate(row.shape, data);
    const y = kernels.allocate(row.shape);
    const ms = await time(normLensRun(kernels, row, x, y));
    const error = agreement(y.data, expected);
    x.release();
    y.release();
    const plain = { data, shape: row.shape };
    const o = skip.has('ort') ? undefined : await runOrt(row, plain, expected);
    const cpu = skip.has('tfjs-cpu') ? 'skipped' : await runTfjs('cpu', row, plain, expected);
    const wasm = skip.has('tfjs-wasm') ? 'skipped' : await runTfjs('wasm', row, plain, expected);
    lines.push([
      ...label,
      fmt(ms, 3),
      fmt(bytes / (ms / 1000) / 1e9),
      fmt((100 * limitMs) / ms, 0) + '%',
      error.toExponential(1),
      ...(o
        ? [fmt(o.ms, 3), fmt(o.kernelMs, 3), o.error.toExponential(1), fmt(o.kernelMs / ms) + '×']
        : ['skipped', '', '', '']),
      ...tfjsCells(cpu),
      ...tfjsCells(wasm),
      (loadavg()[0] ?? NaN).toFixed(1),
    ]);
  }
  const widths = header.map((_, i) => Math.max(...lines.map((line) => (line[i] ?? '').length)));
  for (const line of lines)
    console.log(line.map((cell, i) => cell.padStart(widths[i] ?? 0)).join('  '));
  console.log(
    `\nLoad average at end (1, 5, 15 min): ${loadText()}; "load 1m" is the 1-minute load after each row.`,
  );
  console.log(
    'NL/ORT kernel = ORT profiler kernel time ÷ NormLens time (> 1 means NormLens is faster).',
  );
  console.log(
    'tfjs rows: BN = tf.moments + tf.batchNorm on NHWC (training mode, as tf.layers.batchNormalization); LN = tf.moments + elementwise ops;',
  );
  console.log(
    'tfjs has no InstanceNorm, GroupNorm or RMSNorm op. tfjs-wasm accumulates in float32, hence its larger err.',
  );
}

void main();

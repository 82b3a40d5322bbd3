// Instantiation of the embedded kernels module. Core compiles without DOM or Node typings, so the
// two host globals it needs (WebAssembly and atob, present in Node ≥ 16, browsers and workers) are
// reached through `globalThis` with the minimal types declared here.

import { KERNELS_WASM_BASE64 } from './wasm-binary.generated';

/** The linear memory of the kernels module. */
export interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}

/** Raw exports of the kernels module; pointers are byte offsets into `memory`. */
export interface KernelExports {
  readonly memory: WasmMemory;
  heapBase(): number;
  accumulate(
    x: number,
    a: number,
    b: number,
    c: number,
    shift: number,
    s1: number,
    s2: number,
    init: number,
  ): void;
  finishMoments(n: number, count: number, shift: number, s1: number, s2: number): void;
  poolMoments(
    groups: number,
    size: number,
    mean: number,
    variance: number,
    groupMean: number,
    groupVariance: number,
  ): void;
  coefficients(
    n: number,
    mean: number,
    variance: number,
    statDiv: number,
    gamma: number,
    beta: number,
    affinePeriod: number,
    affineDiv: number,
    eps: number,
    mode: number,
    meanHigh: number,
    meanLow: number,
    scale: number,
    offset: number,
  ): void;
  runningUpdate(
    n: number,
    mean: number,
    variance: number,
    count: number,
    runningMean: number,
    runningVar: number,
    weight: number,
    bessel: number,
  ): void;
  applyRows(
    x: number,
    y: number,
    rows: number,
    len: number,
    period: number,
    meanHigh: number,
    meanLow: number,
    scale: number,
    offset: number,
  ): void;
  applyColumns(
    x: number,
    y: number,
    blocks: number,
    rows: number,
    len: number,
    meanHigh: number,
    meanLow: number,
    scale: number,
    offset: number,
  ): void;
  normalizeChannels(
    x: number,
    y: number,
    a: number,
    b: number,
    c: number,
    segments: number,
    gamma: number,
    beta: number,
    affinePeriod: number,
    affineDiv: number,
    eps: number,
    mode: number,
    mean: number,
    variance: number,
    meanHigh: number,
    meanLow: number,
    scale: number,
    offset: number,
  ): void;
  normalizeLayer(
    x: number,
    y: number,
    rows: number,
    len: number,
    gamma: number,
    beta: number,
    eps: number,
    mode: number,
    mean: number,
    variance: number,
    meanHigh: number,
    meanLow: number,
    scale: number,
    offset: number,
  ): void;
  normalizeRms(
    x: number,
    y: number,
    rows: number,
    len: number,
    gamma: number,
    eps: number,
    mode: number,
    squares: number,
  ): void;
  lrn(
    x: number,
    y: number,
    outer: number,
    channels: number,
    inner: number,
    before: number,
    after: number,
    alpha: number,
    beta: number,
    k: number,
  ): void;
  summarize(x: number, n: number, out: number): void;
  histogram(x: number, n: number, lo: number, hi: number, bins: number, tables: number): void;
  roundArray(src: number, dst: number, n: number, mode: number): void;
}

interface WasmHost {
  readonly WebAssembly: {
    instantiate(bytes: Uint8Array): Promise<{ instance: { exports: Record<string, unknown> } }>;
  };
  atob(data: string): string;
}

const FUNCTION_NAMES = [
  'heapBase',
  'accumulate',
  'finishMoments',
  'poolMoments',
  'coefficients',
  'runningUpdate',
  'applyRows',
  'applyColumns',
  'normalizeChannels',
  'normalizeLayer',
  'normalizeRms',
  'lrn',
  'summarize',
  'histogram',
  'roundArray',
] as const;

function isKernelExports(
  exports: Record<string, unknown>,
): exports is Record<string, unknown> & KernelExports {
  const memory = exports['memory'];
  return (
    typeof memory === 'object' &&
    memory !== null &&
    'buffer' in memory &&
    FUNCTION_NAMES.every((name) => typeof exports[name] === 'function')
  );
}

/** Decodes the embedded module and instantiates it (no imports are needed). */
export async function instantiateKernels(): Promise<KernelExports> {
  const host = globalThis as unknown as WasmHost;
  const text = host.atob(KERNELS_WASM_BASE64);
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) {
    bytes[i] = text.charCodeAt(i);
  }
  const { instance } = await host.WebAssembly.instantiate(bytes);
  if (!isKernelExports(instance.exports)) {
    throw new Error(
      'The embedded kernels module lacks expected exports; run `npm run build:wasm`.',
    );
  }
  return instance.exports;
}

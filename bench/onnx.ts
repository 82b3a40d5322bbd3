// `npm run bench:onnx`: lists the normalization inventory of a generated ~1 GB ONNX model (2,000
// nodes, weights in raw_data) with NormLens's lazy reader, and decodes the same file with
// onnx-proto's full `ModelProto.decode` (what existing wrappers do). Each measurement runs in its
// own Node process; peak RSS is reported above a bare process that loads the same modules.
// A second model keeps ~3 GB of weights in external data; listing it (plus one layer's weight
// health) must meet the same targets.
// A third model has 10,000 normalization layers with small weights: the weight health of every
// layer is checked in one pass (weightHealthOfSites), with the time to the first result.
// Options: --blocks N (default 500 blocks × 4 nodes), --keep (leave the file in the temp dir).

import { spawnSync } from 'node:child_process';
import {
  createWriteStream,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { onnx } from 'onnx-proto';
import { Writer } from 'protobufjs/minimal';
import type { ByteSource } from '../src/core/bytes/byte-source';
import {
  detectNormSites,
  readOnnxModel,
  weightHealth,
  weightHealthOfSites,
} from '../src/core/onnx/index';
import { externalDataFiles, FileByteSource } from '../src/node/file-byte-source';

/** Conv weights of C×C×3×3 float32 make 500 blocks ≈ 1 GB. */
const CHANNELS = 240;
/** With external data, C = 410 makes 500 blocks ≈ 3 GB in the weights file. */
const EXTERNAL_CHANNELS = 410;

/** Each child lists the model this many times: the first (cold) run and the best are reported. */
const RUNS = 3;

interface Measurement {
  readonly ms: number;
  readonly bestMs: number;
  /** CPU time (user + system) of the first run: less sensitive than wall time to a busy machine. */
  readonly cpuMs: number;
  readonly maxRssMb: number;
  readonly detail: string;
}

function tensorHeader(name: string, dims: readonly number[]): onnx.ITensorProto {
  return { name, dims: [...dims], dataType: onnx.TensorProto.DataType.FLOAT };
}

/** A TensorProto with a raw_data payload of `bytes` bytes, as header bytes + payload length. */
function encodeInitializer(
  name: string,
  dims: readonly number[],
  payload: Uint8Array,
): Uint8Array[] {
  const header = onnx.TensorProto.encode(tensorHeader(name, dims)).finish();
  const rawTag = Writer.create()
    .uint32((9 << 3) | 2)
    .uint32(payload.length)
    .finish();
  const tensorLength = header.length + rawTag.length + payload.length;
  const fieldTag = Writer.create()
    .uint32((5 << 3) | 2)
    .uint32(tensorLength)
    .finish();
  return [fieldTag, header, rawTag, payload];
}

function blockNodes(k: number, input: string): { nodes: onnx.INodeProto[]; output: string } {
  const conv = `conv${k}`;
  const bn = `bn${k}`;
  const relu = `relu${k}`;
  return {
    nodes: [
      {
        name: conv,
        opType: 'Conv',
        input: [input, `${conv}.w`],
        output: [`${conv}.y`],
        attribute: [{ name: 'pads', type: 7, ints: [1, 1, 1, 1] }],
      },
      {
        name: bn,
        opType: 'BatchNormalization',
        input: [`${conv}.y`, `${bn}.s`, `${bn}.b`, `${bn}.m`, `${bn}.v`],
        output: [`${bn}.y`],
        attribute: [{ name: 'epsilon', type: 1, f: 1e-5 }],
      },
      { name: relu, opType: 'Relu', input: [`${bn}.y`], output: [`${relu}.y`] },
      { name: `add${k}`, opType: 'Add', input: [`${relu}.y`, input], output: [`add${k}.y`] },
    ],
    output: `add${k}.y`,
  };
}

/** Writes the model chunk by chunk, so generating 1 GB never holds it in memory. */
async function generate(file: string, blocks: number): Promise<void> {
  const weight = new Uint8Array(new Float32Array(CHANNELS * CHANNELS * 9).fill(0.01).buffer);
  const stat = new Uint8Array(new Float32Array(CHANNELS).fill(1).buffer);
  const nodes: onnx.INodeProto[] = [];
  let value = 'x';
  for (let k = 0; k < blocks; k++) {
    const block = blockNodes(k, value);
    nodes.push(...block.nodes);
    value = block.output;
  }
  const head = onnx.GraphProto.encode({
    name: 'bench',
    node: nodes,
    input: [
      {
        name: 'x',
        type: {
          tensorType: {
            elemType: 1,
            shape: {
              dim: [{ dimParam: 'N' }, { dimValue: CHANNELS }, { dimValue: 56 }, { dimValue: 56 }],
            },
          },
        },
      },
    ],
    output: [{ name: value }],
  }).finish();
  const initializers: Uint8Array[][] = [];
  for (let k = 0; k < blocks; k++) {
    initializers.push(encodeInitializer(`conv${k}.w`, [CHANNELS, CHANNELS, 3, 3], weight));
    for (const role of ['s', 'b', 'm', 'v']) {
      initializers.push(encodeInitializer(`bn${k}.${role}`, [CHANNELS], stat));
    }
  }
  const graphLength = head.length + initializers.flat().reduce((sum, part) => sum + part.length, 0);
  const prologue = Writer.create()
    .uint32(0x08)
    .int64(8)
    .uint32((2 << 3) | 2)
    .string('normlens-bench');
  prologue
    .uint32((8 << 3) | 2)
    .fork()
    .uint32((2 << 3) | 0)
    .int64(15)
    .ldelim();
  prologue.uint32((7 << 3) | 2).uint32(graphLength);
  const out = createWriteStream(file);
  const write = (chunk: Uint8Array) =>
    new Promise<void>((resolve, reject) =>
      out.write(chunk, (error) => (error ? reject(error) : resolve())),
    );
  await write(prologue.finish());
  await write(head);
  for (const part of initializers.flat()) {
    await write(part);
  }
  await new Promise<void>((resolve) => out.end(resolve));
}

/**
 * Writes a model whose tensors all live in `weights.bin` (external data). The weights file is
 * sparse (its size is set, its bytes are zeros), which is enough to list the model and to read
 * a layer's statistics.
 */
function generateExternal(file: string, blocks: number): number {
  const nodes: onnx.INodeProto[] = [];
  const initializer: onnx.ITensorProto[] = [];
  let offset = 0;
  const external = (name: string, dims: number[]): onnx.ITensorProto => {
    const length = dims.reduce((a, b) => a * b, 1) * 4;
    const entry = {
      ...tensorHeader(name, dims),
      dataLocation: onnx.TensorProto.DataLocation.EXTERNAL,
      externalData: [
        { key: 'location', value: 'weights.bin' },
        { key: 'offset', value: String(offset) },
        { key: 'length', value: String(length) },
      ],
    };
    offset += length;
    return entry;
  };
  let value = 'x';
  for (let k = 0; k < blocks; k++) {
    const block = blockNodes(k, value);
    nodes.push(...block.nodes);
    value = block.output;
    initializer.push(external(`conv${k}.w`, [EXTERNAL_CHANNELS, EXTERNAL_CHANNELS, 3, 3]));
    for (const role of ['s', 'b', 'm', 'v']) {
      initializer.push(external(`bn${k}.${role}`, [EXTERNAL_CHANNELS]));
    }
  }
  const model = onnx.ModelProto.encode({
    irVersion: 8,
    opsetImport: [{ domain: '', version: 15 }],
    graph: { name: 'bench-external', node: nodes, initializer, output: [{ name: value }] },
  }).finish();
  writeFileSync(file, model);
  const weights = path.join(path.dirname(file), 'weights.bin');
  writeFileSync(weights, new Uint8Array(0));
  truncateSync(weights, offset);
  return offset;
}

/** Layers of the weight-health model. */
const HEALTH_LAYERS = 10_000;

/** Alternating BatchNormalization and LayerNormalization layers with 64-channel weights. */
function generateHealth(file: string): void {
  const channels = 64;
  const floats = (name: string, value: (c: number) => number): onnx.ITensorProto => ({
    ...tensorHeader(name, [channels]),
    rawData: new Uint8Array(Float32Array.from({ length: channels }, (_, c) => value(c)).buffer),
  });
  const node: onnx.INodeProto[] = [];
  const initializer: onnx.ITensorProto[] = [];
  let input = 'x';
  for (let k = 0; k < HEALTH_LAYERS; k++) {
    const p = k % 2 === 0 ? `bn${k}` : `ln${k}`;
    const names = [`${p}.g`, `${p}.b`, `${p}.m`, `${p}.v`];
    const used = k % 2 === 0 ? names : names.slice(0, 2);
    node.push({
      name: p,
      opType: k % 2 === 0 ? 'BatchNormalization' : 'LayerNormalization',
      input: [input, ...used],
      output: [`${p}.y`],
    });
    initializer.push(
      ...used.map((name, role) =>
        floats(name, (c) => (role === 3 && k % 100 === 0 && c === 5 ? -1 : 1 + ((c * k) % 7))),
      ),
    );
    input = `${p}.y`;
  }
  const model = onnx.ModelProto.encode({
    irVersion: 8,
    opsetImport: [{ domain: '', version: 17 }],
    graph: { name: 'bench-health', node, initializer, output: [{ name: input }] },
  }).finish();
  writeFileSync(file, model);
}

/** A ByteSource that counts the reads and bytes asked of another. */
class CountingSource implements ByteSource {
  reads = 0;
  bytes = 0;
  constructor(private readonly inner: ByteSource) {}
  get size(): number {
    return this.inner.size;
  }
  read(offset: number, length: number): Promise<Uint8Array> {
    this.reads++;
    this.bytes += length;
    return this.inner.read(offset, length);
  }
  describe(): string {
    return `${this.reads} reads, ${(this.bytes / 2 ** 20).toFixed(1)} MiB read`;
  }
}

/** Runs inside a child process: one measurement, printed as JSON. */
async function once(mode: string, file: string): Promise<string> {
  if (mode === 'lazy') {
    const source = await FileByteSource.open(file);
    try {
      const counted = new CountingSource(source);
      const model = await readOnnxModel(counted);
      const sites = await detectNormSites(model);
      const unfused = sites.filter((s) => s.context.foldableInto).length;
      return `${model.graph.nodes.length} nodes, ${sites.length} sites, ${unfused} unfused BN; ${counted.describe()}`;
    } finally {
      await source.close();
    }
  }
  if (mode === 'external') {
    const source = await FileByteSource.open(file);
    const files = externalDataFiles(file);
    try {
      const counted = new CountingSource(source);
      const model = await readOnnxModel(counted, { resolveExternal: files.resolve });
      const sites = await detectNormSites(model);
      const reads = counted.describe();
      const listed = performance.now();
      const [first] = sites;
      const health = first ? await weightHealth(model, first) : undefined;
      const healthMs = (performance.now() - listed).toFixed(0);
      return `${model.graph.nodes.length} nodes, ${sites.length} sites, ${reads}; then health of one layer (${health?.tensors.length ?? 0} tensors) ${healthMs} ms`;
    } finally {
      await files.close();
      await source.close();
    }
  }
  if (mode === 'health') {
    return healthPass(file);
  }
  if (mode === 'decode') {
    const model = onnx.ModelProto.decode(readFileSync(file));
    return `${model.graph?.node?.length ?? 0} nodes decoded`;
  }
  return '';
}

/** Weight health of every layer in one pass, then (for comparison) layer by layer. */
async function healthPass(file: string): Promise<string> {
  const source = await FileByteSource.open(file);
  try {
    const counted = new CountingSource(source);
    const model = await readOnnxModel(counted);
    const sites = await detectNormSites(model);
    counted.reads = 0;
    counted.bytes = 0;
    const start = performance.now();
    let first = 0;
    let issues = 0;
    for await (const result of weightHealthOfSites(model, sites)) {
      first ||= performance.now() - start;
      issues += 'health' in result ? result.health.issues.length : 0;
    }
    const pass = performance.now() - start;
    const reads = counted.describe();
    const single = performance.now();
    const sample = sites.slice(0, 1000);
    for (const site of sample) {
      await weightHealth(model, site);
    }
    const perSite = (1000 * (performance.now() - single)) / Math.max(1, sample.length);
    const perLayer = (1000 * pass) / Math.max(1, sites.length);
    return (
      `${sites.length} layers in one pass: first result ${first.toFixed(0)} ms, all ${pass.toFixed(0)} ms ` +
      `(${perLayer.toFixed(0)} µs/layer, ${reads}), ${issues} issues; ` +
      `weightHealth layer by layer ${perSite.toFixed(0)} µs/layer`
    );
  } finally {
    await source.close();
  }
}

async function child(mode: string, file: string): Promise<void> {
  const times: number[] = [];
  let detail = '';
  let cpuMs = 0;
  for (let run = 0; run < (mode === 'decode' || mode === 'health' ? 1 : RUNS); run++) {
    const start = performance.now();
    const cpu = process.cpuUsage();
    detail = await once(mode, file);
    times.push(performance.now() - start);
    if (run === 0) {
      const used = process.cpuUsage(cpu);
      cpuMs = (used.user + used.system) / 1000;
    }
  }
  const maxRssMb = process.resourceUsage().maxRSS / 1024;
  const result: Measurement = {
    ms: times[0] ?? 0,
    bestMs: Math.min(...times),
    cpuMs,
    maxRssMb,
    detail,
  };
  process.stdout.write(JSON.stringify(result));
}

function measure(mode: string, file: string): Measurement {
  const result = spawnSync(
    process.execPath,
    ['--import', 'tsx', __filename, '--child', mode, file],
    {
      encoding: 'utf8',
      maxBuffer: 1 << 20,
    },
  );
  if (result.status !== 0) {
    throw new Error(`${mode} failed: ${result.stderr}`);
  }
  return JSON.parse(result.stdout) as Measurement;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  if (args[0] === '--child') {
    await child(args[1] ?? '', args[2] ?? '');
    return;
  }
  const blocksIndex = args.indexOf('--blocks');
  const blocks = blocksIndex >= 0 ? Number(args[blocksIndex + 1]) : 500;
  const folder = mkdtempSync(path.join(tmpdir(), 'normlens-bench-onnx-'));
  const file = path.join(folder, 'model.onnx');
  try {
    const started = performance.now();
    await generate(file, blocks);
    const size = statSync(file).size;
    console.log(
      `generated ${(size / 2 ** 30).toFixed(2)} GiB, ${blocks * 4} nodes in ${((performance.now() - started) / 1000).toFixed(1)} s: ${file}`,
    );
    const bare = measure('bare', file);
    const externalFile = path.join(folder, 'external', 'model.onnx');
    mkdirSync(path.dirname(externalFile));
    const externalBytes = generateExternal(externalFile, blocks);
    console.log(
      `generated external-data model: ${(externalBytes / 2 ** 30).toFixed(2)} GiB of weights in weights.bin (sparse)`,
    );
    const healthFile = path.join(folder, 'health.onnx');
    generateHealth(healthFile);
    const rows: [string, Measurement][] = [
      ['NormLens lazy inventory', measure('lazy', file)],
      ['onnx-proto ModelProto.decode', measure('decode', file)],
      ['NormLens, external data', measure('external', externalFile)],
      ['NormLens weight health, 10k', measure('health', healthFile)],
    ];
    console.log(
      `load average ${loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')}`,
    );
    console.log(`bare Node (same modules loaded): peak RSS ${bare.maxRssMb.toFixed(0)} MB`);
    for (const [name, m] of rows) {
      const best = m.bestMs < m.ms ? ` (best of ${RUNS}: ${m.bestMs.toFixed(0)} ms)` : '';
      const rss = (m.maxRssMb - bare.maxRssMb).toFixed(0).padStart(5);
      const cpu = `cpu ${m.cpuMs.toFixed(0)} ms`;
      console.log(
        `${name.padEnd(30)} ${m.ms.toFixed(0).padStart(6)} ms${best}, ${cpu}  peak RSS +${rss} MB  [${m.detail}]`,
      );
    }
  } finally {
    if (!args.includes('--keep')) {
      rmSync(folder, { recursive: true, force: true });
    }
  }
}

void main();

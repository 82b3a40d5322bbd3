/**
 * `npm run bench:tfjs`: TensorFlow.js extraction speed, one table from one run.
 *
 * - Sources: every `.js .mjs .cjs .ts .tsx` file of the tfjs packages in node_modules, analysed
 *   by NormLens (tree-sitter parse + extractTfjs; parse alone on its own row) and parsed by the
 *   TypeScript compiler API's `ts.createSourceFile` (with parent pointers, as the oracle uses it)
 *   as the peer. Files are read before the clock starts; each file is timed on its own.
 * - model.json: every layers-model/graph-model JSON under the model folders, analysed without
 *   weights and with weight health (shards opened lazily from the model's folder, only the
 *   normalization weights read), beside a bare `JSON.parse` of the same text.
 *
 * Each measurement runs ROUNDS times after a warm-up; the round with the median total is shown.
 * Options: --models DIR (repeatable; default /tmp/tfjs-pkgs and /tmp/tfjs-models when present,
 * else test/fixtures/tfjs/real), --rounds N.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import ts from 'typescript';
import type { Parser } from 'web-tree-sitter';
import type { ByteSource } from '../src/core/bytes/byte-source';
import { ParserFactory, type GrammarName } from '../src/core/syntax/parsers';
import { analyzeTfjsModelJson, extractTfjs } from '../src/core/tfjs/index';
import { FileByteSource } from '../src/node/file-byte-source';
import { nodeModulesWasmLoader } from '../test/unit/helpers/wasm';

const SOURCE_ROOT = path.join(__dirname, '../node_modules/@tensorflow');
const DEFAULT_MODEL_DIRS = ['/tmp/tfjs-pkgs', '/tmp/tfjs-models'];
const FALLBACK_MODEL_DIR = path.join(__dirname, '../test/fixtures/tfjs/real');

/** How each source extension is parsed by both sides. */
const KINDS: Readonly<Record<string, { grammar: GrammarName; script: ts.ScriptKind }>> = {
  '.js': { grammar: 'javascript', script: ts.ScriptKind.JS },
  '.mjs': { grammar: 'javascript', script: ts.ScriptKind.JS },
  '.cjs': { grammar: 'javascript', script: ts.ScriptKind.JS },
  '.ts': { grammar: 'typescript', script: ts.ScriptKind.TS },
  '.tsx': { grammar: 'tsx', script: ts.ScriptKind.TSX },
};

interface SourceFile {
  readonly path: string;
  readonly text: string;
  readonly bytes: number;
  readonly grammar: GrammarName;
  readonly script: ts.ScriptKind;
}

interface ModelFile {
  readonly path: string;
  readonly text: string;
  readonly bytes: number;
}

/** One measured round: per-item times in ms. */
type Round = readonly number[];

/** One row of the table. */
interface Row {
  readonly label: string;
  readonly items: number;
  readonly bytes: number;
  readonly times: Round;
  /** The row this one's ratio compares with (its time divided by this row's). */
  readonly peer?: string;
  readonly note?: string;
}

function options(argv: readonly string[]): { models: string[]; rounds: number } {
  const models: string[] = [];
  let rounds = 5;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--models' && argv[i + 1] !== undefined) {
      models.push(argv[++i] ?? '');
    } else if (argv[i] === '--rounds' && argv[i + 1] !== undefined) {
      rounds = Math.max(1, Number(argv[++i]));
    }
  }
  if (models.length === 0) {
    const present = DEFAULT_MODEL_DIRS.filter((dir) => existsSync(dir));
    models.push(...(present.length > 0 ? present : [FALLBACK_MODEL_DIR]));
  }
  return { models, rounds };
}

function walk(root: string, keep: (name: string) => boolean, out: string[] = []): string[] {
  for (const entry of readdirSync(root, { withFileTypes: true })) {
    const full = path.join(root, entry.name);
    if (entry.isDirectory()) {
      walk(full, keep, out);
    } else if (entry.isFile() && keep(entry.name)) {
      out.push(full);
    }
  }
  return out.sort();
}

function sourceFiles(): SourceFile[] {
  return walk(SOURCE_ROOT, (name) => KINDS[path.extname(name)] !== undefined).map((file) => {
    const text = readFileSync(file, 'utf8');
    const kind = KINDS[path.extname(file)] ?? { grammar: 'javascript', script: ts.ScriptKind.JS };
    return { path: file, text, bytes: Buffer.byteLength(text), ...kind };
  });
}

/**
 * JSON files with a tfjs topology (package.json and friends are skipped). A copy of a model
 * already found in an earlier folder is skipped, so the copy beside its shards is the one kept.
 */
function modelFiles(dirs: readonly string[]): ModelFile[] {
  const seen = new Set<string>();
  const models: ModelFile[] = [];
  for (const file of dirs.flatMap((dir) => walk(dir, (name) => name.endsWith('.json')))) {
    const text = readFileSync(file, 'utf8');
    if (text.includes('"modelTopology"') && !seen.has(text)) {
      seen.add(text);
      models.push({ path: file, text, bytes: Buffer.byteLength(text) });
    }
  }
  return models;
}

/** Runs `measure` once to warm up, then `rounds` times; returns the round with the median total. */
async function medianRound(rounds: number, measure: () => Promise<Round> | Round): Promise<Round> {
  await measure();
  const results: Round[] = [];
  for (let r = 0; r < rounds; r++) {
    results.push(await measure());
  }
  results.sort((a, b) => sum(a) - sum(b));
  return results[Math.floor(results.length / 2)] ?? [];
}

function timeEach<T>(items: readonly T[], run: (item: T) => void): Round {
  return items.map((item) => {
    const start = performance.now();
    run(item);
    return performance.now() - start;
  });
}

async function timeEachAsync<T>(
  items: readonly T[],
  run: (item: T) => Promise<void>,
): Promise<Round> {
  const times: number[] = [];
  for (const item of items) {
    const start = performance.now();
    await run(item);
    times.push(performance.now() - start);
  }
  return times;
}

function sum(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0);
}

function p95(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.95))] ?? Number.NaN;
}

/** Opens shards from the model's folder with file handles and counts the bytes read. */
class ShardFolder {
  private readonly open: FileByteSource[] = [];
  bytesRead = 0;

  constructor(private readonly folder: string) {}

  readonly load = async (shard: string): Promise<ByteSource> => {
    const source = await FileByteSource.open(path.join(this.folder, shard));
    this.open.push(source);
    return {
      size: source.size,
      read: async (offset: number, length: number) => {
        const bytes = await source.read(offset, length);
        this.bytesRead += bytes.byteLength;
        return bytes;
      },
    };
  };

  async close(): Promise<void> {
    await Promise.all(this.open.map((source) => source.close()));
  }
}

function table(rows: readonly Row[]): void {
  const header = [
    'measurement',
    'items',
    'MB',
    'total ms',
    'items/s',
    'MB/s',
    'p95 ms/item',
    'ratio',
  ];
  const byLabel = new Map(rows.map((row) => [row.label, row]));
  const lines = rows.map((row) => {
    const total = sum(row.times);
    const peer = row.peer === undefined ? undefined : byLabel.get(row.peer);
    const ratio = peer ? `${(total / sum(peer.times)).toFixed(2)}× ${row.peer}` : '—';
    return [
      row.label,
      String(row.items),
      (row.bytes / 1e6).toFixed(2),
      total.toFixed(0),
      (row.items / (total / 1000)).toFixed(0),
      (row.bytes / 1e6 / (total / 1000)).toFixed(2),
      p95(row.times).toFixed(2),
      ratio,
    ];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => (l[i] ?? '').length)));
  const format = (cells: readonly string[]): string =>
    `| ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join(' | ')} |`;
  console.log(format(header));
  console.log(
    `|${widths.map((w, i) => (i === 0 ? '-'.repeat(w + 2) : `${'-'.repeat(w + 1)}:`)).join('|')}|`,
  );
  for (const line of lines) {
    console.log(format(line));
  }
  for (const row of rows.filter((r) => r.note !== undefined)) {
    console.log(`  ${row.label}: ${row.note ?? ''}`);
  }
}

async function main(): Promise<void> {
  const { models: modelDirs, rounds } = options(process.argv.slice(2));
  const factory = new ParserFactory(nodeModulesWasmLoader);
  const parsers = new Map<GrammarName, Parser>();
  for (const grammar of ['javascript', 'typescript', 'tsx'] as const) {
    parsers.set(grammar, await factory.createParser(grammar));
  }
  const parserOf = (file: SourceFile): Parser => {
    const parser = parsers.get(file.grammar);
    if (!parser) {
      throw new Error(`no parser for ${file.grammar}`);
    }
    return parser;
  };

  const sources = sourceFiles();
  const sourceBytes = sum(sources.map((f) => f.bytes));
  let sites = 0;
  const extract = await medianRound(rounds, () => {
    sites = 0;
    return timeEach(sources, (file) => {
      const tree = parserOf(file).parse(file.text);
      if (tree) {
        sites += extractTfjs(tree, file.text).sites.length;
        tree.delete();
      }
    });
  });
  const parseOnly = await medianRound(rounds, () =>
    timeEach(sources, (file) => parserOf(file).parse(file.text)?.delete()),
  );
  const tsc = await medianRound(rounds, () =>
    timeEach(sources, (file) => {
      ts.createSourceFile(file.path, file.text, ts.ScriptTarget.Latest, true, file.script);
    }),
  );

  const models = modelFiles(modelDirs);
  const modelBytes = sum(models.map((m) => m.bytes));
  const jsonParse = await medianRound(rounds, () =>
    timeEach(models, (model) => {
      JSON.parse(model.text);
    }),
  );
  let modelSites = 0;
  const inventory = await medianRound(rounds, () => {
    modelSites = 0;
    return timeEachAsync(models, async (model) => {
      modelSites += (await analyzeTfjsModelJson(model.text)).sites.length;
    });
  });
  let checked = 0;
  let shardBytes = 0;
  let unreadable = 0;
  const withHealth = await medianRound(rounds, () => {
    checked = 0;
    shardBytes = 0;
    unreadable = 0;
    return timeEachAsync(models, async (model) => {
      const shards = new ShardFolder(path.dirname(model.path));
      try {
        const result = await analyzeTfjsModelJson(model.text, shards.load);
        checked += result.health?.filter((h) => h.tensors.length > 0).length ?? 0;
        unreadable += result.health?.filter((h) => h.unreadable.length > 0).length ?? 0;
      } finally {
        await shards.close();
      }
      shardBytes += shards.bytesRead;
    });
  });

  console.log(
    `tfjs bench: ${sources.length} source files from ${path.relative(process.cwd(), SOURCE_ROOT)}, ` +
      `${models.length} model.json files from ${modelDirs.join(', ')}; median of ${rounds} rounds; ` +
      `load average ${loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')}`,
  );
  const tscLabel = 'ts.createSourceFile (peer)';
  const parseLabel = 'model.json JSON.parse only';
  const inventoryLabel = 'model.json inventory';
  table([
    {
      label: 'NormLens parse + extractTfjs',
      items: sources.length,
      bytes: sourceBytes,
      times: extract,
      peer: tscLabel,
      note: `${sites} sites`,
    },
    {
      label: 'tree-sitter parse only',
      items: sources.length,
      bytes: sourceBytes,
      times: parseOnly,
      peer: tscLabel,
    },
    { label: tscLabel, items: sources.length, bytes: sourceBytes, times: tsc },
    { label: parseLabel, items: models.length, bytes: modelBytes, times: jsonParse },
    {
      label: inventoryLabel,
      items: models.length,
      bytes: modelBytes,
      times: inventory,
      peer: parseLabel,
      note: `${modelSites} sites`,
    },
    {
      label: 'model.json inventory + shard health',
      items: models.length,
      bytes: modelBytes,
      times: withHealth,
      peer: inventoryLabel,
      note:
        `${checked} sites with weights read, ${(shardBytes / 1e6).toFixed(2)} MB read from shards` +
        (unreadable > 0 ? `, ${unreadable} sites whose shards are missing` : ''),
    },
  ]);
}

void main();

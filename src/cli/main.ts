/**
 * `normlens check | inventory | rules`: the same findings as the editor, for terminals and CI.
 */
import { stat } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { ParserFactory, SettingsError, SourceAnalyzer } from '../core/index';
import { analyzeAll, OrderedOutcomes, type RunTiming } from '../node/analysis-pool';
import { threadClockMs, TimedAnalyzer, timingRequested } from '../node/analysis-timing';
import { runAnalysisTask, type AnalysisTask, type CheckedOutcome } from '../node/analysis-task';
import { loadProjectConfig, type ProjectConfig } from '../node/project-config';
import { collectInputFiles } from '../node/walk';
import { createNodeWasmLoader } from '../node/wasm-loader';
import {
  parseCommandLine,
  USAGE,
  UsageError,
  type CheckCommand,
  type InventoryCommand,
} from './args';
import { ExitStatus } from './exit-status';
import { errorsOf, inventoryJson, inventoryText, isModelFile } from './inventory';
import { JsonReport, type FileEntry, type ReportWriter } from './json-report';
import { createProgress } from './progress';
import { rulesJson, rulesText } from './rules-catalog';
import { SarifReport } from './sarif-report';
import { styleFor } from './style';
import { TextReport } from './text-report';

declare const NORMLENS_VERSION: string | undefined;

const VERSION = typeof NORMLENS_VERSION === 'string' ? NORMLENS_VERSION : 'dev';
const WASM_FOLDER = path.join(__dirname, 'wasm');

const TIMING = timingRequested(process.env);

function localAnalyzer(): SourceAnalyzer {
  const factory = new ParserFactory(createNodeWasmLoader(WASM_FOLDER));
  return TIMING ? new TimedAnalyzer(factory) : new SourceAnalyzer(factory);
}

/** One checked path: its folder (where settings are read) and its files. */
interface CheckedRoot {
  readonly root: string;
  readonly config: ProjectConfig;
  readonly files: readonly string[];
}

async function collect(command: CheckCommand): Promise<CheckedRoot[]> {
  const configs = new Map<string, Promise<ProjectConfig>>();
  const roots: CheckedRoot[] = [];
  const claimed = new Set<string>();
  for (const given of command.paths) {
    const root = (await isDirectory(given)) ? given : path.dirname(given);
    let config = configs.get(root);
    if (!config) {
      config = loadProjectConfig(root, command.config);
      configs.set(root, config);
    }
    const resolved = await config;
    const exclude = [...resolved.settings.exclude, ...(command.exclude ?? [])];
    const files = (await collectInputFiles([given], { exclude })).filter((file) => {
      const key = path.resolve(file);
      return claimed.has(key) ? false : (claimed.add(key), true);
    });
    roots.push({ root, config: resolved, files });
  }
  return roots;
}

async function check(command: CheckCommand): Promise<number> {
  let roots: CheckedRoot[];
  try {
    roots = await collect(command);
  } catch (error) {
    console.error(`normlens: ${error instanceof Error ? error.message : String(error)}`);
    return 2;
  }
  const tasks: AnalysisTask[] = roots.flatMap(({ root, config, files }) =>
    files.map((file) => taskOf(file, root, config)),
  );
  const progress = createProgress(process.stderr, tasks.length);
  const jobs = command.jobs ?? availableParallelism();
  const paths = tasks.map((task) => shownPath(task.file));
  const order = [...paths.keys()].sort((a, b) => compare(paths[a] ?? '', paths[b] ?? ''));
  const writer = writerFor(command.format);
  const status = new ExitStatus();
  const outcomes = new OrderedOutcomes(order, (index, outcome) => {
    const entry = entryOf(paths[index] ?? outcome.file, outcome);
    writer.add(entry);
    status.add(entry);
  });
  const timing = await analyzeAll(
    tasks,
    {
      jobs,
      timing: TIMING,
      workerScript: path.join(__dirname, 'cli-worker.js'),
      wasmFolder: WASM_FOLDER,
      localAnalyzer,
      onProgress: (done) => progress.update(done),
    },
    outcomes,
  );
  progress.finish();
  writeAll(writer.pieces());
  if (timing) {
    console.error(timingLine(tasks.length, Math.min(jobs, tasks.length), timing));
  }
  return status.code(command.failOn);
}

/**
 * `NORMLENS_TIMING`'s line: the process's wall and CPU time (start-up included) split into the
 * analyzer, the rest of the worker threads, the main thread and the other threads (V8's garbage
 * collector and compiler, libuv), and the CPU time per file outside the analyzer. Thread times are
 * CPU times where the system tells them (Linux), else wall times.
 */
function timingLine(files: number, jobs: number, { analyzerMs, workerMs }: RunTiming): string {
  const { user, system } = process.cpuUsage();
  const cpuMs = (user + system) / 1000;
  // With one job the analysis runs in the main thread, so its time is taken out of the main's.
  const mainMs = threadClockMs() - (workerMs === 0 ? analyzerMs : 0);
  const s = (ms: number): string => (ms / 1000).toFixed(2);
  const perFile = files === 0 ? '-' : ((cpuMs - analyzerMs) / files).toFixed(2);
  return (
    `normlens: timing: ${files} files, ${jobs} job${jobs === 1 ? '' : 's'}: ` +
    `${s(performance.now())} s wall; CPU ${s(cpuMs)} s = analyzer ${s(analyzerMs)} + ` +
    `rest of the workers ${s(Math.max(0, workerMs - analyzerMs))} + main thread ${s(mainMs)} + ` +
    `other threads ${s(cpuMs - Math.max(workerMs, analyzerMs) - mainMs)}; ` +
    `outside the analyzer ${perFile} ms a file`
  );
}

function taskOf(file: string, root: string, config: ProjectConfig): AnalysisTask {
  const { settings, torchVersion } = config;
  return {
    file,
    root: path.resolve(root),
    rules: settings.rules,
    ...(torchVersion ? { torchVersion: torchVersion.version } : {}),
    ...(settings.maxFileSizeKB === undefined ? {} : { maxFileSizeKB: settings.maxFileSizeKB }),
    ...(settings.maxModelSizeMB === undefined ? {} : { maxModelSizeMB: settings.maxModelSizeMB }),
  };
}

/** A file's path as the outputs show it: relative to the working directory. */
function shownPath(file: string): string {
  return path.relative(process.cwd(), file) || file;
}

function entryOf(shown: string, outcome: CheckedOutcome): FileEntry {
  return {
    path: shown,
    report: outcome.report,
    ...(outcome.ioError === undefined ? {} : { ioError: outcome.ioError }),
  };
}

function writerFor(format: CheckCommand['format']): ReportWriter {
  switch (format) {
    case 'json':
      return new JsonReport();
    case 'sarif':
      return new SarifReport(VERSION, process.cwd());
    case 'text':
      return new TextReport(styleFor(process.stdout));
  }
}

/** Writes the output in chunks of about a megabyte rather than as one string or many small writes. */
function writeAll(pieces: readonly string[]): void {
  let chunk: string[] = [];
  let length = 0;
  for (const piece of pieces) {
    chunk.push(piece);
    length += piece.length;
    if (length >= 1 << 20) {
      process.stdout.write(chunk.join(''));
      chunk = [];
      length = 0;
    }
  }
  process.stdout.write(chunk.join(''));
}

async function inventory(command: InventoryCommand): Promise<number> {
  if (!isModelFile(command.model)) {
    throw new UsageError(`inventory reads .onnx and model.json files, not '${command.model}'`);
  }
  const outcome = await runAnalysisTask(localAnalyzer(), {
    file: command.model,
    root: path.dirname(path.resolve(command.model)),
    rules: {},
  });
  const shown = path.relative(process.cwd(), command.model) || command.model;
  process.stdout.write(
    command.format === 'json'
      ? `${JSON.stringify(inventoryJson(shown, outcome), null, 2)}\n`
      : inventoryText(shown, outcome, styleFor(process.stdout)),
  );
  const failed =
    outcome.ioError !== undefined ||
    outcome.report.errors.some((e) => e.kind === 'invalid' || e.kind === 'internal');
  return failed || (errorsOf(outcome).length > 0 && outcome.report.sites.length === 0) ? 2 : 0;
}

async function main(argv: readonly string[]): Promise<number> {
  try {
    const command = parseCommandLine(argv);
    switch (command.command) {
      case 'help':
        console.log(USAGE);
        return 0;
      case 'version':
        console.log(VERSION);
        return 0;
      case 'rules':
        process.stdout.write(
          command.format === 'json'
            ? `${JSON.stringify(rulesJson(), null, 2)}\n`
            : rulesText(styleFor(process.stdout)),
        );
        return 0;
      case 'inventory':
        return await inventory(command);
      case 'check':
        return await check(command);
    }
  } catch (error) {
    if (error instanceof UsageError) {
      console.error(`normlens: ${error.message}\n\n${USAGE}`);
      return 2;
    }
    if (error instanceof SettingsError) {
      console.error(`normlens: ${error.message}`);
      return 2;
    }
    console.error(
      `normlens: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
    );
    return 2;
  }
}

async function isDirectory(given: string): Promise<boolean> {
  try {
    return (await stat(given)).isDirectory();
  } catch {
    // A missing path is reported by the walk with its own error.
    return false;
  }
}

/** Code-unit order, so output is the same on every machine and locale. */
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

void main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});

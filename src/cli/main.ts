/**
 * `normlens check | inventory | rules`: the same findings as the editor, for terminals and CI.
 */
import { stat } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import {
  ParserFactory,
  SettingsError,
  SourceAnalyzer,
  severityRank,
  type Severity,
} from '../core/index';
import { analyzeAll } from '../node/analysis-pool';
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
import { errorsOf, inventoryJson, inventoryText, isModelFile } from './inventory';
import { toJson, type FileEntry } from './json-report';
import { createProgress } from './progress';
import { rulesJson, rulesText } from './rules-catalog';
import { toSarif } from './sarif-report';
import { styleFor } from './style';
import { toText } from './text-report';

declare const NORMLENS_VERSION: string | undefined;

const VERSION = typeof NORMLENS_VERSION === 'string' ? NORMLENS_VERSION : 'dev';
const WASM_FOLDER = path.join(__dirname, 'wasm');

function localAnalyzer(): SourceAnalyzer {
  return new SourceAnalyzer(new ParserFactory(createNodeWasmLoader(WASM_FOLDER)));
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
  const outcomes = await analyzeAll(tasks, {
    jobs: command.jobs ?? availableParallelism(),
    workerScript: path.join(__dirname, 'cli-worker.js'),
    wasmFolder: WASM_FOLDER,
    localAnalyzer,
    onProgress: (done) => progress.update(done),
  });
  progress.finish();
  const entries = outcomes.map(entryOf).sort((a, b) => compare(a.path, b.path));
  process.stdout.write(render(command.format, entries));
  return exitCode(entries, command.failOn);
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

function entryOf(outcome: CheckedOutcome): FileEntry {
  return {
    path: path.relative(process.cwd(), outcome.file) || outcome.file,
    report: outcome.report,
    ...(outcome.ioError === undefined ? {} : { ioError: outcome.ioError }),
  };
}

function render(format: CheckCommand['format'], entries: readonly FileEntry[]): string {
  switch (format) {
    case 'json':
      return `${JSON.stringify(toJson(entries), null, 2)}\n`;
    case 'sarif':
      return `${JSON.stringify(toSarif(entries, VERSION, process.cwd()), null, 2)}\n`;
    case 'text':
      return toText(entries, styleFor(process.stdout));
  }
}

/** 2 when a file could not be analysed, else 1 when a finding reaches `failOn`, else 0. */
function exitCode(entries: readonly FileEntry[], failOn: Severity | 'none'): number {
  // A file that could not be read, or a model that is not what it claims, is an I/O-class failure.
  if (
    entries.some(
      (entry) =>
        entry.ioError !== undefined ||
        entry.report.errors.some((e) => e.kind === 'invalid' || e.kind === 'internal'),
    )
  ) {
    return 2;
  }
  const failing =
    failOn !== 'none' &&
    entries.some(({ report }) =>
      report.findings.some((f) => severityRank(f.severity) <= severityRank(failOn)),
    );
  return failing ? 1 : 0;
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

/**
 * One unit of CLI work: analyse one file with its project's settings, never throwing. The same
 * function runs in the main thread (one job) and in each worker thread.
 */
import { closeSync, fstatSync, openSync, readFileSync } from 'node:fs';
import {
  emptyReport,
  inputLanguageOf,
  type AnalysisError,
  type AnalyzeOptions,
  type FileReport,
  type Finding,
  type InputLanguage,
  type NormSite,
  type RuleConfig,
  type SourceAnalyzer,
} from '../core/index';
import { analyzeOnnxFile, analyzeText } from './analyze-file';
import { FileByteSource } from './file-byte-source';
import type { PackageFolderCache } from './python-module';

/** Sources larger than this are skipped unless the settings say otherwise (as in the editor). */
export const DEFAULT_MAX_FILE_SIZE_KB = 2048;

/** What a worker needs to analyse one file; plain data, so it can cross a thread boundary. */
export interface AnalysisTask {
  readonly file: string;
  /** The checked folder: bounds the Python package lookup. */
  readonly root: string;
  readonly rules: RuleConfig;
  readonly torchVersion?: string;
  readonly maxFileSizeKB?: number;
  readonly maxModelSizeMB?: number;
}

/** The result of one task: a report, or the I/O error that prevented one. */
export interface AnalysisOutcome {
  readonly file: string;
  readonly report: FileReport;
  readonly ioError?: string;
}

/** A site as the CLI prints it: without the extraction context rules read. */
export type CheckedSite = Pick<NormSite, 'kind' | 'variant' | 'framework' | 'location' | 'params'>;

/** A finding as the CLI prints it: fixes are for editors. */
export type CheckedFinding = Omit<Finding, 'fixes'>;

/** The parts of a report that `normlens check` prints; a {@link FileReport} is one too. */
export interface CheckedReport {
  readonly language: InputLanguage;
  readonly sites: readonly CheckedSite[];
  readonly findings: readonly CheckedFinding[];
  readonly errors: readonly AnalysisError[];
}

/** An outcome reduced to what `normlens check` prints. */
export interface CheckedOutcome {
  readonly file: string;
  readonly report: CheckedReport;
  readonly ioError?: string;
}

/**
 * Drops what the outputs never show (site contexts, fixes, the file context). A whole repository's
 * outcomes are held until they are printed, and these parts are most of a report's memory; they
 * are also most of what a worker would otherwise copy to the main thread.
 */
export function summarize(outcome: AnalysisOutcome): CheckedOutcome {
  const { language, sites, findings, errors } = outcome.report;
  return {
    file: outcome.file,
    report: {
      language,
      sites: sites.map(({ kind, variant, framework, location, params }) => ({
        kind,
        variant,
        framework,
        location,
        params,
      })),
      findings: findings.map(({ rule, severity, message, location, related }) => ({
        rule,
        severity,
        message,
        location,
        related,
      })),
      errors,
    },
    ...(outcome.ioError === undefined ? {} : { ioError: outcome.ioError }),
  };
}

/**
 * Analyses `task.file`; I/O failures and size limits are reported in the outcome. Sources are read
 * synchronously: a thread running tasks has nothing else to do meanwhile, and a file's open, stat,
 * read and close then cost microseconds instead of four trips through libuv's thread pool. Models
 * are still read range by range. `packages` shares the Python package lookups of a run.
 */
export async function runAnalysisTask(
  analyzer: SourceAnalyzer,
  task: AnalysisTask,
  packages?: PackageFolderCache,
): Promise<AnalysisOutcome> {
  const language = inputLanguageOf(task.file) ?? 'python';
  const options: AnalyzeOptions = {
    rules: task.rules,
    ...(task.maxFileSizeKB === undefined ? {} : { maxFileSizeKB: task.maxFileSizeKB }),
    ...(task.torchVersion === undefined ? {} : { python: { torchVersion: task.torchVersion } }),
  };
  try {
    if (language === 'onnx') {
      const source = await FileByteSource.open(task.file);
      const skipped = overLimit(task, true, source.size);
      if (skipped) {
        await source.close();
        return { file: task.file, report: emptyReport(language, [skipped]) };
      }
      return {
        file: task.file,
        report: await analyzeOnnxFile(analyzer, task.file, source, options),
      };
    }
    const text = readWithin(task.file, (size) => overLimit(task, false, size));
    if (typeof text !== 'string') {
      return { file: task.file, report: emptyReport(language, [text]) };
    }
    const report = await analyzeText(analyzer, task.file, text, task.root, options, packages);
    return { file: task.file, report };
  } catch (error) {
    return {
      file: task.file,
      report: emptyReport(language),
      ioError: error instanceof Error ? error.message : String(error),
    };
  }
}

/** The text of `file`, or the error `tooLarge` gives for its size. */
function readWithin(
  file: string,
  tooLarge: (size: number) => AnalysisError | undefined,
): string | AnalysisError {
  const fd = openSync(file, 'r');
  try {
    const skipped = tooLarge(fstatSync(fd).size);
    return skipped ?? readFileSync(fd, 'utf8');
  } finally {
    closeSync(fd);
  }
}

/** The `limit` error when a file of `size` bytes is over the task's limit for its kind. */
function overLimit(task: AnalysisTask, isModel: boolean, size: number): AnalysisError | undefined {
  const limit = sizeLimit(task, isModel);
  return limit !== undefined && size > limit.bytes
    ? { message: `skipped: ${Math.ceil(size / 1024)} KB is over ${limit.setting}`, kind: 'limit' }
    : undefined;
}

function sizeLimit(
  task: AnalysisTask,
  isModel: boolean,
): { bytes: number; setting: string } | undefined {
  if (isModel) {
    // Models are read lazily, range by range, so they have no limit unless one is configured.
    return task.maxModelSizeMB === undefined
      ? undefined
      : {
          bytes: task.maxModelSizeMB * 1024 * 1024,
          setting: `maxModelSizeMB (${task.maxModelSizeMB})`,
        };
  }
  const kb = task.maxFileSizeKB ?? DEFAULT_MAX_FILE_SIZE_KB;
  return { bytes: kb * 1024, setting: `maxFileSizeKB (${kb})` };
}

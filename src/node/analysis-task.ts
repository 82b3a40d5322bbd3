/**
 * One unit of CLI work: analyse one file with its project's settings, never throwing. The same
 * function runs in the main thread (one job) and in each worker thread.
 */
import { stat } from 'node:fs/promises';
import {
  emptyReport,
  inputLanguageOf,
  type AnalysisError,
  type FileReport,
  type Finding,
  type InputLanguage,
  type NormSite,
  type RuleConfig,
  type SourceAnalyzer,
} from '../core/index';
import { analyzeFile } from './analyze-file';

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

/** Analyses `task.file`; I/O failures and size limits are reported in the outcome. */
export async function runAnalysisTask(
  analyzer: SourceAnalyzer,
  task: AnalysisTask,
): Promise<AnalysisOutcome> {
  const language = inputLanguageOf(task.file) ?? 'python';
  try {
    const limit = sizeLimit(task, language === 'onnx');
    const { size } = await stat(task.file);
    if (limit !== undefined && size > limit.bytes) {
      const message = `skipped: ${Math.ceil(size / 1024)} KB is over ${limit.setting}`;
      return { file: task.file, report: emptyReport(language, [{ message, kind: 'limit' }]) };
    }
    const report = await analyzeFile(analyzer, task.file, task.root, {
      rules: task.rules,
      ...(task.maxFileSizeKB === undefined ? {} : { maxFileSizeKB: task.maxFileSizeKB }),
      ...(task.torchVersion === undefined ? {} : { python: { torchVersion: task.torchVersion } }),
    });
    return { file: task.file, report };
  } catch (error) {
    return {
      file: task.file,
      report: emptyReport(language),
      ioError: error instanceof Error ? error.message : String(error),
    };
  }
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

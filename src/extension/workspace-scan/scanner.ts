/**
 * Workspace analysis: lists the files, then analyses them one at a time with a turn of the event
 * loop between files, so the extension host keeps answering while it runs. Unchanged files come
 * from the content cache; cancellation is checked before every file.
 */
import * as vscode from 'vscode';
import { emptyReport, type FileReport } from '../../core/index';
import type { AnalysisSettings } from '../analysis-settings';
import { maxWorkspaceFiles } from '../config';
import type { Log } from '../log';
import { sizeLimitNote } from '../size-limits';
import { analyzeWorkspaceFile, type FileAnalysisHost } from './analyze-uri';
import { contentHash } from './content-hash';
import { findAnalysableFiles, type ListedFile } from './find-files';
import { ReportCache, type FileStamp } from './report-cache';
import { yieldToEventLoop } from './yield';

/**
 * Models up to this size are hashed; a larger one is keyed by its size and modification time,
 * since reading gigabytes only to hash them would cost more than the lazy analysis itself.
 */
const HASHED_MODEL_BYTES = 64 * 1024 * 1024;

/** What one scan did. */
export interface ScanSummary {
  /** Files listed for analysis. */
  readonly files: number;
  /** Files analysed in this run. */
  readonly analysed: number;
  /** Files whose report came from the cache (bytes and settings unchanged). */
  readonly cached: number;
  /** Files over a size limit (each has a note in its report). */
  readonly skipped: number;
  /** Files that could not be read. */
  readonly failed: number;
  readonly sites: number;
  readonly findings: number;
  /** `normLens.workspace.maxFiles` cut the file list short. */
  readonly truncated: boolean;
  readonly cancelled: boolean;
  readonly elapsedMs: number;
}

/** Called as the scan goes: after each file, with its report. */
export interface ScanListener {
  listed?(files: readonly ListedFile[]): void;
  analysed(file: ListedFile, report: FileReport, done: number): void;
}

type Outcome = 'analysed' | 'cached' | 'skipped' | 'failed';

/** Runs workspace scans over one content cache. */
export class WorkspaceScanner {
  private readonly cache = new ReportCache();

  constructor(
    private readonly host: FileAnalysisHost,
    private readonly settings: AnalysisSettings,
    private readonly log: Log,
  ) {}

  /** The last report of `uri` from a scan, if any (possibly stale). */
  cachedReport(uri: vscode.Uri): FileReport | undefined {
    return this.cache.peek(uri.toString());
  }

  /** Scans `scope` (a folder) or the whole workspace. */
  async scan(
    scope: vscode.Uri | undefined,
    token: vscode.CancellationToken,
    listener: ScanListener,
  ): Promise<ScanSummary> {
    const started = Date.now();
    await this.settings.ready;
    this.cache.useSettings(this.settings.key());
    const listing = await findAnalysableFiles(
      scope,
      (uri) => this.settings.excludes(uri),
      maxWorkspaceFiles(),
      token,
    );
    listener.listed?.(listing.files);
    const counts: Record<Outcome, number> = { analysed: 0, cached: 0, skipped: 0, failed: 0 };
    let sites = 0;
    let findings = 0;
    let done = 0;
    for (const file of listing.files) {
      if (token.isCancellationRequested) {
        break;
      }
      const { report, outcome } = await this.analyse(file, token);
      counts[outcome]++;
      sites += report.sites.length;
      findings += report.findings.length;
      listener.analysed(file, report, ++done);
      await yieldToEventLoop();
    }
    const cancelled = token.isCancellationRequested;
    if (!cancelled && !listing.truncated) {
      const present = new Set(listing.files.map((file) => file.uri.toString()));
      const prefix = scope?.toString().replace(/\/?$/, '/');
      this.cache.retain(present, (uri) => prefix === undefined || uri.startsWith(prefix));
    }
    return {
      files: listing.files.length,
      ...counts,
      sites,
      findings,
      truncated: listing.truncated,
      cancelled,
      elapsedMs: Date.now() - started,
    };
  }

  /** The report of one file: from the cache, a size-limit note, or a fresh analysis. */
  private async analyse(
    file: ListedFile,
    token: vscode.CancellationToken,
  ): Promise<{ report: FileReport; outcome: Outcome }> {
    const key = file.uri.toString();
    try {
      const stat = await vscode.workspace.fs.stat(file.uri);
      const stamp: FileStamp = { size: stat.size, mtime: stat.mtime };
      const settings = this.settings.forUri(file.uri);
      const limit = sizeLimitNote(file.language, stat.size, settings);
      if (limit) {
        return {
          report: emptyReport(file.language, [{ message: limit, kind: 'limit' }]),
          outcome: 'skipped',
        };
      }
      const known = this.cache.byStamp(key, stamp);
      if (known) {
        return { report: known, outcome: 'cached' };
      }
      const hashed = file.language !== 'onnx' || stat.size <= HASHED_MODEL_BYTES;
      const bytes = hashed ? await vscode.workspace.fs.readFile(file.uri) : undefined;
      const fingerprint = bytes
        ? await contentHash(bytes, yieldToEventLoop)
        : `stamp:${stamp.size}:${stamp.mtime}`;
      const same = this.cache.byFingerprint(key, fingerprint, stamp);
      if (same) {
        return { report: same, outcome: 'cached' };
      }
      const report = await analyzeWorkspaceFile(
        this.host,
        file.uri,
        file.language,
        file.language === 'onnx' ? undefined : bytes,
        {
          ...settings,
          signal: {
            get aborted() {
              return token.isCancellationRequested;
            },
          },
        },
      );
      // A model read cut short by cancellation is not a result worth keeping.
      if (!token.isCancellationRequested) {
        this.cache.set(key, fingerprint, stamp, report);
      }
      return { report, outcome: 'analysed' };
    } catch (error) {
      this.log.error(`workspace analysis of ${key} failed`, error);
      const message = `NormLens could not read this file: ${error instanceof Error ? error.message : String(error)}`;
      return {
        report: emptyReport(file.language, [{ message, kind: 'internal' }]),
        outcome: 'failed',
      };
    }
  }
}

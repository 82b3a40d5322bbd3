/**
 * Workspace analysis: lists the files, then analyses the changed ones off the extension host's
 * thread when the host can (worker threads, several files in flight), else one at a time in this
 * thread; either way with a turn of the event loop between files, so the extension host keeps
 * answering while it runs. Unchanged files come from the content cache, read and hashed here, so
 * only changed files reach the workers; cancellation is checked before every file.
 */
import type * as vscode from 'vscode';
import { emptyReport, type FileReport } from '../../core/index';
import type { AnalysisSettings, FileSettings } from '../analysis-settings';
import { maxWorkspaceFiles } from '../config';
import type { Log } from '../log';
import { sizeLimitNote } from '../size-limits';
import { analyzeWorkspaceFile, type FileAnalysisHost } from './analyze-uri';
import { contentHash } from './content-hash';
import { findAnalysableFiles, type FileListing, type ListedFile } from './find-files';
import type { OffThreadAnalysis } from './off-thread';
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

/** Files per outcome, and the sites and findings of their reports. */
type Counts = Record<Outcome | 'sites' | 'findings', number>;

/** One file's report and how it was obtained. */
interface Result {
  readonly report: FileReport;
  readonly outcome: Outcome;
}

/** A file after its I/O: either its result already, or what its analysis needs. */
type Prepared =
  | { readonly type: 'done'; readonly result: Result }
  | {
      readonly type: 'read';
      readonly stamp: FileStamp;
      readonly settings: FileSettings;
      readonly bytes?: Uint8Array;
    };

/** Files whose stat and read run ahead of the one being analysed. */
const READ_AHEAD = 8;

/** What a scan needs from the host: single-file analysis, and workers when it has them. */
export interface ScanHost extends FileAnalysisHost {
  /** The host's workers for this scan, or undefined to analyse in this thread. */
  readonly offThread?: () => OffThreadAnalysis | undefined;
}

/** Runs workspace scans over one content cache. */
export class WorkspaceScanner {
  private readonly cache = new ReportCache();
  /**
   * The cached files whose size or modification time differ from when they were read, and those
   * that are gone (URI strings), found by a stat of each; undefined when more than `limit` are
   * cached, as so many stats are not cheap.
   * The file watcher's events can be lost (a watcher out of inotify watches, one restarted under
   * load), so this is how a closed file's result still cannot go stale.
   */
  async changedOnDisk(
    limit: number,
    parse: (key: string) => vscode.Uri,
  ): Promise<{ readonly changed: string[]; readonly deleted: string[] } | undefined> {
    if (this.cache.size > limit) {
      return undefined;
    }
    const changed: string[] = [];
    const deleted: string[] = [];
    await Promise.all(
      [...this.cache.stamps()].map(async ([key, stamp]) => {
        try {
          const now = await this.host.files.stat(parse(key));
          if (now.size !== stamp.size || now.mtime !== stamp.mtime) {
            changed.push(key);
          }
        } catch {
          deleted.push(key);
        }
      }),
    );
    return { changed, deleted };
  }

  /** Whether the last scan would list a file, and as what (watched changes are checked by it). */
  private accepts: FileListing['accepts'] | undefined;
  /** Milliseconds spent per phase in the current scan, logged at its end. */
  private timings = { list: 0, read: 0, hash: 0, analyse: 0, listeners: 0 };

  constructor(
    private readonly host: ScanHost,
    private readonly settings: AnalysisSettings,
    private readonly log: Log,
  ) {}

  /** Scans `scope` (a folder) or the whole workspace. */
  async scan(
    scope: vscode.Uri | undefined,
    token: vscode.CancellationToken,
    listener: ScanListener,
  ): Promise<ScanSummary> {
    const started = Date.now();
    await this.settings.ready;
    this.cache.useSettings(this.settings.key());
    this.timings = { list: 0, read: 0, hash: 0, analyse: 0, listeners: 0 };
    const listing = await findAnalysableFiles(
      scope,
      (uri) => this.settings.excludes(uri),
      maxWorkspaceFiles(),
      token,
    );
    this.timings.list = Date.now() - started;
    listener.listed?.(listing.files);
    this.accepts = listing.accepts;
    const counts = await this.analyseFiles(listing.files, token, listener);
    const cancelled = token.isCancellationRequested;
    this.log.info(`workspace scan phases (ms): ${JSON.stringify(this.timings)}`);
    if (!cancelled && !listing.truncated) {
      const present = new Set(listing.files.map((file) => file.uri.toString()));
      const prefix = scope?.toString().replace(/\/?$/, '/');
      this.cache.retain(present, (uri) => prefix === undefined || uri.startsWith(prefix));
    }
    return {
      files: listing.files.length,
      ...counts,
      truncated: listing.truncated,
      cancelled,
      elapsedMs: Date.now() - started,
    };
  }

  /**
   * Re-analyses files that changed on disk since a scan (a file watcher saw them), if the last
   * scan would list them; other files are ignored. Unchanged bytes still come from the cache.
   */
  async refresh(
    uris: readonly vscode.Uri[],
    token: vscode.CancellationToken,
    listener: ScanListener,
  ): Promise<void> {
    const accepts = this.accepts;
    if (!accepts) {
      return;
    }
    await this.settings.ready;
    this.cache.useSettings(this.settings.key());
    const files = uris.flatMap((uri): ListedFile[] => {
      const language = accepts(uri);
      return language ? [{ uri, language }] : [];
    });
    await this.analyseFiles(files, token, listener);
  }

  /** Whether the last scan would list `uri` (file-watcher events for other files are ignored). */
  wouldList(uri: vscode.Uri): boolean {
    return this.accepts?.(uri) !== undefined;
  }

  /** Forgets the cached reports of `uri` and of every file under it (deleted from disk). */
  forget(uri: vscode.Uri): void {
    const key = uri.toString();
    const prefix = key.replace(/\/?$/, '/');
    this.cache.retain(new Set(), (cached) => cached === key || cached.startsWith(prefix));
  }

  /** Analyses `files` (cache first), telling `listener` about each in order. */
  private async analyseFiles(
    files: readonly ListedFile[],
    token: vscode.CancellationToken,
    listener: ScanListener,
  ): Promise<Counts> {
    const counts: Counts = { analysed: 0, cached: 0, skipped: 0, failed: 0, sites: 0, findings: 0 };
    let done = 0;
    const offThread = this.host.offThread?.();
    // Stats and reads run a few files ahead, so their latency overlaps the analysis; analyses run
    // `concurrency` at a time (one in this thread), and finish in file order.
    const ahead: Promise<Prepared>[] = [];
    const running: { file: ListedFile; result: Promise<Result> }[] = [];
    let next = 0;
    const settle = async (): Promise<void> => {
      const oldest = running.shift();
      if (!oldest) {
        return;
      }
      const { report, outcome } = await oldest.result;
      if (token.isCancellationRequested) {
        return;
      }
      counts[outcome]++;
      counts.sites += report.sites.length;
      counts.findings += report.findings.length;
      const notified = Date.now();
      listener.analysed(oldest.file, report, ++done);
      this.timings.listeners += Date.now() - notified;
      await yieldToEventLoop();
    };
    for (const file of files) {
      if (token.isCancellationRequested) {
        break;
      }
      while (ahead.length < READ_AHEAD && next < files.length) {
        const upcoming = files[next++];
        if (upcoming) {
          ahead.push(this.prepare(upcoming));
        }
      }
      const prepared = await (ahead.shift() ?? this.prepare(file));
      running.push({ file, result: this.finish(file, prepared, token, offThread) });
      if (running.length >= (offThread?.concurrency ?? 1)) {
        await settle();
      }
    }
    while (running.length > 0 && !token.isCancellationRequested) {
      await settle();
    }
    return counts;
  }

  /**
   * A file's I/O, done ahead of its analysis: its stamp, and the bytes of a text file that has to
   * be hashed. Models are never read ahead, so only small texts wait in memory. Never rejects.
   */
  private async prepare(file: ListedFile): Promise<Prepared> {
    try {
      const stamp = await this.host.files.stat(file.uri);
      const settings = this.settings.forUri(file.uri);
      const limit = sizeLimitNote(file.language, stamp.size, settings);
      if (limit) {
        const report = emptyReport(file.language, [{ message: limit, kind: 'limit' }]);
        return { type: 'done', result: { report, outcome: 'skipped' } };
      }
      const known = this.cache.byStamp(file.uri.toString(), stamp);
      if (known) {
        return { type: 'done', result: { report: known, outcome: 'cached' } };
      }
      const reading = Date.now();
      const bytes = file.language === 'onnx' ? undefined : await this.host.files.readFile(file.uri);
      this.timings.read += Date.now() - reading;
      return { type: 'read', stamp, settings, ...(bytes ? { bytes } : {}) };
    } catch (error) {
      return { type: 'done', result: this.failed(file, error) };
    }
  }

  /** The report of a prepared file: from the cache when its bytes are known, else analysed. */
  private async finish(
    file: ListedFile,
    prepared: Prepared,
    token: vscode.CancellationToken,
    offThread: OffThreadAnalysis | undefined,
  ): Promise<Result> {
    if (prepared.type === 'done') {
      return prepared.result;
    }
    const { stamp, settings } = prepared;
    const key = file.uri.toString();
    try {
      const hashing = Date.now();
      const bytes =
        prepared.bytes ??
        (stamp.size <= HASHED_MODEL_BYTES ? await this.host.files.readFile(file.uri) : undefined);
      const fingerprint = bytes
        ? await contentHash(bytes, yieldToEventLoop)
        : `stamp:${stamp.size}:${stamp.mtime}`;
      const analysing = Date.now();
      this.timings.hash += analysing - hashing;
      const same = this.cache.byFingerprint(key, fingerprint, stamp);
      if (same) {
        return { report: same, outcome: 'cached' };
      }
      const isCancelled = (): boolean => token.isCancellationRequested;
      // model.json files stay here: their shards are read with the editor's size checks.
      const elsewhere =
        file.language === 'tfjs-model'
          ? undefined
          : offThread?.analyze(file.uri, file.language, settings, isCancelled);
      const report = elsewhere
        ? await elsewhere
        : await analyzeWorkspaceFile(
            this.host,
            file.uri,
            file.language,
            file.language === 'onnx' ? undefined : bytes,
            {
              ...settings,
              signal: {
                get aborted() {
                  return isCancelled();
                },
              },
            },
          );
      if (!report) {
        return { report: emptyReport(file.language), outcome: 'failed' };
      }
      this.timings.analyse += Date.now() - analysing;
      // A model read cut short by cancellation is not a result worth keeping.
      if (!token.isCancellationRequested) {
        this.cache.set(key, fingerprint, stamp, report);
      }
      return { report, outcome: 'analysed' };
    } catch (error) {
      // A scan cancelled meanwhile drops its results; its workers' failures are not news.
      return token.isCancellationRequested
        ? { report: emptyReport(file.language), outcome: 'failed' }
        : this.failed(file, error);
    }
  }

  private failed(file: ListedFile, error: unknown): Result {
    this.log.error(`workspace analysis of ${file.uri.toString()} failed`, error);
    const message = `NormLens could not read this file: ${error instanceof Error ? error.message : String(error)}`;
    return {
      report: emptyReport(file.language, [{ message, kind: 'internal' }]),
      outcome: 'failed',
    };
  }
}

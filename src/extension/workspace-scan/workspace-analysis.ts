/**
 * "NormLens: Analyze Workspace": runs a scan with a cancellable progress notification, feeds the
 * NormLens view and Problems as files finish, and says what it did. A new run supersedes (cancels)
 * a running one; "Stop Workspace Analysis" cancels it too. When settings or project files change,
 * the last analysis re-runs (only files whose results can change are re-analysed: all of them
 * for a rule change, none for an unrelated setting). Files changed on disk after an analysis (by
 * git, a build, another editor) are re-analysed a moment later, and deleted ones leave Problems
 * and the view, so a closed file's result never goes stale.
 */
import * as vscode from 'vscode';
import type { FileReport } from '../../core/index';
import type { AnalysisSettings } from '../analysis-settings';
import type { FindingsTree } from '../findings-tree';
import type { Log } from '../log';
import { INCLUDE } from './find-files';
import type { WorkspaceProblems } from './problems';
import type { ScanSummary, WorkspaceScanner } from './scanner';

/** The context key that shows "Stop Workspace Analysis" while a scan runs. */
const SCANNING_CONTEXT = 'normLens.scanning';

/** Progress messages at most this often: each one is a message to the workbench. */
const PROGRESS_INTERVAL_MS = 100;

/** Quiet time after a settings change before the last analysis re-runs. */
const RERUN_DELAY_MS = 500;

/** Quiet time after a file changed on disk before the changed files are re-analysed. */
const REFRESH_DELAY_MS = 1000;

/**
 * Longest a steady stream of file events (a build, a checkout) can put off a refresh: without it,
 * each event would restart the quiet time and the files already changed would never be re-analysed.
 */
const REFRESH_MAX_DELAY_MS = 5000;

/**
 * How often the analysed files are stat'ed for changes the watcher did not report. Its events are
 * not guaranteed: a watcher out of inotify instances or watches, or one restarted under load, loses
 * them without a word, and a closed file's result would then stay stale until the next analysis.
 */
const SWEEP_INTERVAL_MS = 10_000;

/** The sweep stats at most this many files; beyond, it waits for the watcher (or a re-run). */
const SWEEP_MAX_FILES = 1000;

/** Runs workspace analyses, one at a time. */
export class WorkspaceAnalysis implements vscode.Disposable {
  private running: vscode.CancellationTokenSource | undefined;
  private current: Promise<ScanSummary> | undefined;
  /** The scope of the last run; settings changes re-run it, since its results are stale. */
  private last: { scope: vscode.Uri | undefined } | undefined;
  private rerun: ReturnType<typeof setTimeout> | undefined;
  private readonly subscription: vscode.Disposable;
  /** Watches analysable files once an analysis has run. */
  private watcher: vscode.Disposable | undefined;
  /** Files changed on disk since the last refresh, by URI string. */
  private readonly changed = new Map<string, vscode.Uri>();
  private refreshTimer: ReturnType<typeof setTimeout> | undefined;
  /** When the oldest change waiting for a refresh was seen. */
  private pendingSince: number | undefined;
  /** The refresh in progress, so refreshes run one at a time. */
  private refreshing: Promise<void> = Promise.resolve();
  /** Stats the analysed files every {@link SWEEP_INTERVAL_MS} once an analysis has run. */
  private sweepTimer: ReturnType<typeof setInterval> | undefined;
  private sweeping = false;

  constructor(
    private readonly scanner: WorkspaceScanner,
    private readonly problems: WorkspaceProblems,
    private readonly tree: FindingsTree,
    settings: AnalysisSettings,
    private readonly log: Log,
  ) {
    this.subscription = settings.onDidChange(() => {
      const last = this.last;
      if (!last) {
        return;
      }
      // A save burst (or typing in settings.json) re-runs once.
      clearTimeout(this.rerun);
      this.rerun = setTimeout(() => {
        // A run in progress is not cut short; this one follows once it is done. A run since then
        // (or a deleted scope) has replaced `last`, so a stale re-run is dropped.
        void (this.current ?? Promise.resolve()).then(() =>
          this.last === last ? this.run(last.scope) : undefined,
        );
      }, RERUN_DELAY_MS);
    });
  }

  /** Analyses `scope` (a folder) or the whole workspace; resolves with what the scan did. */
  run(scope?: vscode.Uri): Promise<ScanSummary> {
    // This run reads the current settings, so a re-run they scheduled is not needed.
    clearTimeout(this.rerun);
    const run = this.start(scope);
    this.current = run;
    const settled = (): void => {
      if (this.current === run) {
        this.current = undefined;
      }
    };
    run.then(settled, settled);
    return run;
  }

  private async start(scope: vscode.Uri | undefined): Promise<ScanSummary> {
    this.watcher ??= this.watch();
    this.sweepTimer ??= setInterval(() => void this.sweep(), SWEEP_INTERVAL_MS);
    this.running?.cancel();
    const source = new vscode.CancellationTokenSource();
    this.running = source;
    this.last = { scope };
    void vscode.commands.executeCommand('setContext', SCANNING_CONTEXT, true);
    try {
      const summary = await vscode.window.withProgress(
        {
          location: vscode.ProgressLocation.Notification,
          title: 'NormLens: analysing workspace',
          cancellable: true,
        },
        (progress, token) => {
          token.onCancellationRequested(() => source.cancel());
          return this.scan(scope, source.token, progress);
        },
      );
      this.log.info(`workspace analysis: ${JSON.stringify(summary)}`);
      void this.announce(summary);
      return summary;
    } finally {
      if (this.running === source) {
        this.running = undefined;
        void vscode.commands.executeCommand('setContext', SCANNING_CONTEXT, false);
      }
      source.dispose();
    }
  }

  /** Cancels the running analysis; false when none runs. */
  cancel(): boolean {
    if (!this.running) {
      return false;
    }
    this.running.cancel();
    return true;
  }

  dispose(): void {
    clearTimeout(this.rerun);
    clearTimeout(this.refreshTimer);
    clearInterval(this.sweepTimer);
    this.watcher?.dispose();
    this.subscription.dispose();
    this.running?.cancel();
  }

  /** Watches the files an analysis lists: changes are re-analysed, deletions dropped. */
  private watch(): vscode.Disposable {
    const watcher = vscode.workspace.createFileSystemWatcher(INCLUDE);
    return vscode.Disposable.from(
      watcher,
      watcher.onDidChange((uri) => void this.noteChange(uri)),
      watcher.onDidCreate((uri) => void this.noteChange(uri)),
      // A deleted folder is reported once, for the folder: everything under it goes.
      watcher.onDidDelete((uri) => this.forget(uri)),
    );
  }

  /** Queues `uri`, changed on disk, for re-analysis if the last analysis would list it. */
  private noteChange(uri: vscode.Uri): boolean {
    // Events come for every matching file the workbench watches (thousands for a generated
    // tree); one the last analysis would not list costs nothing more than this check.
    if (!this.scanner.wouldList(uri)) {
      return false;
    }
    this.changed.set(uri.toString(), uri);
    this.scheduleRefresh();
    return true;
  }

  /**
   * Finds analysed files changed or deleted on disk by their stamps, and treats them as the
   * watcher's events would. Skipped while an analysis runs: it reads the files anyway.
   */
  private async sweep(): Promise<void> {
    if (this.sweeping || this.current) {
      return;
    }
    this.sweeping = true;
    try {
      const found = await this.scanner.changedOnDisk(SWEEP_MAX_FILES, (key) =>
        vscode.Uri.parse(key),
      );
      if (!found || this.current) {
        return;
      }
      for (const key of found.deleted) {
        this.forget(vscode.Uri.parse(key));
      }
      const missed = found.changed.filter(
        (key) => !this.changed.has(key) && this.noteChange(vscode.Uri.parse(key)),
      );
      if (missed.length + found.deleted.length > 0) {
        this.log.info(
          `file check: ${missed.length} changed and ${found.deleted.length} deleted files the watcher did not report`,
        );
      }
    } catch (error) {
      this.log.error('file check failed', error);
    } finally {
      this.sweeping = false;
    }
  }

  /**
   * Re-analyses the changed files once events pause for {@link REFRESH_DELAY_MS}, or at the latest
   * {@link REFRESH_MAX_DELAY_MS} after the first one, so a burst of events costs one refresh.
   */
  private scheduleRefresh(): void {
    const now = Date.now();
    this.pendingSince ??= now;
    const delay = Math.min(REFRESH_DELAY_MS, this.pendingSince + REFRESH_MAX_DELAY_MS - now);
    clearTimeout(this.refreshTimer);
    this.refreshTimer = setTimeout(
      () => {
        this.pendingSince = undefined;
        // After a running analysis, which may have read the file before it changed.
        const previous = Promise.all([this.current, this.refreshing]);
        this.refreshing = previous.then(
          () => this.refresh(),
          () => this.refresh(),
        );
        this.refreshing.catch((error: unknown) => this.log.error('re-analysis failed', error));
      },
      Math.max(0, delay),
    );
  }

  /** Drops the results of `uri` and of everything under it (deleted from disk). */
  private forget(uri: vscode.Uri): void {
    const key = uri.toString();
    const prefix = key.replace(/\/?$/, '/');
    for (const pending of [...this.changed.keys()]) {
      if (pending === key || pending.startsWith(prefix)) {
        this.changed.delete(pending);
      }
    }
    const scope = this.last?.scope?.toString();
    if (scope !== undefined && (scope === key || scope.startsWith(prefix))) {
      // Its folder is gone: a settings change has nothing left to re-run.
      this.last = undefined;
    }
    this.scanner.forget(uri);
    this.problems.clear(uri);
    this.tree.forget(uri);
  }

  /** Re-analyses the files changed on disk since the last refresh. */
  private async refresh(): Promise<void> {
    const uris = [...this.changed.values()];
    this.changed.clear();
    if (uris.length === 0) {
      return;
    }
    const source = new vscode.CancellationTokenSource();
    const results: (readonly [vscode.Uri, FileReport])[] = [];
    try {
      await this.scanner.refresh(uris, source.token, {
        analysed: (file, report) => {
          results.push([file.uri, report]);
          this.problems.set(file.uri, report);
        },
      });
      this.tree.setWorkspaceReports(results, undefined, false);
      this.log.info(`re-analysed ${results.length} of ${uris.length} files changed on disk`);
    } finally {
      source.dispose();
    }
  }

  private async scan(
    scope: vscode.Uri | undefined,
    token: vscode.CancellationToken,
    progress: vscode.Progress<{ message?: string; increment?: number }>,
  ): Promise<ScanSummary> {
    if (scope && !(await exists(scope))) {
      // Deleted since it was picked (or since the last run, which settings changes repeat):
      // nothing to list, and the entries it left in Problems and the view are stale.
      this.forget(scope);
      this.log.info(`workspace analysis: ${scope.toString()} no longer exists`);
      return GONE;
    }
    const results: (readonly [vscode.Uri, FileReport])[] = [];
    let total = 0;
    let reported = 0;
    let lastReport = 0;
    const summary = await this.scanner.scan(scope, token, {
      listed: (files) => {
        total = files.length;
        progress.report({ message: `${total} files to check` });
      },
      analysed: (file, report, done) => {
        results.push([file.uri, report]);
        this.problems.set(file.uri, report);
        const now = Date.now();
        if (now - lastReport >= PROGRESS_INTERVAL_MS || done === total) {
          const increment = total > 0 ? ((done - reported) * 100) / total : 0;
          progress.report({
            message: `${done} of ${total} · ${vscode.workspace.asRelativePath(file.uri)}`,
            increment,
          });
          reported = done;
          lastReport = now;
        }
      },
    });
    // A complete run replaces what the view showed under its scope; a cancelled one adds to it.
    this.tree.setWorkspaceReports(results, scope, !summary.cancelled);
    return summary;
  }

  private async announce(summary: ScanSummary): Promise<void> {
    const notes = [
      summary.cancelled
        ? `cancelled after ${summary.analysed + summary.cached} of ${summary.files} files`
        : '',
      summary.truncated ? 'only the first files were checked (normLens.workspace.maxFiles)' : '',
      summary.skipped > 0 ? `${summary.skipped} skipped by size limits (see Problems)` : '',
      summary.failed > 0 ? `${summary.failed} could not be read` : '',
    ].filter((note) => note !== '');
    const message =
      `NormLens: ${count(summary.findings, 'finding')} in ${count(summary.files, 'file')} ` +
      `(${summary.analysed} analysed, ${summary.cached} unchanged) in ${(summary.elapsedMs / 1000).toFixed(1)} s` +
      (notes.length > 0 ? `; ${notes.join('; ')}.` : '.');
    const show = 'Show Findings';
    const choice = await (summary.cancelled || summary.truncated
      ? vscode.window.showWarningMessage(message, show)
      : vscode.window.showInformationMessage(message, show));
    if (choice === show) {
      await vscode.commands.executeCommand('normLens.findings.focus');
    }
  }
}

/** What a scan of a folder that no longer exists did. */
const GONE: ScanSummary = {
  files: 0,
  analysed: 0,
  cached: 0,
  skipped: 0,
  failed: 0,
  sites: 0,
  findings: 0,
  truncated: false,
  cancelled: false,
  elapsedMs: 0,
};

/** Whether `uri` exists (through `workspace.fs`, so every host and scheme answers). */
async function exists(uri: vscode.Uri): Promise<boolean> {
  try {
    await vscode.workspace.fs.stat(uri);
    return true;
  } catch {
    return false;
  }
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

/**
 * Keeps one analysis report per open source document. Edits are debounced; a report for an older
 * version is never published. A Python document keeps an incremental session: the edits VS Code
 * reports are replayed on its syntax tree, so typing reparses only what changed.
 */
import * as vscode from 'vscode';
import {
  emptyReport,
  type FileReport,
  type PythonFileOptions,
  type PythonSession,
  type SourceAnalyzer,
  type TextChange,
} from '../core/index';
import { withTorchVersion, type AnalysisSettings } from './analysis-settings';
import { debounceMs } from './config';
import { documentKind } from './languages';
import type { Log } from './log';
import { modelJsonShards, type ModelFileAccess } from './model-files';
import { sizeLimitNote } from './size-limits';

interface Entry {
  readonly version: number;
  readonly report: Promise<FileReport>;
}

/** A Python document's incremental session and the document version it has analysed. */
interface Session {
  readonly session: PythonSession;
  version: number;
}

/** The changes of one `onDidChangeTextDocument` event, with the version they lead to. */
interface RecordedChanges {
  readonly version: number;
  readonly changes: readonly TextChange[];
}

/** More recorded events than this (a huge undo burst) are dropped; the next update reparses. */
const MAX_RECORDED_EVENTS = 500;

/** Reports for open documents, keyed by URI. */
export class DocumentReports implements vscode.Disposable {
  private readonly entries = new Map<string, Entry>();
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();
  private readonly sessions = new Map<string, Session>();
  private readonly recorded = new Map<string, RecordedChanges[]>();
  /** Per document, the tail of its session work: updates run one at a time, in order. */
  private readonly queues = new Map<string, Promise<unknown>>();
  private readonly subscription: vscode.Disposable;
  private readonly changed = new vscode.EventEmitter<{
    document: vscode.TextDocument;
    report: FileReport;
  }>();

  /** Fires when a document's report for its current version is ready. */
  readonly onDidChange = this.changed.event;

  constructor(
    private readonly analyzer: SourceAnalyzer,
    private readonly settings: AnalysisSettings,
    private readonly log: Log,
    private readonly host: ModelFileAccess & {
      readonly pythonModule?: (uri: vscode.Uri) => Promise<PythonFileOptions>;
    },
  ) {
    this.subscription = vscode.workspace.onDidChangeTextDocument((event) => this.record(event));
  }

  /** Whether NormLens analyses this document at all. */
  static handlesDocument(document: vscode.TextDocument): boolean {
    return documentKind(document) !== undefined;
  }

  /** The report for the document's current version, analysing now if needed. */
  get(document: vscode.TextDocument): Promise<FileReport> {
    const key = document.uri.toString();
    const entry = this.entries.get(key);
    if (entry?.version === document.version) {
      return entry.report;
    }
    return this.analyze(document);
  }

  /** Schedules re-analysis after the debounce delay; the newest edit wins. */
  schedule(document: vscode.TextDocument): void {
    const key = document.uri.toString();
    clearTimeout(this.timers.get(key));
    this.timers.set(
      key,
      setTimeout(() => {
        this.timers.delete(key);
        void this.analyze(document);
      }, debounceMs()),
    );
  }

  /** Forgets a closed document and frees its session once pending work is done. */
  forget(document: vscode.TextDocument): void {
    const key = document.uri.toString();
    clearTimeout(this.timers.get(key));
    this.timers.delete(key);
    this.entries.delete(key);
    this.recorded.delete(key);
    this.closeSession(key);
  }

  dispose(): void {
    for (const timer of this.timers.values()) {
      clearTimeout(timer);
    }
    for (const key of [...this.sessions.keys()]) {
      this.closeSession(key);
    }
    this.subscription.dispose();
    this.changed.dispose();
  }

  private analyze(document: vscode.TextDocument): Promise<FileReport> {
    const key = document.uri.toString();
    const version = document.version;
    // A run superseded by a newer version resolves with that version's report.
    const report = this.run(document).then(
      (result) => result ?? this.entries.get(key)?.report ?? emptyReport('python'),
    );
    this.entries.set(key, { version, report });
    void report.then((result) => {
      // Publish only if no newer version started meanwhile and the document is still open.
      if (this.entries.get(key)?.version === version && !document.isClosed) {
        this.changed.fire({ document, report: result });
      }
    });
    return report;
  }

  private async run(document: vscode.TextDocument): Promise<FileReport | undefined> {
    // Wait for the project files before reading the text, so text and version stay in step.
    await this.settings.ready;
    const kind = documentKind(document);
    const language = kind?.type === 'source' ? kind.kind.language : 'tfjs-model';
    const text = document.getText();
    if (!kind) {
      return emptyReport(language);
    }
    const settings = this.settings.forUri(document.uri);
    const limit = sizeLimitNote(language, text.length, settings);
    if (limit) {
      this.closeSession(document.uri.toString());
      return emptyReport(language, [{ message: limit, kind: 'limit' }]);
    }
    const started = Date.now();
    try {
      const { rules } = settings;
      let report: FileReport;
      if (kind.type === 'model-json') {
        report = await this.analyzer.analyzeModelJson(
          text,
          modelJsonShards(this.host, document.uri, text, settings.maxModelSizeMB),
          { rules },
        );
      } else if (kind.kind.language === 'python') {
        const updated = await this.updatePython(document, text);
        if (!updated) {
          return undefined;
        }
        report = updated;
      } else {
        report = await this.analyzer.analyzeSource(text, kind.kind, {
          rules,
          maxFileSizeKB: settings.maxFileSizeKB.value,
        });
      }
      this.log.trace(
        `analysed ${document.uri.toString()} v${document.version} in ${Date.now() - started} ms`,
      );
      return report;
    } catch (error) {
      this.log.error(`analysis of ${document.uri.toString()} failed`, error);
      return emptyReport(language, [
        { message: `NormLens could not analyse this file: ${String(error)}`, kind: 'internal' },
      ]);
    }
  }

  /**
   * Brings the document's session to `text` (the document's current version), after the session
   * work queued before it. Undefined when a newer version was requested meanwhile: that run
   * analyses the newer text, so this one is skipped.
   */
  private updatePython(
    document: vscode.TextDocument,
    text: string,
  ): Promise<FileReport | undefined> {
    const key = document.uri.toString();
    const version = document.version;
    const work = (this.queues.get(key) ?? Promise.resolve()).then(async () => {
      if (this.entries.get(key)?.version !== version) {
        return undefined;
      }
      const settings = this.settings.forUri(document.uri);
      const { rules } = settings;
      const open = this.sessions.get(key);
      if (open) {
        const changes = this.changesSince(key, open.version, version);
        open.version = version;
        return open.session.update(text, changes, rules);
      }
      const module = this.host.pythonModule ? await this.host.pythonModule(document.uri) : {};
      const python = withTorchVersion(module, settings);
      const session = await this.analyzer.openPython(text, {
        rules,
        python,
        maxFileSizeKB: settings.maxFileSizeKB.value,
      });
      if (this.entries.get(key)?.version !== version) {
        // Closed or edited while the parser loaded: the next run opens a fresh session.
        session.dispose();
        return undefined;
      }
      this.sessions.set(key, { session, version });
      this.changesSince(key, version, version);
      return session.report;
    });
    this.queues.set(
      key,
      work.catch(() => undefined),
    );
    return work;
  }

  /**
   * The changes that lead from version `from` to version `to`, in the order VS Code applied them,
   * or undefined (a fresh parse) when an event is missing. Drops the changes up to `to`.
   */
  private changesSince(key: string, from: number, to: number): TextChange[] | undefined {
    const events = this.recorded.get(key) ?? [];
    const wanted = events.filter((event) => event.version > from && event.version <= to);
    this.recorded.set(
      key,
      events.filter((event) => event.version > to),
    );
    // Each content change event raises the version by one, so a gap means a lost event.
    const contiguous =
      wanted.length === to - from &&
      wanted.every((event, index) => event.version === from + index + 1);
    return contiguous ? wanted.flatMap((event) => event.changes) : undefined;
  }

  /** Remembers the edits of an analysed Python document until its session consumes them. */
  private record(event: vscode.TextDocumentChangeEvent): void {
    const key = event.document.uri.toString();
    if (!this.entries.has(key) || event.contentChanges.length === 0) {
      return;
    }
    const kind = documentKind(event.document);
    if (kind?.type !== 'source' || kind.kind.language !== 'python') {
      return;
    }
    const events = this.recorded.get(key) ?? [];
    events.push({
      version: event.document.version,
      changes: event.contentChanges.map(toTextChange),
    });
    this.recorded.set(key, events.length > MAX_RECORDED_EVENTS ? [] : events);
  }

  /** Frees a document's session after the work queued for it. */
  private closeSession(key: string): void {
    const open = this.sessions.get(key);
    if (!open) {
      return;
    }
    this.sessions.delete(key);
    const done = (this.queues.get(key) ?? Promise.resolve()).then(() => open.session.dispose());
    this.queues.set(key, done);
    void done.then(() => {
      if (this.queues.get(key) === done) {
        this.queues.delete(key);
      }
    });
  }
}

/** A VS Code content change in tree-sitter's terms (UTF-16 offsets, rows and columns). */
export function toTextChange(change: vscode.TextDocumentContentChangeEvent): TextChange {
  const { start, end } = change.range;
  const lines = change.text.split('\n');
  const last = lines[lines.length - 1] ?? '';
  return {
    startIndex: change.rangeOffset,
    oldEndIndex: change.rangeOffset + change.rangeLength,
    newEndIndex: change.rangeOffset + change.text.length,
    startPosition: { row: start.line, column: start.character },
    oldEndPosition: { row: end.line, column: end.character },
    newEndPosition:
      lines.length === 1
        ? { row: start.line, column: start.character + last.length }
        : { row: start.line + lines.length - 1, column: last.length },
  };
}

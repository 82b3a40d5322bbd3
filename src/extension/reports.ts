/**
 * Keeps one analysis report per open source document. Edits are debounced; a report for an older
 * version is never published, and callers waiting on a version get the report of that version.
 */
import * as vscode from 'vscode';
import {
  BufferByteSource,
  emptyReport,
  type ByteSource,
  type FileReport,
  type PythonFileOptions,
  type SourceAnalyzer,
} from '../core/index';
import { debounceMs, maxFileSizeKB, ruleConfig } from './config';
import { documentKind } from './languages';
import type { Log } from './log';

interface Entry {
  readonly version: number;
  readonly report: Promise<FileReport>;
}

/** Reports for open documents, keyed by URI. */
export class DocumentReports implements vscode.Disposable {
  private readonly entries = new Map<string, Entry>();
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();
  private readonly changed = new vscode.EventEmitter<{
    document: vscode.TextDocument;
    report: FileReport;
  }>();

  /** Fires when a document's report for its current version is ready. */
  readonly onDidChange = this.changed.event;

  constructor(
    private readonly analyzer: SourceAnalyzer,
    private readonly log: Log,
    private readonly pythonModule?: (uri: vscode.Uri) => Promise<PythonFileOptions>,
  ) {}

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

  /** Forgets a closed document. */
  forget(document: vscode.TextDocument): void {
    const key = document.uri.toString();
    clearTimeout(this.timers.get(key));
    this.timers.delete(key);
    this.entries.delete(key);
  }

  dispose(): void {
    for (const timer of this.timers.values()) {
      clearTimeout(timer);
    }
    this.changed.dispose();
  }

  private analyze(document: vscode.TextDocument): Promise<FileReport> {
    const key = document.uri.toString();
    const version = document.version;
    const report = this.run(document);
    this.entries.set(key, { version, report });
    void report.then((result) => {
      // Publish only if no newer version started meanwhile and the document is still open.
      if (this.entries.get(key)?.version === version && !document.isClosed) {
        this.changed.fire({ document, report: result });
      }
    });
    return report;
  }

  private async run(document: vscode.TextDocument): Promise<FileReport> {
    const kind = documentKind(document);
    const language = kind?.type === 'source' ? kind.kind.language : 'tfjs-model';
    const text = document.getText();
    const limitKB = maxFileSizeKB();
    if (!kind) {
      return emptyReport(language);
    }
    if (text.length > limitKB * 1024) {
      const sizeKB = Math.round(text.length / 1024);
      const message = `NormLens skipped this file: ${sizeKB} KB is above normLens.maxFileSizeKB (${limitKB} KB).`;
      return emptyReport(language, [{ message, kind: 'limit' }]);
    }
    const started = Date.now();
    try {
      const rules = ruleConfig();
      let report: FileReport;
      if (kind.type === 'model-json') {
        report = await this.analyzer.analyzeModelJson(
          text,
          (path) => readSibling(document.uri, path),
          { rules },
        );
      } else {
        const python =
          kind.kind.language === 'python' && this.pythonModule
            ? await this.pythonModule(document.uri)
            : {};
        report = await this.analyzer.analyzeSource(text, kind.kind, { rules, python });
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
}

/**
 * Reads a weight shard named in a model.json, from the model's own folder. The tfjs reader has
 * already refused absolute paths, URLs and `..`; the URI join keeps the result under that folder.
 */
async function readSibling(modelUri: vscode.Uri, path: string): Promise<ByteSource> {
  const folder = vscode.Uri.joinPath(modelUri, '..');
  return new BufferByteSource(
    await vscode.workspace.fs.readFile(vscode.Uri.joinPath(folder, path)),
  );
}

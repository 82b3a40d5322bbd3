/**
 * Workspace analysis off the extension host's thread. The Node host runs it in worker threads
 * (the CLI's engine), so hovers and typing stay fast while a large workspace is scanned; the web
 * host has none and analyses in its own thread, a file per turn of the event loop.
 */
import type * as vscode from 'vscode';
import type { FileReport, InputLanguage } from '../../core/index';
import type { FileSettings } from '../analysis-settings';

/** Analyses workspace files elsewhere. */
export interface OffThreadAnalysis {
  /** Files analysed at once; the scan keeps this many in flight. */
  readonly concurrency: number;
  /**
   * The report of `uri`, or undefined when this file is not analysed off the thread (then the
   * scan analyses it itself). The promise resolves with undefined when `isCancelled` said so
   * before the file was started, and rejects when it could not be read.
   */
  analyze(
    uri: vscode.Uri,
    language: InputLanguage,
    settings: FileSettings,
    isCancelled: () => boolean,
  ): Promise<FileReport | undefined> | undefined;
}

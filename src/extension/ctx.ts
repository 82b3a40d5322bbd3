/**
 * What the extension's features share: the log, the analyzer's reports, the findings tree, the
 * workspace analysis, the host's file access and the extension's folder. Owned by `activate`; disposed with the extension.
 */
import type * as vscode from 'vscode';
import type { FindingsTree } from './findings-tree';
import type { Log } from './log';
import type { ModelFileAccess } from './model-files';
import type { DocumentReports } from './reports';
import type { WorkspaceAnalysis } from './workspace-scan/workspace-analysis';

/** Shared services of the running extension. */
export interface Ctx {
  readonly extensionUri: vscode.Uri;
  readonly log: Log;
  readonly reports: DocumentReports;
  readonly tree: FindingsTree;
  readonly workspace: WorkspaceAnalysis;
  /** How model files beside a model are read (the host's). */
  readonly platform: ModelFileAccess;
}

/**
 * Analyses one workspace file that is not (necessarily) open, through `workspace.fs` and the same
 * core analyzer as the editor and the CLI: sources and model.json from their text, ONNX models
 * through the host's lazy model reader.
 */
import type * as vscode from 'vscode';
import {
  sourceKindOf,
  type AbortSignalLike,
  type FileReport,
  type InputLanguage,
  type PythonFileOptions,
  type SourceAnalyzer,
} from '../../core/index';
import { withTorchVersion, type FileSettings } from '../analysis-settings';
import type { OpenedModel } from '../model-inventory/open-model';
import { modelJsonShards, type ModelFileAccess } from '../model-files';

/** What analysing a file needs from the host. */
export interface FileAnalysisHost extends ModelFileAccess {
  readonly analyzer: SourceAnalyzer;
  readonly openModel: (uri: vscode.Uri) => Promise<OpenedModel>;
  readonly pythonModule?: (uri: vscode.Uri) => Promise<PythonFileOptions>;
}

/** Settings of one analysis, and the signal that cancels reading a model. */
export interface FileAnalysisOptions extends FileSettings {
  readonly signal?: AbortSignalLike;
}

const decoder = new TextDecoder('utf-8');

/**
 * The report for `uri`, whose kind is `language`. `bytes` are the file's content for text inputs
 * (the caller has read them to hash them); a model is opened lazily instead.
 */
export async function analyzeWorkspaceFile(
  host: FileAnalysisHost,
  uri: vscode.Uri,
  language: InputLanguage,
  bytes: Uint8Array | undefined,
  options: FileAnalysisOptions,
): Promise<FileReport> {
  const { rules } = options;
  const maxFileSizeKB = options.maxFileSizeKB.value;
  if (language === 'onnx') {
    const opened = await host.openModel(uri);
    try {
      return await host.analyzer.analyzeOnnx(opened.source, {
        rules,
        ...(opened.resolveExternal ? { resolveExternal: opened.resolveExternal } : {}),
        ...(options.signal ? { signal: options.signal } : {}),
      });
    } finally {
      await opened.close();
    }
  }
  const text = decoder.decode(bytes);
  if (language === 'tfjs-model') {
    return host.analyzer.analyzeModelJson(
      text,
      modelJsonShards(host, uri, text, options.maxModelSizeMB),
      { rules },
    );
  }
  const kind = sourceKindOf(uri.path) ?? { language: 'python', grammar: 'python' };
  if (kind.language !== 'python') {
    return host.analyzer.analyzeSource(text, kind, { rules, maxFileSizeKB });
  }
  const module = host.pythonModule ? await host.pythonModule(uri) : {};
  return host.analyzer.analyzeSource(text, kind, {
    rules,
    maxFileSizeKB,
    python: withTorchVersion(module, options),
  });
}

/**
 * Analyses one file on disk by its type: sources as text, a tfjs model.json with its weight shards,
 * an ONNX model through a file handle (never read whole) with its external data.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import {
  BufferByteSource,
  inputLanguageOf,
  sourceKindOf,
  type AnalyzeOptions,
  type ByteSource,
  type FileReport,
  type SourceAnalyzer,
} from '../core/index';
import { externalDataFiles, FileByteSource, resolveInside } from './file-byte-source';
import { pythonModuleOf, type PackageFolderCache } from './python-module';

/** True for the files NormLens analyses (by name). */
export function isAnalysable(file: string): boolean {
  return inputLanguageOf(file) !== undefined;
}

/**
 * The report for `file`. `root` bounds the package lookup of Python files. I/O errors (a missing
 * file, a permission) are thrown; malformed content is reported inside the report.
 */
export async function analyzeFile(
  analyzer: SourceAnalyzer,
  file: string,
  root: string,
  options: AnalyzeOptions = {},
): Promise<FileReport> {
  if (inputLanguageOf(file) === 'onnx') {
    return analyzeOnnxFile(analyzer, file, await FileByteSource.open(file), options);
  }
  return analyzeText(analyzer, file, await readFile(file, 'utf8'), root, options);
}

/**
 * The report for `file` (a source or a tfjs model.json) whose content the caller has read as
 * `text`. `packages` shares the Python package lookups of a run over many files.
 */
export async function analyzeText(
  analyzer: SourceAnalyzer,
  file: string,
  text: string,
  root: string,
  options: AnalyzeOptions,
  packages?: PackageFolderCache,
): Promise<FileReport> {
  if (inputLanguageOf(file) === 'tfjs-model') {
    return analyzer.analyzeModelJson(text, (shard) => readShard(file, shard), options);
  }
  const kind = sourceKindOf(file) ?? { language: 'python', grammar: 'python' };
  // The module name joins the host's Python options (the torch pin) rather than replacing them.
  const python =
    kind.language === 'python'
      ? { ...options.python, ...(await pythonModuleOf(file, root, packages)) }
      : options.python;
  return analyzer.analyzeSource(text, kind, { ...options, ...(python ? { python } : {}) });
}

/** The report for the ONNX model `file`, opened by the caller as `source`, which is closed here. */
export async function analyzeOnnxFile(
  analyzer: SourceAnalyzer,
  file: string,
  source: FileByteSource,
  options: AnalyzeOptions,
): Promise<FileReport> {
  const external = externalDataFiles(file);
  try {
    return await analyzer.analyzeOnnx(source, { ...options, resolveExternal: external.resolve });
  } finally {
    await Promise.all([source.close(), external.close()]);
  }
}

/** A weight shard named by a model.json, read only from inside the model's folder. */
async function readShard(modelFile: string, shard: string): Promise<ByteSource> {
  const real = await resolveInside(path.dirname(modelFile), shard);
  return new BufferByteSource(new Uint8Array(await readFile(real)));
}

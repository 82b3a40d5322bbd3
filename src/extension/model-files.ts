/**
 * Files a model names besides itself (tfjs weight shards, ONNX external data), read from the
 * model's folder only and never bigger than the model can use. The Node host checks real paths,
 * so a symlink cannot lead out of the folder; `workspace.fs` cannot tell a symlink, so elsewhere
 * the path's text is checked. Every such file is stat'ed before it is read whole.
 */
import * as vscode from 'vscode';
import { BufferByteSource, OnnxFormatError, type ShardLoader } from '../core/index';
import type { SizeLimit } from './analysis-settings';
import { shardBudgets } from './model-inventory/shard-budget';

/** Stat and read, as workspace analysis and model files need them. */
export interface WorkspaceFiles {
  stat(uri: vscode.Uri): Promise<{ readonly size: number; readonly mtime: number }>;
  readFile(uri: vscode.Uri): Promise<Uint8Array>;
}

/** {@link WorkspaceFiles} over `workspace.fs` (every host, every scheme). */
export const WORKSPACE_FS_FILES: WorkspaceFiles = {
  stat: async (uri) => vscode.workspace.fs.stat(uri),
  readFile: async (uri) => vscode.workspace.fs.readFile(uri),
};

/**
 * The real file `location` names inside `folder`; rejects when it leaves the folder, through a
 * symlink too. Undefined when the host cannot follow links for this URI (then the path's text is
 * checked instead).
 */
export type ResolveInside = (
  folder: vscode.Uri,
  location: string,
) => Promise<vscode.Uri | undefined>;

/** How a host finds and reads the files a model names. */
export interface ModelFileAccess {
  readonly files: WorkspaceFiles;
  readonly resolveInside?: ResolveInside;
}

/** The most a file read whole may hold, and how the refusal names that bound. */
export interface ReadLimit {
  readonly bytes: number;
  /** Completes "more than …", e.g. `the 128 bytes its weights need`. */
  readonly describe: string;
}

/** What a model calls the file, for messages. */
export type ModelPart = 'external data' | 'weight shard';

const MB = 1024 * 1024;

/** A limit in MB from the settings (`normLens.workspace.maxModelSizeMB` or the project file). */
export function limitOf(setting: SizeLimit): ReadLimit {
  return { bytes: setting.value * MB, describe: `${setting.origin} (${setting.value} MB)` };
}

/**
 * The bytes of `location`, named by the model at `modelUri`, read from the model's folder.
 * Rejects (an {@link OnnxFormatError} for external data) when the location leaves the folder or
 * the file is bigger than one of `limits`.
 */
export async function readBesideModel(
  access: ModelFileAccess,
  modelUri: vscode.Uri,
  location: string,
  part: ModelPart,
  limits: readonly ReadLimit[],
): Promise<Uint8Array> {
  const folder = vscode.Uri.joinPath(modelUri, '..');
  const unsafe = unsafeLocation(location);
  if (unsafe !== undefined) {
    throw refusal(part, location, unsafe);
  }
  const uri =
    (await resolveReal(access, folder, location, part)) ??
    vscode.Uri.joinPath(folder, ...location.split(/[\\/]+/));
  const tooBig = (size: number): ReadLimit | undefined =>
    limits.find((limit) => size > limit.bytes);
  const { size } = await access.files.stat(uri);
  const over = tooBig(size);
  if (over) {
    throw refusal(part, location, `it is ${formatBytes(size)}, more than ${over.describe}`);
  }
  const bytes = await access.files.readFile(uri);
  // The file may have grown since the stat; what was read is checked too.
  const grown = tooBig(bytes.byteLength);
  if (grown) {
    throw refusal(part, location, `it grew past ${grown.describe} while it was read`);
  }
  return bytes;
}

/**
 * The shard loader of the model.json at `modelUri` holding `text`: a shard is read only when it
 * is no bigger than its weight group and `limit`.
 */
export function modelJsonShards(
  access: ModelFileAccess,
  modelUri: vscode.Uri,
  text: string,
  limit: SizeLimit,
): ShardLoader {
  let budgets: Map<string, number> | undefined;
  return async (path) => {
    budgets ??= shardBudgets(text);
    const budget = budgets.get(path);
    const limits: ReadLimit[] = [limitOf(limit)];
    if (budget !== undefined) {
      limits.unshift({ bytes: budget, describe: `the ${formatBytes(budget)} its weights need` });
    }
    return new BufferByteSource(
      await readBesideModel(access, modelUri, path, 'weight shard', limits),
    );
  };
}

/** The host's real-path check, its refusal worded for `part`. */
async function resolveReal(
  access: ModelFileAccess,
  folder: vscode.Uri,
  location: string,
  part: ModelPart,
): Promise<vscode.Uri | undefined> {
  try {
    return await access.resolveInside?.(folder, location);
  } catch (error) {
    // The Node resolver words its refusals for external data; a shard gets its own name.
    const prefix = `Refused external data '${location}': `;
    if (error instanceof OnnxFormatError && error.reason.startsWith(prefix)) {
      throw refusal(part, location, error.reason.slice(prefix.length));
    }
    throw error;
  }
}

/** Why a location's text alone is refused: empty, NUL, absolute, a drive, a scheme or `..`. */
function unsafeLocation(location: string): string | undefined {
  if (location === '' || location.includes('\0')) {
    return 'empty or invalid path';
  }
  if (/^([a-z][a-z0-9+.-]*:|[\\/])/i.test(location)) {
    return 'absolute paths are not allowed';
  }
  return location.split(/[\\/]+/).includes('..') ? 'it leaves the model folder' : undefined;
}

function refusal(part: ModelPart, location: string, why: string): Error {
  const message = `Refused ${part} '${location}': ${why}`;
  // External data is located by a tensor, not by a byte of the model, so the offset is 0.
  return part === 'external data' ? new OnnxFormatError(message, 0) : new Error(message);
}

/** Bytes for a message: exact when small, else in KB or MB. */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) {
    return `${bytes} bytes`;
  }
  return bytes < MB ? `${(bytes / 1024).toFixed(1)} KB` : `${(bytes / MB).toFixed(1)} MB`;
}

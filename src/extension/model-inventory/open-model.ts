/**
 * How a host opens a model file for lazy reading. The Node host reads ranges through a file
 * handle; the web host (and non-file schemes) read the whole file through `workspace.fs`.
 */
import * as vscode from 'vscode';
import { BufferByteSource, type ByteSource, type ExternalResolver } from '../../core/index';
import { readBesideModel, WORKSPACE_FS_FILES, type ReadLimit } from '../model-files';

/** A model opened for reading; `close` releases its files. */
export interface OpenedModel {
  readonly source: ByteSource;
  /** Opens external-data files beside the model; absent when the host cannot. */
  readonly resolveExternal?: ExternalResolver;
  close(): Promise<void>;
}

/**
 * Opens `uri` through `workspace.fs`. The web extension host has no Node file handles, so the
 * whole file is read into memory; external data is read the same way from the model's folder,
 * refusing absolute paths, `..` and NUL (symlinks cannot be checked through this API) and any
 * file over `limit`, which the model itself must be within too (its reads fail with the reason).
 */
export async function openThroughWorkspaceFs(
  uri: vscode.Uri,
  limit: ReadLimit,
): Promise<OpenedModel> {
  const { size } = await vscode.workspace.fs.stat(uri);
  if (size > limit.bytes) {
    const reason = `NormLens did not read this model: it is ${Math.round(size / (1024 * 1024))} MB, more than ${limit.describe}`;
    return {
      source: { size, read: () => Promise.reject(new Error(reason)) },
      close: () => Promise.resolve(),
    };
  }
  const source = new BufferByteSource(await vscode.workspace.fs.readFile(uri));
  return {
    source,
    resolveExternal: async (location) =>
      new BufferByteSource(
        await readBesideModel({ files: WORKSPACE_FS_FILES }, uri, location, 'external data', [
          limit,
        ]),
      ),
    close: () => Promise.resolve(),
  };
}

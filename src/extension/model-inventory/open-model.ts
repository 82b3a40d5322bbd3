/**
 * How a host opens a model file for lazy reading. The Node host reads ranges through a file
 * handle; the web host (and non-file schemes) read the whole file through `workspace.fs`.
 */
import * as vscode from 'vscode';
import { BufferByteSource, type ByteSource, type ExternalResolver } from '../../core/index';

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
 * refusing absolute paths and `..` (symlinks cannot be checked through this API).
 */
export async function openThroughWorkspaceFs(uri: vscode.Uri): Promise<OpenedModel> {
  const source = new BufferByteSource(await vscode.workspace.fs.readFile(uri));
  const folder = vscode.Uri.joinPath(uri, '..');
  return {
    source,
    resolveExternal: async (location) => {
      const parts = location.split(/[\\/]+/);
      if (location === '' || /^([a-z]:|[\\/])/i.test(location) || parts.includes('..')) {
        throw new Error(`Refused external data '${location}': it leaves the model folder`);
      }
      return new BufferByteSource(
        await vscode.workspace.fs.readFile(vscode.Uri.joinPath(folder, ...parts)),
      );
    },
    close: () => Promise.resolve(),
  };
}

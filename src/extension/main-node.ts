/**
 * Entry point for the Node extension host (desktop and remote).
 */
import { readFile, stat } from 'node:fs/promises';
import * as vscode from 'vscode';
import { externalDataFiles, FileByteSource, resolveInside } from '../node/file-byte-source';
import { pythonModuleOf } from '../node/python-module';
import { createNodeWasmLoader } from '../node/wasm-loader';
import { activateNormLens, WORKSPACE_FS_FILES, type NormLensApi } from './activate';
import { maxModelSizeMB } from './config';
import { limitOf } from './model-files';
import { openThroughWorkspaceFs, type OpenedModel } from './model-inventory/open-model';

export function activate(context: vscode.ExtensionContext): NormLensApi | undefined {
  return activateNormLens(context, {
    loadWasm: createNodeWasmLoader(context.asAbsolutePath('dist/wasm')),
    pythonModule: async (uri) => {
      const folder = vscode.workspace.getWorkspaceFolder(uri);
      // Only local files have folders to look at; package lookup stops at the workspace folder.
      return uri.scheme === 'file' && folder ? pythonModuleOf(uri.fsPath, folder.uri.fsPath) : {};
    },
    openModel: (uri) =>
      uri.scheme === 'file'
        ? openFile(uri.fsPath)
        : // Other schemes are read whole, so the workspace model limit bounds them.
          openThroughWorkspaceFs(
            uri,
            limitOf({ value: maxModelSizeMB(), origin: 'normLens.workspace.maxModelSizeMB' }),
          ),
    // Local files are checked by their real paths, as the CLI checks them.
    resolveInside: async (folder, location) =>
      folder.scheme === 'file'
        ? vscode.Uri.file(await resolveInside(folder.fsPath, location))
        : undefined,
    files: {
      stat: async (uri) => {
        if (uri.scheme !== 'file') {
          return WORKSPACE_FS_FILES.stat(uri);
        }
        const info = await stat(uri.fsPath);
        return { size: info.size, mtime: info.mtimeMs };
      },
      readFile: async (uri) =>
        uri.scheme === 'file' ? readFile(uri.fsPath) : WORKSPACE_FS_FILES.readFile(uri),
    },
  });
}

/** Reads a local model through a file handle, so a large model is never loaded whole. */
async function openFile(file: string): Promise<OpenedModel> {
  const source = await FileByteSource.open(file);
  const external = externalDataFiles(file);
  return {
    source,
    resolveExternal: external.resolve,
    close: async () => {
      await Promise.all([source.close(), external.close()]);
    },
  };
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}

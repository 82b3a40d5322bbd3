// Helpers for the extension-host tests in test/integration/suite (Mode A: the real `vscode` API
// inside code-server's extension host). They never sleep for a fixed time: everything that the
// workbench updates asynchronously is polled with a deadline.
//
//   EXTENSION_ID                                   'normlens.normlens'
//   waitFor(probe, { timeout?, interval?, message? })   poll until probe() returns a truthy value
//   fixtureUri(...segments)                        a Uri inside the (single) fixture workspace folder
//   openFixture(relativePath)                      open and show a fixture file -> TextEditor
//   activatedExtension(timeout?)                   wait until NormLens is active -> Extension
//   positionOf(document, needle, occurrence?)      Position of the first character of a text match
//   hoverText(uri, position)                       all hover markdown at a position, joined with newlines
//   waitForDiagnostics(uri, predicate?, timeout?)  poll until the diagnostics satisfy predicate
//   allTabs()                                      every tab in every editor group
//   waitForTab(predicate, timeout?)                poll until a tab satisfies predicate
//   closeAllEditors()                              close every editor (call in afterEach for isolation)
import * as vscode from 'vscode';

/** The NormLens extension id (publisher.name from package.json). */
export const EXTENSION_ID = 'normlens.normlens';

/** Options for {@link waitFor}. */
export interface WaitOptions {
  /** Deadline in milliseconds (default 10000). */
  timeout?: number;
  /** Delay between probes in milliseconds (default 50). */
  interval?: number;
  /** Added to the timeout error, to say what was awaited. */
  message?: string;
}

/** Polls probe until it returns a truthy value, and resolves with that value. */
export async function waitFor<T>(
  probe: () => T | undefined | null | false | Promise<T | undefined | null | false>,
  options: WaitOptions = {},
): Promise<T> {
  const { timeout = 10000, interval = 50, message = 'condition' } = options;
  const deadline = Date.now() + timeout;
  for (;;) {
    const value = await probe();
    if (value) {
      return value;
    }
    if (Date.now() > deadline) {
      throw new Error(`waitFor timed out after ${timeout} ms: ${message}`);
    }
    await new Promise((resolve) => setTimeout(resolve, interval));
  }
}

/** A Uri inside the fixture workspace (test/fixtures/workspace). */
export function fixtureUri(...segments: string[]): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) {
    throw new Error('the tests need the fixture workspace folder open');
  }
  return vscode.Uri.joinPath(folder.uri, ...segments);
}

/** Opens a fixture file in an editor and returns that editor. */
export async function openFixture(relativePath: string): Promise<vscode.TextEditor> {
  const document = await vscode.workspace.openTextDocument(fixtureUri(relativePath));
  return vscode.window.showTextDocument(document);
}

/** Waits until NormLens has activated (without activating it) and returns it. */
export async function activatedExtension(timeout = 30000): Promise<vscode.Extension<unknown>> {
  const extension = vscode.extensions.getExtension(EXTENSION_ID);
  if (!extension) {
    throw new Error(`${EXTENSION_ID} is not installed in this extension host`);
  }
  await waitFor(() => extension.isActive, { timeout, message: `${EXTENSION_ID} to activate` });
  return extension;
}

/** The position of the start of the occurrence-th (0-based) match of needle in the document. */
export function positionOf(
  document: vscode.TextDocument,
  needle: string,
  occurrence = 0,
): vscode.Position {
  const text = document.getText();
  let offset = -1;
  for (let i = 0; i <= occurrence; i++) {
    offset = text.indexOf(needle, offset + 1);
    if (offset < 0) {
      throw new Error(
        `"${needle}" occurs fewer than ${occurrence + 1} times in ${document.uri.path}`,
      );
    }
  }
  return document.positionAt(offset);
}

/** Asks every hover provider for the position and joins their markdown, as the hover widget shows it. */
export async function hoverText(uri: vscode.Uri, position: vscode.Position): Promise<string> {
  const hovers = await vscode.commands.executeCommand<vscode.Hover[]>(
    'vscode.executeHoverProvider',
    uri,
    position,
  );
  return hovers
    .flatMap((hover) => hover.contents)
    .map((content) => (typeof content === 'string' ? content : content.value))
    .join('\n');
}

/** Polls the diagnostics of uri until predicate holds (default: at least one), and returns them. */
export function waitForDiagnostics(
  uri: vscode.Uri,
  predicate: (diagnostics: vscode.Diagnostic[]) => boolean = (d) => d.length > 0,
  timeout = 15000,
): Promise<vscode.Diagnostic[]> {
  return waitFor(
    () => {
      const diagnostics = vscode.languages.getDiagnostics(uri);
      return predicate(diagnostics) && diagnostics;
    },
    { timeout, message: `diagnostics of ${uri.path}` },
  );
}

/** Every tab of every editor group. */
export function allTabs(): vscode.Tab[] {
  return vscode.window.tabGroups.all.flatMap((group) => group.tabs);
}

/** Polls the tab model, which the workbench updates asynchronously, until a tab matches. */
export function waitForTab(
  predicate: (tab: vscode.Tab) => boolean,
  timeout = 15000,
): Promise<vscode.Tab> {
  return waitFor(() => allTabs().find(predicate), { timeout, message: 'a matching editor tab' });
}

/** Closes every editor, so that each test starts from an empty editor area. */
export async function closeAllEditors(): Promise<void> {
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
}

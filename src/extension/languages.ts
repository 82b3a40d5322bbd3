/**
 * Which documents NormLens analyses, and how: by language id first (an untitled Python buffer has
 * no extension), then by file name.
 */
import type * as vscode from 'vscode';
import {
  isTfjsModelJsonPath,
  JsonNameIndex,
  sourceKindOf,
  type FileReport,
  type Locator,
  type SourceKind,
} from '../core/index';

/** The document selector of the hover and code-action providers. */
export const SOURCE_SELECTOR: vscode.DocumentSelector = [
  { language: 'python' },
  { language: 'javascript' },
  { language: 'javascriptreact' },
  { language: 'typescript' },
  { language: 'typescriptreact' },
  { language: 'json', pattern: '**/*model.json' },
];

const KIND_OF_LANGUAGE: Readonly<Record<string, SourceKind>> = {
  python: { language: 'python', grammar: 'python' },
  javascript: { language: 'javascript', grammar: 'javascript' },
  javascriptreact: { language: 'javascript', grammar: 'javascript' },
  typescript: { language: 'typescript', grammar: 'typescript' },
  typescriptreact: { language: 'typescript', grammar: 'tsx' },
};

/** How a document is analysed: as source of some kind, as a tfjs model.json, or not at all. */
export type DocumentKind =
  { readonly type: 'source'; readonly kind: SourceKind } | { readonly type: 'model-json' };

/** The analysis kind of `document`, or undefined when NormLens ignores it. */
export function documentKind(document: vscode.TextDocument): DocumentKind | undefined {
  if (isTfjsModelJsonPath(document.uri.path)) {
    return { type: 'model-json' };
  }
  const kind = sourceKindOf(document.uri.path) ?? KIND_OF_LANGUAGE[document.languageId];
  return kind ? { type: 'source', kind } : undefined;
}

/** Places a model.json report's layers at their `"name"` entries in the document text. */
export function documentLocator(
  document: vscode.TextDocument,
  report: FileReport,
): Locator | undefined {
  if (report.language !== 'tfjs-model') {
    return undefined;
  }
  const index = new JsonNameIndex(document.getText());
  return (location) => index.rangeOfLocation(location);
}

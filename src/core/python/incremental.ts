/**
 * An open Python document that keeps its syntax tree between edits, so the extension host can
 * re-analyse after each keystroke without reparsing the file: the edit is applied to the old tree
 * and tree-sitter reparses only what changed.
 */
import type { Parser, Tree } from 'web-tree-sitter';
import { Edit } from 'web-tree-sitter';
import type { PythonExtraction, PythonFileOptions } from './index';
import { extractionOf, packagePath, parsePlanned } from './index';
import type { ParsePlan } from './regions';
import { planParse } from './regions';
import { replanEdit } from './replan';
import { shiftLines } from './shift';
import type { ExtractionParts, PartEdit } from './statement-parts';
import { extractParts, moveParts, partEditOf, reextractEdited } from './statement-parts';

/** A zero-based row and UTF-16 column, as tree-sitter and the editor count them. */
export interface TextPoint {
  readonly row: number;
  readonly column: number;
}

/**
 * One edit in tree-sitter's terms (VS Code's `TextDocumentContentChangeEvent` converts directly:
 * `rangeOffset`, `rangeOffset + rangeLength`, `rangeOffset + text.length`, and the positions).
 * Indices count UTF-16 code units.
 */
export interface TextChange {
  readonly startIndex: number;
  readonly oldEndIndex: number;
  readonly newEndIndex: number;
  readonly startPosition: TextPoint;
  readonly oldEndPosition: TextPoint;
  readonly newEndPosition: TextPoint;
}

const NOTHING: PythonExtraction = {
  sites: [],
  context: { batchSizes: [] },
  errors: [],
  unresolved: [],
};

/**
 * One Python document's text, tree and latest extraction. Not thread-safe; call {@link dispose}
 * when the document closes to free the tree's WebAssembly memory.
 */
export class PythonDocument {
  private currentText: string;
  private tree: Tree | undefined;
  private plan: ParsePlan;
  private parts: ExtractionParts | undefined;
  private result: PythonExtraction;

  constructor(
    private readonly parser: Parser,
    text: string,
    private readonly options: PythonFileOptions = {},
  ) {
    this.currentText = text;
    this.plan = planParse(text);
    this.result = this.analyse();
  }

  /** The text last analysed. */
  get text(): string {
    return this.currentText;
  }

  /** The extraction for {@link text}. */
  get extraction(): PythonExtraction {
    return this.result;
  }

  /**
   * Replaces the text and re-analyses it. `changes` are the edits that turn the previous text into
   * `text`, in the order they were applied; without them the file is parsed afresh. One edit
   * inside a definition is re-extracted alone when it leaves what other statements see unchanged.
   */
  update(text: string, changes?: readonly TextChange[]): PythonExtraction {
    const [only, ...more] = changes ?? [];
    const single = only && more.length === 0 ? only : undefined;
    const edit = single && partEditOf(single);
    // One edit is planned around where it lands: among skipped statements, or inside the body of a
    // kept definition; anything else plans the whole text.
    const replanned = edit && replanEdit(this.plan, this.currentText, text, edit);
    if (single && edit && replanned?.rescanned.length === 0) {
      return this.moveOnly(text, single, edit, replanned.plan);
    }
    if (changes && this.tree) {
      for (const change of changes) {
        this.tree.edit(new Edit(change));
      }
    } else {
      this.dropTree();
    }
    const previousText = this.currentText;
    this.currentText = text;
    this.plan = replanned ? replanned.plan : planParse(text);
    this.result = this.analyse(edit && { edit, previousText });
    return this.result;
  }

  /** Frees the syntax tree. The document must not be used afterwards. */
  dispose(): void {
    this.dropTree();
  }

  /**
   * Takes an edit among statements that stay skipped (most typing in a large file): nothing is
   * reparsed or re-extracted, results below the edit move by the lines it added or removed.
   */
  private moveOnly(
    text: string,
    change: TextChange,
    edit: PartEdit,
    plan: ParsePlan,
  ): PythonExtraction {
    this.tree?.edit(new Edit(change));
    this.currentText = text;
    this.plan = plan;
    this.parts = this.parts && moveParts(this.parts, edit);
    this.result = shiftLines(this.result, edit.startRow, edit.lineDelta);
    return this.result;
  }

  /** Parses the planned statements (reusing the edited tree) and extracts them. */
  private analyse(edited?: { edit: PartEdit; previousText: string }): PythonExtraction {
    const previous = this.parts;
    this.parts = undefined;
    if (this.plan.type === 'none') {
      this.dropTree();
      return NOTHING;
    }
    const tree = parsePlanned(this.parser, this.currentText, this.plan, this.tree) ?? undefined;
    this.dropTree();
    this.tree = tree;
    if (!tree) {
      const message = 'Python analysis stopped early: the parser returned no tree';
      return { ...NOTHING, errors: [{ message, kind: 'internal' }] };
    }
    const reused =
      edited && previous
        ? reextractEdited(previous, edited.previousText, tree, this.currentText, edited.edit)
        : undefined;
    this.parts = reused ?? extractParts(tree, this.currentText, packagePath(this.options));
    return extractionOf(tree, this.parts, this.options);
  }

  private dropTree(): void {
    this.tree?.delete();
    this.tree = undefined;
  }
}

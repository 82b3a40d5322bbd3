/**
 * Python extraction one top-level statement at a time. What a statement contributes (sites,
 * unresolved calls, evidence, DataLoader batch sizes) depends on its own syntax and on the file's
 * environment: imports, module constants, class headers, the names bound anywhere (call triage),
 * argparse defaults and two file-wide word checks. Keeping each statement's part lets an editor
 * re-extract only the definition an edit touched, when the edit leaves that environment alone;
 * every other part only moves with the lines the edit added.
 */
import type { Node, Tree } from 'web-tree-sitter';
import type { AnalysisError, BatchSizeEvidence, NormSite } from '../model';
import { textReader } from '../syntax/ranges';
import type { ReadText } from '../syntax/ranges';
import { syntaxErrors } from '../syntax/syntax-errors';
import { batchSizeOf } from './batch-size';
import { CallTriage, LOW_PRECISION_WORD } from './call-triage';
import type { PythonSiteContext } from './context';
import { SiteContextFinder } from './context';
import type { FileEvidence } from './evidence';
import { EVIDENCE_NODE_TYPES, collectEvidence, emptyEvidence } from './evidence';
import type { FileScope } from './file-scope';
import type { TextChange } from './incremental';
import type { ImportTable } from './imports';
import { IMPORT_NODE_TYPES, collectImports } from './imports';
import { boundNames } from './lexical-scan';
import { ReferenceResolver } from './references';
import type { PlanEdit } from './replan';
import { shiftLines } from './shift';
import type { UnresolvedCall } from './sites';
import { examineCall } from './sites';
import { ValueResolver, collectConstants } from './values';

/** A site as extracted, before mode evidence is matched to its binding. */
export interface FoundSite {
  readonly site: NormSite;
  readonly context: Omit<PythonSiteContext, 'modes'>;
}

/** What one top-level statement contributed, and where it lay when extracted. */
export interface StatementPart {
  readonly startIndex: number;
  readonly endIndex: number;
  readonly found: readonly FoundSite[];
  readonly unresolved: readonly UnresolvedCall[];
  readonly evidence: FileEvidence;
  readonly batchSizes: readonly BatchSizeEvidence[];
  /** Where a definition's body starts: what precedes it is the header other statements see. */
  readonly bodyStart: number | undefined;
}

/** The parts of one parsed file, in file order, with what they share. */
export interface ExtractionParts {
  readonly parts: readonly StatementPart[];
  readonly imports: ImportTable;
  /** The names the file binds, which call triage follows calls through. */
  readonly bound: ReadonlySet<string>;
  /** Whether the whole text names a batch size, which decides the node types evidence reads. */
  readonly batchWords: boolean;
  /** Set when the extraction stopped early: the parts hold what was found before. */
  readonly failure?: AnalysisError;
}

/** One edit as the planner sees it, with the row it starts on (later rows move by `lineDelta`). */
export interface PartEdit extends PlanEdit {
  readonly startRow: number;
}

/** An editor change in the terms of the planner and the statement parts. */
export function partEditOf(change: TextChange): PartEdit {
  return {
    startIndex: change.startIndex,
    oldEndIndex: change.oldEndIndex,
    newEndIndex: change.newEndIndex,
    startRow: change.startPosition.row,
    lineDelta: change.newEndPosition.row - change.oldEndPosition.row,
  };
}

/** Spellings of a batch-size name that an assignment or dict key can hold. */
const BATCH_WORD = /batch[-_]?size|\bbs\b/i;

const IMPORT_TYPES: ReadonlySet<string> = new Set(IMPORT_NODE_TYPES);

/** Statements whose part can be re-extracted alone: definitions, which bind only their name. */
const DEFINITIONS: ReadonlySet<string> = new Set([
  'class_definition',
  'function_definition',
  'decorated_definition',
]);

/** Lines that import, define an `__init__`, or name half precision (call triage reads those). */
const IMPORT_LINE = /^.*\bimport\b.*$/gm;
const INIT_LINE = /^[ \t]*(?:async[ \t]+)?def[ \t]+__init__\b.*$/gm;
const LOW_PRECISION_LINE = new RegExp(`^.*(?:${LOW_PRECISION_WORD.source}).*$`, 'gm');
/** Imports of `partial` under another name: a name assigned such a call is bound like a default. */
const PARTIAL_ALIAS = /\bpartial[ \t]+as[ \t]+[A-Za-z_]\w*/g;

/** Extracts every top-level statement of `tree`. */
export function extractParts(
  tree: Tree,
  text: string,
  packagePath: readonly string[] | undefined,
): ExtractionParts {
  const root = tree.rootNode;
  const read = textReader(text);
  const batchWords = BATCH_WORD.test(text);
  const parts: StatementPart[] = [];
  let imports: ImportTable = { bindings: new Map(), starImports: [] };
  try {
    const statements = root.namedChildren.filter((node): node is Node => node !== null);
    const walks = statements.map((statement) => walk(statement, batchWords));
    imports = collectImports(
      walks.flatMap((nodes) => nodes.imports),
      read,
      packagePath,
    );
    const extractor = new StatementExtractor(root, text, read, imports);
    statements.forEach((statement, index) => {
      const nodes = walks[index];
      if (nodes) {
        parts.push(extractor.extract(statement, nodes));
      }
    });
    return { parts: extractor.withBatchSizes(parts), imports, bound: extractor.bound, batchWords };
  } catch (error) {
    return { parts, imports, bound: new Set(), batchWords, failure: failureOf(error) };
  }
}

/**
 * The parts after one edit confined to a definition whose environment the edit left alone (see
 * {@link environmentOf}): that definition is re-extracted from `tree` (already reparsed), the
 * others move. Undefined when the edit reaches beyond one definition, the parsed statements
 * changed, or the edit may change what other statements see; the caller then extracts afresh.
 */
export function reextractEdited(
  previous: ExtractionParts,
  previousText: string,
  tree: Tree,
  text: string,
  edit: PartEdit,
): ExtractionParts | undefined {
  if (previous.failure || BATCH_WORD.test(text) !== previous.batchWords) {
    return undefined;
  }
  const index = previous.parts.findIndex(
    (part) => part.startIndex < edit.startIndex && edit.oldEndIndex < part.endIndex,
  );
  const old = previous.parts[index];
  const { parts: movedParts, imports } = moveParts(previous, edit);
  const parts = [...movedParts];
  // One root node object: it keeps its children once read, which the extractor reads again.
  const root = tree.rootNode;
  const statements = root.namedChildren;
  const statement = statements[index];
  const delta = edit.newEndIndex - edit.oldEndIndex;
  const aligned =
    statements.length === parts.length &&
    parts.every(
      (part, at) =>
        statements[at]?.startIndex === part.startIndex &&
        (at === index || statements[at]?.endIndex === part.endIndex),
    );
  if (!old || !statement || !aligned || statement.endIndex !== old.endIndex + delta) {
    return undefined;
  }
  // The edit leaves the rest of the text alone, and any alias in the definition is in its imports.
  const aliases = text.match(PARTIAL_ALIAS) ?? [];
  const environment = environmentOf(
    text,
    { start: statement.startIndex, bodyStart: bodyStartOf(statement), end: statement.endIndex },
    aliases,
  );
  if (
    environment === undefined ||
    environment !==
      environmentOf(
        previousText,
        { start: old.startIndex, bodyStart: old.bodyStart, end: old.endIndex },
        aliases,
      )
  ) {
    return undefined;
  }
  try {
    // Names bound elsewhere are as before, and the environment check kept the definition's.
    const extractor = new StatementExtractor(root, text, textReader(text), imports, previous.bound);
    parts[index] = extractor.extract(statement, walk(statement, previous.batchWords));
    return { ...previous, parts: extractor.withBatchSizes(parts), imports };
  } catch {
    return undefined;
  }
}

/**
 * The parts after an edit outside all of them (among statements that were not parsed): the parts
 * below it move by the characters and lines it added.
 */
export function moveParts(previous: ExtractionParts, edit: PartEdit): ExtractionParts {
  const delta = edit.newEndIndex - edit.oldEndIndex;
  return {
    ...previous,
    parts: previous.parts.map((part) =>
      part.startIndex >= edit.oldEndIndex ? movePart(part, edit, delta) : part,
    ),
    imports: {
      bindings: previous.imports.bindings,
      starImports: shiftLines(previous.imports.starImports, edit.startRow, edit.lineDelta),
    },
  };
}

/** The nodes of one statement the extraction reads, in document order. */
interface StatementNodes {
  readonly nodes: readonly Node[];
  readonly types: readonly string[];
  readonly imports: readonly Node[];
}

function walk(statement: Node, batchWords: boolean): StatementNodes {
  const nodes = statement
    .descendantsOfType(['call', ...IMPORT_NODE_TYPES, ...(batchWords ? EVIDENCE_NODE_TYPES : [])])
    .filter((node): node is Node => node !== null);
  // Each `type` read crosses into WebAssembly, so it is read once per node.
  const types = nodes.map((node) => node.type);
  return {
    nodes,
    types,
    imports: nodes.filter((_, index) => IMPORT_TYPES.has(types[index] ?? '')),
  };
}

/** Examines the calls and evidence of statements against one file's environment. */
class StatementExtractor {
  private readonly scope: FileScope;
  private readonly references: ReferenceResolver;
  private readonly contexts: SiteContextFinder;
  private readonly triage: CallTriage;
  /** DataLoader calls of the statement being extracted, by part, resolved once all are known. */
  private readonly loaders = new Map<StatementPart, readonly Node[]>();

  constructor(
    root: Node,
    text: string,
    read: ReadText,
    imports: ImportTable,
    bound?: ReadonlySet<string>,
  ) {
    this.scope = { imports, values: new ValueResolver(collectConstants(root, read), read), read };
    this.references = new ReferenceResolver(this.scope, root);
    this.contexts = new SiteContextFinder(this.scope);
    this.triage = new CallTriage(text, imports, root, bound);
  }

  /** The names the file binds, as call triage read them. */
  get bound(): ReadonlySet<string> {
    return this.triage.bound;
  }

  extract(statement: Node, { nodes, types }: StatementNodes): StatementPart {
    const found: FoundSite[] = [];
    const unresolved: UnresolvedCall[] = [];
    const evidence = emptyEvidence();
    const loaders: Node[] = [];
    nodes.forEach((node, index) => {
      const type = types[index];
      if (IMPORT_TYPES.has(type ?? '')) {
        return;
      }
      if (type !== 'call') {
        collectEvidence(node, this.scope, evidence);
        return;
      }
      const needs = this.triage.needs(node, nextCallStartsAt(nodes, types, index, node.startIndex));
      const outcome = needs.site ? examineCall(node, this.scope, this.references) : undefined;
      if (outcome && 'site' in outcome) {
        const context = outcome.builder
          ? this.contexts.builderContextOf(node, outcome.builder)
          : this.contexts.contextOf(node);
        found.push({ site: outcome.site, context });
      } else if (outcome) {
        unresolved.push(outcome.unresolved);
      } else {
        if (needs.evidence) {
          collectEvidence(node, this.scope, evidence);
        }
        if (needs.loader) {
          loaders.push(node);
        }
      }
    });
    const part: StatementPart = {
      startIndex: statement.startIndex,
      endIndex: statement.endIndex,
      found,
      unresolved,
      evidence,
      batchSizes: [],
      bodyStart: bodyStartOf(statement),
    };
    this.loaders.set(part, loaders);
    return part;
  }

  /**
   * The parts with the batch sizes of the DataLoaders this extractor met, which read argparse
   * defaults from the whole file (`args.batch_size`); other parts keep theirs.
   */
  withBatchSizes(parts: readonly StatementPart[]): StatementPart[] {
    const argparseDefaults = new Map<string, BatchSizeEvidence>();
    for (const part of parts) {
      for (const [name, hint] of part.evidence.argparseDefaults) {
        argparseDefaults.set(name, hint);
      }
    }
    return parts.map((part) => {
      const loaders = this.loaders.get(part);
      if (!loaders) {
        return part;
      }
      const batchSizes: BatchSizeEvidence[] = [];
      for (const loader of loaders) {
        const batchSize = batchSizeOf(loader, this.scope, argparseDefaults);
        if (batchSize) {
          batchSizes.push(batchSize);
        }
      }
      return { ...part, batchSizes };
    });
  }
}

/** Where the body of a (possibly decorated) definition starts; undefined for other statements. */
function bodyStartOf(statement: Node): number | undefined {
  if (!DEFINITIONS.has(statement.type)) {
    return undefined;
  }
  const definition =
    statement.type === 'decorated_definition'
      ? statement.childForFieldName('definition')
      : statement;
  return definition?.childForFieldName('body')?.startIndex;
}

/**
 * What a definition at `[start, end)` gives the rest of the file, as text: its header (decorators,
 * name, bases, parameters), its import lines (imports bind file-wide), its `__init__` lines (a norm
 * subclass with its own `__init__` takes other arguments), the names it binds (call triage follows
 * calls through any bound name) and its half-precision and batch-size words (they decide what other
 * calls are examined for). Undefined for other statements and for definitions that set argparse
 * defaults, which reach DataLoaders anywhere.
 */
function environmentOf(
  text: string,
  { start, bodyStart, end }: { start: number; bodyStart: number | undefined; end: number },
  partialAliases: readonly string[],
): string | undefined {
  const source = text.slice(start, end);
  if (bodyStart === undefined || source.includes('add_argument')) {
    return undefined;
  }
  return JSON.stringify([
    text.slice(start, bodyStart),
    source.match(IMPORT_LINE) ?? [],
    source.match(INIT_LINE) ?? [],
    // The file's partial aliases decide which names bound to calls count, wherever imported.
    [...boundNames([...partialAliases, source].join('\n'))].sort(),
    source.match(LOW_PRECISION_LINE) ?? [],
    BATCH_WORD.test(source),
  ]);
}

/** A part after an edit above it: its results and its place move by the edit. */
function movePart(part: StatementPart, edit: PartEdit, delta: number): StatementPart {
  if (edit.lineDelta === 0) {
    return { ...part, startIndex: part.startIndex + delta, endIndex: part.endIndex + delta };
  }
  const shift = <T>(value: T): T => shiftLines(value, edit.startRow, edit.lineDelta);
  const argparseDefaults = new Map<string, BatchSizeEvidence>();
  for (const [name, hint] of part.evidence.argparseDefaults) {
    argparseDefaults.set(name, shift(hint));
  }
  return {
    ...part,
    startIndex: part.startIndex + delta,
    endIndex: part.endIndex + delta,
    found: shift(part.found),
    unresolved: shift(part.unresolved),
    evidence: {
      precision: shift(part.evidence.precision),
      modes: shift(part.evidence.modes),
      batchSizeHints: shift(part.evidence.batchSizeHints),
      argparseDefaults,
    },
    batchSizes: shift(part.batchSizes),
  };
}

/** All parts' evidence, in file order (a later argparse default of a name replaces an earlier). */
export function mergedEvidence(parts: readonly StatementPart[]): FileEvidence {
  const evidence = emptyEvidence();
  for (const part of parts) {
    evidence.precision.push(...part.evidence.precision);
    evidence.modes.push(...part.evidence.modes);
    evidence.batchSizeHints.push(...part.evidence.batchSizeHints);
    for (const [name, hint] of part.evidence.argparseDefaults) {
      evidence.argparseDefaults.set(name, hint);
    }
  }
  return evidence;
}

/** The errors of a parsed file: its syntax errors, then why extraction stopped, if it did. */
export function extractionErrors(tree: Tree, parts: ExtractionParts): AnalysisError[] {
  return [...syntaxErrors(tree.rootNode), ...(parts.failure ? [parts.failure] : [])];
}

function failureOf(error: unknown): AnalysisError {
  // A bug here must not take the editor down: report it and keep what was found so far.
  const reason = error instanceof Error ? error.message : String(error);
  return { message: `Python analysis stopped early: ${reason}`, kind: 'internal' };
}

/** True when the next call after `index` in document order starts at `startIndex`. */
function nextCallStartsAt(
  nodes: readonly Node[],
  types: readonly string[],
  index: number,
  startIndex: number,
): boolean {
  for (let next = index + 1; next < nodes.length; next++) {
    if (types[next] === 'call') {
      return nodes[next]?.startIndex === startIndex;
    }
  }
  return false;
}

/**
 * Chooses the top-level statements worth parsing. Parsing is the dominant cost of the analysis
 * (tree-sitter's WebAssembly build reads about 2 MB/s), and most statements of a PyTorch project
 * cannot hold a normalization site or context evidence. The choice is made on the text alone and
 * is conservative: a statement is kept when it mentions a norm-like word, a word bound to one by
 * another kept statement, or evidence the context needs; the imports, module constants and classes
 * such statements refer to are kept with them. Kept statements are parsed as included ranges, so
 * every position in the tree is still a position in the whole file.
 */
import type { NormLikeCall } from './lexical-scan';
import {
  BoundNameTest,
  CONTEXT_EVIDENCES,
  NORM_NAME,
  OpaqueSpans,
  lineMatches,
  mayBeReference,
  mayHoldSite,
  normLayerArguments,
  normLikeCalls,
  normMentions,
  wordPattern,
} from './lexical-scan';
import type { TopLevelStatement } from './statements';
import { splitStatements } from './statements';

/** A range of the file for tree-sitter's `includedRanges`, with rows and UTF-16 columns. */
export interface TextRegion {
  readonly startIndex: number;
  readonly endIndex: number;
  readonly startPosition: { readonly row: number; readonly column: number };
  readonly endPosition: { readonly row: number; readonly column: number };
}

/**
 * What to parse: nothing, everything, or the listed regions in file order. A `none` plan has no
 * state when the file mentions nothing norm-like at all (it was not even split).
 */
export type ParsePlan =
  | { readonly type: 'none'; readonly state?: PlanState }
  | { readonly type: 'all' }
  | {
      readonly type: 'regions';
      readonly regions: readonly TextRegion[];
      readonly state: PlanState;
    };

/** What the plan learned, so that an edit to a skipped statement can be judged locally. */
export interface PlanState {
  readonly statements: readonly TopLevelStatement[];
  readonly kept: readonly boolean[];
  /** Words the kept statements use, and names that make a statement relevant. */
  readonly used: ReadonlySet<string>;
  readonly tainted: ReadonlySet<string>;
}

const WORD = /[A-Za-z_][A-Za-z0-9_]*/g;
const IMPORT_START = /^(?:import|from)\b/;
/** Patterns over lines holding `import`, see {@link lineMatches}. */
const ANY_IMPORT = /^[ \t]*(?:from[ \t]+[\w.]+[ \t]+)?import[ \t]+(?:\([^)]*\)|[^\n]*)/my;
const STAR_IMPORT = /^[ \t]*from[ \t]+[\w.]+[ \t]+import[ \t]+\*/my;
const DEFINED_FUNCTION = /\bdef[ \t]+([A-Za-z_]\w*)/g;
const CLASS_NAME = /^class\s+([A-Za-z_]\w*)/m;
const CLASS_OR_DECORATOR = /^(?:class\b|@)/;
const ASSIGNED_NAMES = /^([A-Za-z_]\w*(?:\s*,\s*[A-Za-z_]\w*)*)\s*(?::[^=\n]*)?=(?!=)/;
/** An import inside a function or block, possibly parenthesised over several lines. */
const NESTED_IMPORT = /^[ \t]+(?:from[ \t]+[\w.]+[ \t]+)?import[ \t]+(?:\([^)]*\)|[^\n]*)/my;
const IMPORT = 'import';

/** One top-level statement as the planner sees it. */
export interface Candidate {
  readonly statement: TopLevelStatement;
  readonly text: string;
  readonly isImport: boolean;
  /** Names a top-level assignment binds. */
  readonly assigns: readonly string[];
  /** The name of a top-level class. */
  readonly classes: readonly string[];
  readonly isClass: boolean;
  kept: boolean;
}

/** Decides which parts of `text` to parse. */
export function planParse(text: string): ParsePlan {
  if (!mayHoldSite(text)) {
    return { type: 'none' };
  }
  const spans: number[] = [];
  const candidates = splitStatements(text, spans).map((statement) => describe(text, statement));
  const opaque = new OpaqueSpans(spans);
  const used = new Set<string>();
  const tainted = new Set<string>();
  const keepAt = (index: number): void => {
    const candidate = candidateAt(candidates, index);
    if (candidate && !candidate.kept) {
      keep(candidate, used, tainted);
    }
  };
  for (const mention of normMentions(text, opaque)) {
    const candidate = candidateAt(candidates, mention.index);
    if (!candidate || candidate.kept) {
      continue;
    }
    // A class base after a comma is followed like the first one; an import binds what it names.
    const followed =
      mention.use === 'call' ||
      mention.use === 'bound' ||
      (mention.use === 'listed' && candidate.isClass) ||
      candidate.isImport;
    if (followed) {
      keep(candidate, used, tainted);
    }
  }
  const names = new ReferenceNames(text);
  for (const call of normLikeCalls(text, opaque)) {
    const candidate = candidateAt(candidates, call.index);
    // A kept statement needs no reason more, so most calls are settled without a look at names.
    if (candidate && !candidate.kept && names.follows(call)) {
      keep(candidate, used, tainted);
    }
  }
  for (const index of normLayerArguments(text, opaque)) {
    keepAt(index);
  }
  propagate(text, candidates, used, tainted);
  if (!candidates.some((candidate) => candidate.kept && !candidate.isImport)) {
    return { type: 'none', state: stateOf(candidates, used, tainted) };
  }
  // Context only matters once the file has a site; its constants come along as usual.
  for (const candidate of statementsMatching(text, candidates, CONTEXT_EVIDENCES)) {
    keep(candidate, used, tainted);
  }
  propagate(text, candidates, used, tainted);
  keepNestedImports(text, candidates, used);
  if (candidates.every((candidate) => candidate.kept || candidate.isImport)) {
    return { type: 'all' };
  }
  const regions = candidates
    .filter((candidate) => candidate.kept || candidate.isImport)
    .map((candidate) => regionOf(text, candidate.statement));
  return { type: 'regions', regions, state: stateOf(candidates, used, tainted) };
}

function stateOf(
  candidates: readonly Candidate[],
  used: ReadonlySet<string>,
  tainted: ReadonlySet<string>,
): PlanState {
  return {
    statements: candidates.map((candidate) => candidate.statement),
    kept: candidates.map((candidate) => candidate.kept || candidate.isImport),
    used,
    tainted,
  };
}

/**
 * What the text says about the names norm-like calls may go through, each part read when first
 * needed: most files ask about few names, or none.
 */
class ReferenceNames {
  private starImport: boolean | undefined;
  private unreferable: ReadonlySet<string> | undefined;
  /** Names bound by an assignment, default, parameter or class; a superset. */
  private readonly bound: BoundNameTest;

  constructor(private readonly text: string) {
    this.bound = new BoundNameTest(text, true);
  }

  /**
   * True when a norm-like call may go through a reference that can resolve (or be listed
   * unresolved): a bare name needs a binding or a star import it may come from; `self.x` needs an
   * assignment to the attribute.
   */
  follows(call: NormLikeCall): boolean {
    const unreferable = { has: (name: string) => this.neverReferences().has(name) };
    // The cheaper test first: the imported and defined names are then rarely needed at all.
    return (
      ((!call.isSelf && this.hasStarImport()) || this.bound.has(call.name)) &&
      mayBeReference(call, unreferable)
    );
  }

  private hasStarImport(): boolean {
    this.starImport ??= !lineMatches(this.text, IMPORT, STAR_IMPORT).next().done;
    return this.starImport;
  }

  /**
   * Bare names a call cannot resolve through as a reference: imported names (they resolve through
   * the imports) and, unless a star import could shadow them, names of functions defined here.
   */
  private neverReferences(): ReadonlySet<string> {
    if (this.unreferable) {
      return this.unreferable;
    }
    const names = new Set<string>();
    for (const match of lineMatches(this.text, IMPORT, ANY_IMPORT)) {
      for (const name of importedNames(match[0], false)) {
        names.add(name);
      }
    }
    if (!this.hasStarImport()) {
      for (const match of this.text.matchAll(DEFINED_FUNCTION)) {
        if (match[1]) {
          names.add(match[1]);
        }
      }
    }
    this.unreferable = names;
    return names;
  }
}

/** Reads what the plan needs from one statement. */
export function describe(text: string, statement: TopLevelStatement): Candidate {
  const source = text.slice(statement.start, statement.end);
  const isImport = IMPORT_START.test(source);
  // Only a class statement (possibly decorated) can bind a class name.
  const className = CLASS_OR_DECORATOR.test(source) ? CLASS_NAME.exec(source)?.[1] : undefined;
  const assigned = className || isImport ? undefined : ASSIGNED_NAMES.exec(source)?.[1];
  return {
    statement,
    text: source,
    isImport,
    assigns: assigned?.match(WORD) ?? [],
    classes: className ? [className] : [],
    isClass: className !== undefined,
    kept: false,
  };
}

/**
 * Marks a statement kept: the words it uses may be constants or imports to keep, and the names it
 * binds (an import's names, a constant, a class) make the statements that mention them relevant.
 */
function keep(candidate: Candidate, used: Set<string>, tainted?: Set<string>): void {
  candidate.kept = true;
  for (const word of candidate.text.match(WORD) ?? []) {
    used.add(word);
  }
  const binds = candidate.isImport
    ? importedNames(candidate.text, true)
    : [...candidate.assigns, ...candidate.classes];
  for (const name of binds) {
    tainted?.add(name);
  }
}

/**
 * The names an import statement binds (`import a.b` binds `a`, `… import x as y` binds `y`); with
 * `normOnly`, only through items naming a norm callable, as no other item can bind one.
 */
function importedNames(statement: string, normOnly: boolean): string[] {
  const clause = /\bimport\b([\s\S]*)/.exec(statement.replace(/#[^\n]*/g, ''))?.[1] ?? '';
  const names: string[] = [];
  for (const item of clause.replace(/[()\\]/g, ' ').split(',')) {
    const words = item.trim().split(/\s+/);
    const name = words.length >= 3 && words[1] === 'as' ? words[2] : words[0]?.split('.')[0];
    if (name && name !== '*' && (!normOnly || NORM_NAME.test(item))) {
      names.push(name);
    }
  }
  return names;
}

/**
 * Keeps statements that mention a tainted name, and the module constants kept statements use (a
 * constant pulled in for its value does not taint: its name is not a norm reference).
 */
function propagate(
  text: string,
  candidates: readonly Candidate[],
  used: Set<string>,
  tainted: Set<string>,
): void {
  let changed = true;
  while (changed) {
    changed = false;
    const mentioning = statementsMatching(text, candidates, wordPattern(tainted, 'g'));
    // A name assigned more than once is not a constant, so all its assignments go together.
    const pulled = new Set(
      candidates
        .filter((candidate) => !candidate.kept && candidate.assigns.some((name) => used.has(name)))
        .flatMap((candidate) => candidate.assigns),
    );
    for (const candidate of candidates) {
      if (candidate.kept) {
        continue;
      }
      if (mentioning.has(candidate)) {
        keep(candidate, used, tainted);
        changed = true;
      } else if (candidate.assigns.some((name) => pulled.has(name))) {
        keep(candidate, used);
        changed = true;
      }
    }
  }
}

/**
 * The statements not kept yet whose text matches `pattern` (global): one pass over the whole file,
 * or over the statements themselves when they are the smaller part of it.
 */
function statementsMatching(
  text: string,
  candidates: readonly Candidate[],
  pattern: RegExp | undefined,
): Set<Candidate> {
  const matching = new Set<Candidate>();
  if (!pattern) {
    return matching;
  }
  const open = candidates.filter((candidate) => !candidate.kept);
  const openLength = open.reduce((sum, c) => sum + c.statement.end - c.statement.start, 0);
  if (openLength * 2 < text.length) {
    for (const candidate of open) {
      pattern.lastIndex = 0;
      if (pattern.test(candidate.text)) {
        matching.add(candidate);
      }
    }
    return matching;
  }
  for (const match of text.matchAll(pattern)) {
    const candidate = candidateAt(candidates, match.index);
    if (candidate && !candidate.kept) {
      matching.add(candidate);
    }
  }
  return matching;
}

/** Keeps statements holding a nested import of a name that kept statements use. */
function keepNestedImports(
  text: string,
  candidates: readonly Candidate[],
  used: Set<string>,
): void {
  for (const match of lineMatches(text, IMPORT, NESTED_IMPORT)) {
    const names = match[0].match(WORD) ?? [];
    if (!names.some((name) => name !== 'import' && name !== 'from' && used.has(name))) {
      continue;
    }
    const owner = candidateAt(candidates, match.index);
    if (owner && !owner.kept) {
      owner.kept = true;
    }
  }
}

/** The statement containing `index` (statements are sorted and disjoint). */
function candidateAt(candidates: readonly Candidate[], index: number): Candidate | undefined {
  let low = 0;
  let high = candidates.length - 1;
  while (low <= high) {
    const middle = (low + high) >> 1;
    const candidate = candidates[middle];
    if (!candidate) {
      return undefined;
    }
    if (index < candidate.statement.start) {
      high = middle - 1;
    } else if (index >= candidate.statement.end) {
      low = middle + 1;
    } else {
      return candidate;
    }
  }
  return undefined;
}

/** The region of one statement, for tree-sitter's `includedRanges`. */
export function regionOf(text: string, statement: TopLevelStatement): TextRegion {
  const lastNewline = text.lastIndexOf('\n', statement.end - 1);
  // A statement ends after its newline (column 0 of the next line) unless the file ends first.
  const endsWithNewline = lastNewline === statement.end - 1;
  const endPosition = endsWithNewline
    ? { row: statement.endLine, column: 0 }
    : { row: statement.endLine, column: statement.end - (lastNewline + 1) };
  return {
    startIndex: statement.start,
    endIndex: statement.end,
    startPosition: { row: statement.startLine, column: 0 },
    endPosition,
  };
}

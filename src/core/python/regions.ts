/**
 * Chooses the top-level statements worth parsing. Parsing is the dominant cost of the analysis
 * (tree-sitter's WebAssembly build reads about 2 MB/s), and most statements of a PyTorch project
 * cannot hold a normalization site or context evidence. The choice is made on the text alone and
 * is conservative: a statement is kept when it mentions a norm-like word, a word bound to one by
 * another kept statement, or evidence the context needs; the imports, module constants and classes
 * such statements refer to are kept with them. Kept statements are parsed as included ranges, so
 * every position in the tree is still a position in the whole file.
 */
import type { NormLikeCall, NormMention } from './lexical-scan';
import {
  BoundNameTest,
  CONTEXT_EVIDENCES,
  CountedWords,
  definesFunction,
  NORM_NAME,
  OpaqueSpans,
  lineMatches,
  mayBeReference,
  mayHoldSite,
  normLayerArguments,
  normLikeCalls,
  normMentions,
  normNameMatches,
  rangeAt,
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
  | { readonly type: 'all'; readonly state?: PlanState }
  | {
      readonly type: 'regions';
      readonly regions: readonly TextRegion[];
      readonly state: PlanState;
    };

/** What the plan learned, so that an edit can be judged locally. */
export interface PlanState {
  readonly statements: readonly TopLevelStatement[];
  readonly kept: readonly boolean[];
  /** Words the kept statements use, and names that make a statement relevant. */
  readonly used: Pick<ReadonlySet<string>, 'has'>;
  readonly tainted: ReadonlySet<string>;
  /** The statements kept for what they say, whose words are used (not kept for an import only). */
  readonly counted?: readonly boolean[];
  /**
   * The statements kept first, for a norm name, call or `norm_layer=` of their own, before any
   * name spread: what they bind is tainted from the start.
   */
  readonly seeded?: readonly boolean[];
  /** Names of the norm-like calls of the file: whether each is bound decides what is kept. */
  readonly callNames?: ReadonlySet<string>;
  /**
   * Names whose use decides what is kept, a superset: the module-level assigned names (constants a
   * kept statement pulls in) and the words of nested imports.
   */
  readonly watched?: ReadonlySet<string>;
}

const IMPORT_START = /^(?:import|from)\b/;
/** Patterns over lines holding `import`, see {@link lineMatches}. */
const ANY_IMPORT = /^[ \t]*(?:from[ \t]+[\w.]+[ \t]+)?import[ \t]+(?:\([^)]*\)|[^\n]*)/my;
const STAR_IMPORT = /^[ \t]*from[ \t]+[\w.]+[ \t]+import[ \t]+\*/my;
const CLASS_NAME = /^class\s+([A-Za-z_]\w*)/m;
const CLASS_OR_DECORATOR = /^(?:class\b|@)/;
const ASSIGNED_NAMES = /^([A-Za-z_]\w*(?:\s*,\s*[A-Za-z_]\w*)*)\s*(?::[^=\n]*)?=(?!=)/;
/** An import inside a function or block, possibly parenthesised over several lines. */
const NESTED_IMPORT = /^[ \t]+(?:from[ \t]+[\w.]+[ \t]+)?import[ \t]+(?:\([^)]*\)|[^\n]*)/my;
const IMPORT = 'import';
const TOKENS = /[A-Za-z_][A-Za-z0-9_]*/g;
const WORD = /^\w+$/;

/**
 * True when an import the planner reads (at any depth) overlaps `[start, end)`, or starts before
 * it with a bracket left open: an edit there could change the names imports bind.
 */
export function importReaches(text: string, start: number, end: number): boolean {
  // An import's bracket opened before the last `)` ahead of `start` closes before `start`, so only
  // imports from that line on can reach it (a match hidden by an earlier one is tried too: safe).
  const from = text.lastIndexOf('\n', text.lastIndexOf(')', start - 1)) + 1;
  for (const pattern of [ANY_IMPORT, NESTED_IMPORT]) {
    for (const match of lineMatches(text, IMPORT, pattern, from)) {
      if (match.index >= end) {
        break;
      }
      const unclosed = match[0].includes('(') && !match[0].endsWith(')');
      if (match.index + match[0].length > start || unclosed) {
        return true;
      }
    }
  }
  return false;
}

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
  const names = normNameMatches(text);
  if (!mayHoldSite(text, names)) {
    return { type: 'none' };
  }
  const spans: number[] = [];
  const planning = new Planning(text, splitStatements(text, spans));
  const opaque = new OpaqueSpans(spans);
  const { candidates } = planning;
  for (const mention of normMentions(text, opaque, names)) {
    const at = planning.at(mention.index);
    const candidate = candidates[at];
    if (candidate && !candidate.kept && isFollowed(mention, candidate)) {
      planning.keep(at);
    }
  }
  const references = new ReferenceNames(text);
  for (const call of normLikeCalls(text, opaque)) {
    planning.callNames.add(call.name);
    const at = planning.at(call.index);
    // A kept statement needs no reason more, so most calls are settled without a look at names.
    if (candidates[at]?.kept === false && references.follows(call)) {
      planning.keep(at);
    }
  }
  for (const index of normLayerArguments(text, opaque)) {
    planning.keep(planning.at(index));
  }
  planning.seeded = candidates.map((candidate) => candidate.kept);
  planning.propagate();
  if (!candidates.some((candidate) => candidate.kept && !candidate.isImport)) {
    return { type: 'none', state: planning.state() };
  }
  // Context only matters once the file has a site; its constants come along as usual.
  for (const at of planning.openMatching(CONTEXT_EVIDENCES)) {
    planning.keep(at);
  }
  planning.propagate();
  planning.keepNestedImports();
  if (candidates.every((candidate) => candidate.kept || candidate.isImport)) {
    return { type: 'all', state: planning.state() };
  }
  const regions = candidates
    .filter((candidate) => candidate.kept || candidate.isImport)
    .map((candidate) => regionOf(text, candidate.statement));
  return { type: 'regions', regions, state: planning.state() };
}

/**
 * True when a norm name makes the statement holding it a site or a reference to follow: called,
 * bound, a class base after a comma (followed like the first one), or named by an import.
 */
export function isFollowed(mention: NormMention, candidate: Candidate): boolean {
  return (
    mention.use === 'call' ||
    mention.use === 'bound' ||
    (mention.use === 'listed' && candidate.isClass) ||
    candidate.isImport
  );
}

/** One planning pass over a text: its statements, which are kept, and the names that spread. */
class Planning {
  readonly candidates: readonly Candidate[];
  readonly callNames = new Set<string>();
  seeded: readonly boolean[] = [];
  private readonly watched = new Set<string>();
  private readonly statements: readonly TopLevelStatement[];
  private readonly used: CountedWords;
  private readonly tainted = new Set<string>();
  /**
   * Tainted names already searched for: every statement mentioning one is kept, so they need no
   * second search. Undefined once a tainted name is not a plain word, whose pattern may not be a
   * plain alternative; all names are then searched together each time.
   */
  private searched: Set<string> | undefined = new Set();

  constructor(
    private readonly text: string,
    statements: readonly TopLevelStatement[],
  ) {
    this.statements = statements;
    this.candidates = statements.map((statement) => describe(text, statement));
    this.used = new CountedWords(text, statements);
    for (const candidate of this.candidates) {
      for (const name of candidate.assigns) {
        this.watched.add(name);
      }
    }
  }

  /** The index of the statement holding `index`, or -1. */
  at(index: number): number {
    return rangeAt(this.statements, index);
  }

  /**
   * Keeps a statement (when not kept yet): the words it uses may be constants or imports to keep,
   * and, when it `taints`, the names it binds (an import's names, a constant, a class) make the
   * statements that mention them relevant.
   */
  keep(at: number, taints = true): void {
    const candidate = this.candidates[at];
    if (!candidate || candidate.kept) {
      return;
    }
    candidate.kept = true;
    this.used.count(at);
    if (!taints) {
      return;
    }
    const binds = candidate.isImport
      ? importedNames(candidate.text, true)
      : [...candidate.assigns, ...candidate.classes];
    for (const name of binds) {
      this.tainted.add(name);
    }
  }

  /**
   * Keeps statements that mention a tainted name, and the module constants kept statements use (a
   * constant pulled in for its value does not taint: its name is not a norm reference).
   */
  propagate(): void {
    const { candidates, used } = this;
    let changed = true;
    while (changed) {
      changed = false;
      const mentioning = this.openMatching(wordPattern(this.unsearched(), 'g'));
      // A name assigned more than once is not a constant, so all its assignments go together.
      const open = candidates.filter((candidate) => !candidate.kept);
      used.lookUp(open.flatMap((candidate) => candidate.assigns));
      const pulled = new Set(
        open
          .filter((candidate) => candidate.assigns.some((name) => used.has(name)))
          .flatMap((candidate) => candidate.assigns),
      );
      candidates.forEach((candidate, at) => {
        if (candidate.kept) {
          return;
        }
        if (mentioning.has(at)) {
          this.keep(at);
          changed = true;
        } else if (candidate.assigns.some((name) => pulled.has(name))) {
          this.keep(at, false);
          changed = true;
        }
      });
    }
  }

  /** The tainted names to search for, which are then taken as searched. */
  private unsearched(): ReadonlySet<string> {
    const searched = this.searched;
    if (!searched || [...this.tainted].some((name) => !searched.has(name) && !WORD.test(name))) {
      this.searched = undefined;
      return this.tainted;
    }
    const names = new Set([...this.tainted].filter((name) => !searched.has(name)));
    for (const name of names) {
      searched.add(name);
    }
    return names;
  }

  /**
   * The statements not kept yet whose text matches `pattern` (global): one pass over the whole
   * file, or over the statements themselves when they are the smaller part of it.
   */
  openMatching(pattern: RegExp | undefined): Set<number> {
    const { candidates, text } = this;
    const matching = new Set<number>();
    if (!pattern) {
      return matching;
    }
    let openLength = 0;
    for (const candidate of candidates) {
      openLength += candidate.kept ? 0 : candidate.statement.end - candidate.statement.start;
    }
    if (openLength * 2 < text.length) {
      candidates.forEach((candidate, at) => {
        pattern.lastIndex = 0;
        if (!candidate.kept && pattern.test(candidate.text)) {
          matching.add(at);
        }
      });
      return matching;
    }
    for (const match of text.matchAll(pattern)) {
      const at = this.at(match.index);
      if (this.candidates[at]?.kept === false) {
        matching.add(at);
      }
    }
    return matching;
  }

  /** Keeps statements holding a nested import of a name that kept statements use. */
  keepNestedImports(): void {
    const imports = [...lineMatches(this.text, IMPORT, NESTED_IMPORT)].map((match) => ({
      index: match.index,
      names: (match[0].match(TOKENS) ?? []).filter((name) => name !== 'import' && name !== 'from'),
    }));
    const words = imports.flatMap((nested) => nested.names);
    for (const word of words) {
      this.watched.add(word);
    }
    this.used.lookUp(words);
    for (const match of imports) {
      if (!match.names.some((name) => this.used.has(name))) {
        continue;
      }
      // Kept for the import only: the statement's own words are not counted as used.
      const owner = this.candidates[this.at(match.index)];
      if (owner) {
        owner.kept = true;
      }
    }
  }

  /** What the plan learned, for re-planning after edits. */
  state(): PlanState {
    return {
      statements: this.statements,
      kept: this.candidates.map((candidate) => candidate.kept || candidate.isImport),
      used: this.used,
      tainted: this.tainted,
      counted: this.used.countedRanges,
      seeded: this.seeded,
      callNames: this.callNames,
      watched: this.watched,
    };
  }
}

/**
 * What the text says about the names norm-like calls may go through, each part read when first
 * needed: most files ask about few names, or none.
 */
class ReferenceNames {
  private starImport: boolean | undefined;
  private imported: Set<string> | undefined;
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
    const unreferable = { has: (name: string) => this.neverReferences(name) };
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
   * True for a bare name a call cannot resolve through as a reference: an imported name (it
   * resolves through the imports) and, unless a star import could shadow it, a function defined
   * here.
   */
  private neverReferences(name: string): boolean {
    if (!this.imported) {
      this.imported = new Set();
      for (const match of lineMatches(this.text, IMPORT, ANY_IMPORT)) {
        for (const imported of importedNames(match[0], false)) {
          this.imported.add(imported);
        }
      }
    }
    return this.imported.has(name) || (!this.hasStarImport() && definesFunction(this.text, name));
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
    assigns: assigned?.match(TOKENS) ?? [],
    classes: className ? [className] : [],
    isClass: className !== undefined,
    kept: false,
  };
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

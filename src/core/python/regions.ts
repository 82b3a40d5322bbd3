/**
 * Chooses the top-level statements worth parsing. Parsing is the dominant cost of the analysis
 * (tree-sitter's WebAssembly build reads about 2 MB/s), and most statements of a PyTorch project
 * cannot hold a normalization site or context evidence. The choice is made on the text alone and
 * is conservative: a statement is kept when it mentions a norm-like word, a word bound to one by
 * another kept statement, or evidence the context needs; the imports, module constants and classes
 * such statements refer to are kept with them. Kept statements are parsed as included ranges, so
 * every position in the tree is still a position in the whole file.
 */
import type { TopLevelStatement } from './statements';
import { splitStatements } from './statements';

/** A range of the file for tree-sitter's `includedRanges`, with rows and UTF-16 columns. */
export interface TextRegion {
  readonly startIndex: number;
  readonly endIndex: number;
  readonly startPosition: { readonly row: number; readonly column: number };
  readonly endPosition: { readonly row: number; readonly column: number };
}

/** What to parse: nothing, everything, or the listed regions in file order. */
export type ParsePlan =
  | { readonly type: 'none'; readonly state: PlanState }
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

/** An edit in UTF-16 indices, with the line count it adds (negative when it removes lines). */
export interface PlanEdit {
  readonly startIndex: number;
  readonly oldEndIndex: number;
  readonly newEndIndex: number;
  readonly lineDelta: number;
}

/** Names of the norm callables: every direct site and every resolved reference spells one. */
const NORM_NAME =
  /BatchNorm|InstanceNorm|LayerNorm|GroupNorm|RMSNorm|LocalResponseNorm|CrossMapLRN|(?:batch|layer|instance|group|rms|local_response)_norm/;

/**
 * A call of a norm-like name (`norm_layer(`, `self.bn(`, `norms[key](`), which the
 * extraction lists as unresolved when it cannot follow it. Attribute calls other than `self.x(`
 * are never references, so they are not matched.
 */
const NORM_LIKE_CALL = /(?<![\w.])(?:self\.)?([A-Za-z_]\w*)\s*(?:\(|\[[^\]\n]*\]\s*\()/g;
const NORM_LIKE = /norm|bn\b|^bn/i;
const NORM_LIKE_DEFINITION = /\bdef[ \t]+\w*(?:norm|bn)/i;

/**
 * Context evidence the parser must see: data loaders, low precision, mode switches and batch-size
 * hints (argparse options, config keys, example inputs).
 */
const CONTEXT_EVIDENCE =
  /DataLoader|autocast|float16|\.half\(|\bhalf\b|\.eval\(|\.train\(|requires_grad_|convert_sync_batchnorm|batch[-_]?size|\bbs\b|\brandn?\(/i;

const WORD = /[A-Za-z_][A-Za-z0-9_]*/g;
const IMPORT_START = /^(?:import|from)\b/;
const ANY_IMPORT = /^[ \t]*(?:from[ \t]+[\w.]+[ \t]+)?import[ \t]+(?:\([^)]*\)|[^\n]*)/gm;
const STAR_IMPORT = /^[ \t]*from[ \t]+[\w.]+[ \t]+import[ \t]+\*/m;
const DEFINED_FUNCTION = /\bdef[ \t]+([A-Za-z_]\w*)/g;
const CLASS_NAME = /^class\s+([A-Za-z_]\w*)/m;
const ASSIGNED_NAMES = /^([A-Za-z_]\w*(?:\s*,\s*[A-Za-z_]\w*)*)\s*(?::[^=\n]*)?=(?!=)/;
/** An import inside a function or block, possibly parenthesised over several lines. */
const NESTED_IMPORT = /^[ \t]+(?:from[ \t]+[\w.]+[ \t]+)?import[ \t]+(?:\([^)]*\)|[^\n]*)/gm;

interface Candidate {
  readonly statement: TopLevelStatement;
  readonly text: string;
  readonly isImport: boolean;
  /** Names a top-level assignment binds. */
  readonly assigns: readonly string[];
  /** The name of a top-level class. */
  readonly classes: readonly string[];
  kept: boolean;
}

/** Decides which parts of `text` to parse. */
export function planParse(text: string): ParsePlan {
  const candidates = splitStatements(text).map((statement) => describe(text, statement));
  const unreferable = namesThatAreNeverReferences(text);
  const used = new Set<string>();
  const tainted = new Set<string>();
  for (const candidate of candidates) {
    if (NORM_NAME.test(candidate.text) || callsNormLikeName(candidate.text, unreferable)) {
      keep(candidate, used, tainted);
    }
  }
  propagate(candidates, used, tainted);
  if (!candidates.some((candidate) => candidate.kept && !candidate.isImport)) {
    return { type: 'none', state: stateOf(candidates, used, tainted) };
  }
  // Context only matters once the file has a site; its constants come along as usual.
  for (const candidate of candidates) {
    if (!candidate.kept && CONTEXT_EVIDENCE.test(candidate.text)) {
      keep(candidate, used, tainted);
    }
  }
  propagate(candidates, used, tainted);
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
 * The plan after one edit among skipped statements that stay skipped, found by rescanning only the
 * statements around the edit: later statements and regions only move. Undefined when the edit may
 * change what is kept (it touches a kept statement, or the new text mentions anything relevant);
 * the caller then plans afresh.
 */
export function replanAfterEdit(
  plan: ParsePlan,
  oldText: string,
  text: string,
  edit: PlanEdit,
): ParsePlan | undefined {
  if (plan.type === 'all') {
    return undefined;
  }
  const { statements, kept } = plan.state;
  const delta = edit.newEndIndex - edit.oldEndIndex;
  // The window: the statements the edit touches, one before (a commented-out header joins its
  // body to it) and one after (an edit can merge a statement with the next).
  const touchedFirst = statements.findIndex((statement) => statement.end > edit.startIndex);
  const afterEdit = statements.findIndex((statement) => statement.start >= edit.oldEndIndex);
  if (touchedFirst < 0 || afterEdit < 0) {
    return undefined;
  }
  const first = Math.max(0, touchedFirst - 1);
  const last = Math.min(statements.length - 1, afterEdit + 1);
  const firstStatement = statements[first];
  const lastStatement = statements[last];
  if (!firstStatement || !lastStatement || kept.slice(first, last + 1).some(Boolean)) {
    return undefined;
  }
  // Removing a function with a norm-like name could make calls to it count as references.
  if (NORM_LIKE_DEFINITION.test(oldText.slice(firstStatement.start, lastStatement.end))) {
    return undefined;
  }
  const windowEnd = lastStatement.end + delta;
  const split = splitStatements(text.slice(firstStatement.start, windowEnd));
  if (split[split.length - 1]?.end !== windowEnd - firstStatement.start) {
    return undefined;
  }
  const rescanned = split.map((statement) =>
    describe(text, {
      start: statement.start + firstStatement.start,
      end: statement.end + firstStatement.start,
      startLine: statement.startLine + firstStatement.startLine,
      endLine: statement.endLine + firstStatement.startLine,
    }),
  );
  if (rescanned.some((candidate) => mayMatter(candidate, plan.state))) {
    return undefined;
  }
  const move = (statement: TopLevelStatement): TopLevelStatement => ({
    start: statement.start + delta,
    end: statement.end + delta,
    startLine: statement.startLine + edit.lineDelta,
    endLine: statement.endLine + edit.lineDelta,
  });
  const later = statements.slice(last + 1);
  const moved = [
    ...statements.slice(0, first),
    ...rescanned.map((candidate) => candidate.statement),
    ...later.map(move),
  ];
  const state: PlanState = {
    ...plan.state,
    statements: moved,
    kept: [...kept.slice(0, first), ...rescanned.map(() => false), ...kept.slice(last + 1)],
  };
  if (plan.type === 'none') {
    return { type: 'none', state };
  }
  const regions = moved.filter((_, index) => state.kept[index]).map((s) => regionOf(text, s));
  return { type: 'regions', regions, state };
}

/**
 * True when a statement could hold a site, context, an import, a name kept statements need, or a
 * function whose norm-like name keeps calls to it from being taken for references.
 */
function mayMatter(candidate: Candidate, state: PlanState): boolean {
  const { text } = candidate;
  return (
    NORM_NAME.test(text) ||
    callsNormLikeName(text, new Set()) ||
    CONTEXT_EVIDENCE.test(text) ||
    /\bimport\b/.test(text) ||
    NORM_LIKE_DEFINITION.test(text) ||
    candidate.assigns.some((name) => state.used.has(name)) ||
    (wordPattern(state.tainted)?.test(text) ?? false)
  );
}

/**
 * Bare names a call cannot resolve through as a reference: imported names (they resolve through
 * the imports) and, unless a star import could shadow them, names of functions defined here.
 */
function namesThatAreNeverReferences(text: string): ReadonlySet<string> {
  const names = new Set<string>();
  for (const match of text.matchAll(ANY_IMPORT)) {
    for (const name of importedNames(match[0], false)) {
      names.add(name);
    }
  }
  if (!STAR_IMPORT.test(text)) {
    for (const match of text.matchAll(DEFINED_FUNCTION)) {
      if (match[1]) {
        names.add(match[1]);
      }
    }
  }
  return names;
}

/** True when the text calls or indexes a norm-like name that may be a reference. */
function callsNormLikeName(text: string, unreferable: ReadonlySet<string>): boolean {
  for (const match of text.matchAll(NORM_LIKE_CALL)) {
    const [call, name] = match;
    const isSelf = call.startsWith('self.');
    if (
      name &&
      NORM_LIKE.test(isSelf ? `self.${name}` : name) &&
      (isSelf || !unreferable.has(name))
    ) {
      return true;
    }
  }
  return false;
}

function describe(text: string, statement: TopLevelStatement): Candidate {
  const source = text.slice(statement.start, statement.end);
  const isImport = IMPORT_START.test(source);
  const className = CLASS_NAME.exec(source)?.[1];
  const assigned = className || isImport ? undefined : ASSIGNED_NAMES.exec(source)?.[1];
  return {
    statement,
    text: source,
    isImport,
    assigns: assigned?.match(WORD) ?? [],
    classes: className ? [className] : [],
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
  candidates: readonly Candidate[],
  used: Set<string>,
  tainted: Set<string>,
): void {
  let changed = true;
  while (changed) {
    changed = false;
    const mentionsTainted = wordPattern(tainted);
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
      if (mentionsTainted?.test(candidate.text)) {
        keep(candidate, used, tainted);
        changed = true;
      } else if (candidate.assigns.some((name) => pulled.has(name))) {
        keep(candidate, used);
        changed = true;
      }
    }
  }
}

/** Keeps statements holding a nested import of a name that kept statements use. */
function keepNestedImports(
  text: string,
  candidates: readonly Candidate[],
  used: Set<string>,
): void {
  for (const match of text.matchAll(NESTED_IMPORT)) {
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

/** A whole-word alternation of `words`, or undefined when there are none. */
function wordPattern(words: ReadonlySet<string>): RegExp | undefined {
  if (words.size === 0) {
    return undefined;
  }
  return new RegExp(`\\b(?:${[...words].join('|')})\\b`);
}

function regionOf(text: string, statement: TopLevelStatement): TextRegion {
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

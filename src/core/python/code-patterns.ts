/**
 * Facts about hand-written PyTorch code that rules read besides normalization sites: a copied
 * FrozenBatchNorm without epsilon, AdaIN's unbiased statistics, how the file runs its model
 * (distributed set-up, CPU moves, training) and reads of norm modules' state. A file holding none
 * of the tokens these patterns need is not parsed, and of one that does, only the top-level
 * statements holding them are (as included ranges, so positions stay those of the whole file).
 */
import type { Parser, Tree } from 'web-tree-sitter';
import { Edit } from 'web-tree-sitter';
import type { CodeFacts } from '../model';
import { textReader } from '../syntax/ranges';
import { STATISTICS_TOKEN, DEFINITION, findUnbiasedInstanceStats } from './code-patterns-adain';
import { RSQRT_TOKEN, findRsqrtWithoutEps } from './code-patterns-frozen-bn';
import {
  CPU_DEVICE_TOKEN,
  RUNTIME_TOKEN,
  STATE_READ,
  STATE_READS,
  findRuntimeEvidence,
  findStateReads,
  readsPlainSelf,
} from './code-patterns-runtime';
import type { TextChange } from './incremental';
import type { PlannedRegions } from './index';
import { parsePlanned } from './index';
import { OpaqueSpans, rangeAt } from './lexical-scan';
import { regionOf } from './regions';
import { shiftLines } from './shift';
import type { TopLevelStatement } from './statements';
import { splitStatements } from './statements';

/** Which finders run: each only when the file holds its tokens somewhere. */
interface Wanted {
  readonly rsqrt: boolean;
  readonly stats: boolean;
  readonly runtime: boolean;
  readonly state: boolean;
}

/**
 * Which facts about norm modules the file's sites can use: state reads serve InstanceNorm modules
 * (instancenorm-defaults), the runtime set-up SyncBatchNorm and convert_sync_batchnorm
 * (syncbn-misuse). The hand-written patterns (rsqrt, AdaIN statistics) need no site.
 */
export interface FactUses {
  readonly instanceNorm: boolean;
  readonly syncBatchNorm: boolean;
}

const EVERY_USE: FactUses = { instanceNorm: true, syncBatchNorm: true };

/** The finders `text` needs for `uses`, or undefined for none. */
function wantedIn(text: string, uses: FactUses): Wanted | undefined {
  const wanted = {
    rsqrt: text.includes('rsqrt'),
    // The statistics calls AdaIN code makes, found by native substring searches (a pattern over
    // the whole text costs more on every keystroke).
    stats: text.includes('.var(') || text.includes('.std('),
    // Runtime set-up matters to SyncBatchNorm (and convert_sync_batchnorm); state reads to
    // InstanceNorm sites.
    runtime:
      uses.syncBatchNorm &&
      (text.includes('SyncBatchNorm') || text.includes('convert_sync_batchnorm')),
    state: uses.instanceNorm && text.includes('InstanceNorm') && STATE_READ.test(text),
  };
  return Object.values(wanted).some(Boolean) ? wanted : undefined;
}

function sameWanted(a: Wanted | undefined, b: Wanted | undefined): boolean {
  return (
    a?.rsqrt === b?.rsqrt &&
    a?.stats === b?.stats &&
    a?.runtime === b?.runtime &&
    a?.state === b?.state
  );
}

/**
 * A way a top-level statement can hold what a finder reads: a match of `pattern` (global) in its
 * code, or anywhere with `inStrings`, that `accept` (when given) does not reject. Every test reads
 * the statement alone, so a statement is judged the same in the whole file and in an edited window.
 */
interface TokenTest {
  readonly pattern: RegExp;
  readonly inStrings?: boolean;
  readonly accept?: (text: string, index: number, statementStart: number) => boolean;
}

const TOKENS: Readonly<Record<keyof Wanted, readonly TokenTest[]>> = {
  rsqrt: [{ pattern: RSQRT_TOKEN }],
  stats: [{ pattern: STATISTICS_TOKEN }],
  runtime: [{ pattern: RUNTIME_TOKEN }, { pattern: CPU_DEVICE_TOKEN, inStrings: true }],
  state: [
    {
      pattern: STATE_READS,
      accept: (text, dot, statementStart) => !readsPlainSelf(text, dot, statementStart),
    },
  ],
};

/** The top-level statements of one text and which of them the wanted finders read. */
interface FactsPlan {
  readonly wanted: Wanted;
  readonly statements: readonly TopLevelStatement[];
  readonly kept: readonly boolean[];
  /**
   * What makes a statement kept. It depends on the kept statements only (calls to the functions
   * computing statistics are read too), so an edit elsewhere leaves it as it is.
   */
  readonly tokens: readonly TokenTest[];
}

/** Splits `text` and keeps the statements that hold a wanted finder's tokens. */
function planFacts(text: string, wanted: Wanted): FactsPlan {
  const spans: number[] = [];
  const statements = splitStatements(text, spans);
  const opaque = new OpaqueSpans(spans);
  const finders = (Object.keys(TOKENS) as (keyof Wanted)[]).filter((finder) => wanted[finder]);
  let tokens = finders.flatMap((finder) => TOKENS[finder]);
  if (wanted.stats) {
    const computing = markStatements(text, statements, opaque, TOKENS.stats);
    const names = new Set<string>();
    for (const match of text.matchAll(DEFINITION)) {
      if (computing[rangeAt(statements, match.index)] && !opaque.contains(match.index)) {
        names.add(match[1] ?? '');
      }
    }
    names.delete('');
    if (names.size > 0) {
      const alternatives = [...names].map((name) => name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
      tokens = [...tokens, { pattern: new RegExp(alternatives.join('|'), 'g') }];
    }
  }
  return { wanted, statements, kept: markStatements(text, statements, opaque, tokens), tokens };
}

/** Which of `statements` (of `text`, in order) hold a match of one of `tests`. */
function markStatements(
  text: string,
  statements: readonly TopLevelStatement[],
  opaque: OpaqueSpans,
  tests: readonly TokenTest[],
): boolean[] {
  const marked = statements.map(() => false);
  for (const test of tests) {
    for (const match of text.matchAll(test.pattern)) {
      const at = rangeAt(statements, match.index);
      const statement = statements[at];
      if (
        statement &&
        !marked[at] &&
        (test.inStrings || !opaque.contains(match.index)) &&
        (!test.accept || test.accept(text, match.index, statement.start))
      ) {
        marked[at] = true;
      }
    }
  }
  return marked;
}

/** Parses the kept statements, reusing `oldTree` (edited to match `text`) when given. */
function parseKept(
  parser: Parser,
  text: string,
  plan: FactsPlan,
  oldTree: Tree | undefined,
): Tree | null {
  const { statements, kept } = plan;
  const parsed: PlannedRegions = kept.every(Boolean)
    ? { type: 'all' }
    : {
        type: 'regions',
        regions: statements.filter((_, index) => kept[index]).map((s) => regionOf(text, s)),
      };
  return parsePlanned(parser, text, parsed, oldTree);
}

/** What the finders found: nothing when no statement holds their tokens. */
const NO_FACTS: CodeFacts = {
  rsqrtWithoutEps: [],
  unbiasedInstanceStats: [],
  runtime: [],
  stateReads: [],
};

/** Runs the wanted finders over a tree; undefined when one of them fails. */
function factsIn(tree: Tree, text: string, wanted: Wanted): CodeFacts | undefined {
  try {
    const root = tree.rootNode;
    const read = textReader(text);
    return {
      rsqrtWithoutEps: wanted.rsqrt ? findRsqrtWithoutEps(root, read) : [],
      unbiasedInstanceStats: wanted.stats ? findUnbiasedInstanceStats(root, read) : [],
      runtime: wanted.runtime ? findRuntimeEvidence(root, read) : [],
      stateReads: wanted.state ? findStateReads(root, read) : [],
    };
  } catch {
    // A pattern finder's bug must not cost the file its other findings.
    return undefined;
  }
}

/**
 * The code facts of one Python text, parsing only the top-level statements that hold one of the
 * patterns' tokens. Undefined when the text holds none (or the parser fails). Never throws for any
 * text (beyond a {@link ParserFailure} of the parser itself).
 */
export function findCodeFacts(
  parser: Parser,
  text: string,
  uses: FactUses = EVERY_USE,
): CodeFacts | undefined {
  const wanted = wantedIn(text, uses);
  if (!wanted) {
    return undefined;
  }
  const plan = planFacts(text, wanted);
  if (!plan.kept.some(Boolean)) {
    return NO_FACTS;
  }
  const tree = parseKept(parser, text, plan, undefined);
  if (!tree) {
    return undefined;
  }
  try {
    return factsIn(tree, text, wanted);
  } finally {
    tree.delete();
  }
}

/**
 * The code facts of an open document, kept between edits: an edit inside statements holding none
 * of the patterns' tokens (before and after it) only moves the facts below it, and any other edit
 * reparses incrementally from the previous tree. {@link facts} always equals
 * {@link findCodeFacts} of {@link text}. Call {@link dispose} when the document closes.
 */
export class CodeFactsDocument {
  private currentText: string;
  private plan: FactsPlan | undefined;
  private tree: Tree | undefined;
  private current: CodeFacts | undefined;

  constructor(
    private readonly parser: Parser,
    text: string,
    private uses: FactUses = EVERY_USE,
  ) {
    this.currentText = text;
    this.current = this.analyse();
  }

  /** The text last analysed. */
  get text(): string {
    return this.currentText;
  }

  /** The code facts of {@link text}. */
  get facts(): CodeFacts | undefined {
    return this.current;
  }

  /**
   * Replaces the text and finds its facts again. `changes` turn the previous text into `text`, in
   * the order they were applied; without them the text is parsed afresh. `uses` replaces the
   * facts the sites can use.
   */
  update(
    text: string,
    changes?: readonly TextChange[],
    uses: FactUses = this.uses,
  ): CodeFacts | undefined {
    this.uses = uses;
    const [only, ...more] = changes ?? [];
    if (only && more.length === 0 && this.moveOnly(text, only)) {
      return this.current;
    }
    if (changes && this.tree) {
      for (const change of changes) {
        this.tree.edit(new Edit(change));
      }
    } else {
      this.dropTree();
    }
    this.currentText = text;
    this.current = this.analyse();
    return this.current;
  }

  /** Frees the syntax tree. The document must not be used afterwards. */
  dispose(): void {
    this.dropTree();
  }

  /**
   * Handles an edit that cannot change the facts: the same finders are wanted and the statements
   * around the edit hold none of their tokens, before and after. The facts below it move by the
   * lines it added or removed. False when the edit may matter.
   */
  private moveOnly(text: string, change: TextChange): boolean {
    const wanted = wantedIn(text, this.uses);
    if (!sameWanted(wanted, this.plan?.wanted)) {
      return false;
    }
    const lineDelta = change.newEndPosition.row - change.oldEndPosition.row;
    const plan = this.plan && replan(this.plan, text, change, lineDelta);
    if (this.plan && !plan) {
      return false;
    }
    this.tree?.edit(new Edit(change));
    this.currentText = text;
    this.plan = plan;
    this.current = shiftLines(this.current, change.startPosition.row, lineDelta);
    return true;
  }

  private analyse(): CodeFacts | undefined {
    const wanted = wantedIn(this.currentText, this.uses);
    this.plan = wanted && planFacts(this.currentText, wanted);
    if (!this.plan?.kept.some(Boolean)) {
      this.dropTree();
      return this.plan ? NO_FACTS : undefined;
    }
    const oldTree = this.tree;
    this.tree = undefined;
    try {
      this.tree = parseKept(this.parser, this.currentText, this.plan, oldTree) ?? undefined;
    } finally {
      oldTree?.delete();
    }
    return this.tree && factsIn(this.tree, this.currentText, this.plan.wanted);
  }

  private dropTree(): void {
    this.tree?.delete();
    this.tree = undefined;
  }
}

/**
 * The plan after an edit that leaves every kept statement as it was, found by splitting only the
 * statements around the edit again: from the one before it (an edit can make a clause or an
 * indented body of the statement above) to the first one after it, which must start again where it
 * did (else the edit left a string or bracket open, or merged statements). Undefined when a
 * statement the edit touches is or becomes kept, or the split beyond them may change.
 */
function replan(
  plan: FactsPlan,
  text: string,
  change: TextChange,
  lineDelta: number,
): FactsPlan | undefined {
  const { statements, kept } = plan;
  const touched = firstIndex(statements, (s) => s.end > change.startIndex);
  const after = firstIndex(statements, (s) => s.start >= change.oldEndIndex);
  if (kept.slice(touched, after).some(Boolean)) {
    return undefined;
  }
  const first = Math.max(0, touched - 1);
  const delta = change.newEndIndex - change.oldEndIndex;
  const start = first === 0 ? { index: 0, line: 0 } : startOf(statements[first]);
  const next = statements[after];
  const window = text.slice(start.index, next ? next.end + delta : text.length);
  const spans: number[] = [];
  const split = splitStatements(window, spans);
  if (next && split[split.length - 1]?.start !== next.start + delta - start.index) {
    return undefined;
  }
  if (next) {
    split.pop();
  }
  const rescannedKept = markStatements(window, split, new OpaqueSpans(spans), plan.tokens);
  const rescanned = split.map((s) => ({
    start: s.start + start.index,
    end: s.end + start.index,
    startLine: s.startLine + start.line,
    endLine: s.endLine + start.line,
  }));
  // Only the statement above the edit may be kept, and only as it was.
  const above = first < touched && kept[first] === true ? statements[first] : undefined;
  const keptAsBefore = rescanned.every((s, index) =>
    index === 0 && above
      ? rescannedKept[index] === true && s.start === above.start && s.end === above.end
      : rescannedKept[index] === false,
  );
  if (!keptAsBefore || (above && rescanned.length === 0)) {
    return undefined;
  }
  const moved = statements.slice(after).map((s) => ({
    start: s.start + delta,
    end: s.end + delta,
    startLine: s.startLine + lineDelta,
    endLine: s.endLine + lineDelta,
  }));
  return {
    ...plan,
    statements: [...statements.slice(0, first), ...rescanned, ...moved],
    kept: [...kept.slice(0, first), ...rescannedKept, ...kept.slice(after)],
  };
}

/** The index of the first statement matching, or the count when none does. */
function firstIndex(
  statements: readonly TopLevelStatement[],
  matches: (statement: TopLevelStatement) => boolean,
): number {
  const index = statements.findIndex(matches);
  return index < 0 ? statements.length : index;
}

function startOf(statement: TopLevelStatement | undefined): { index: number; line: number } {
  return statement ? { index: statement.start, line: statement.startLine } : { index: 0, line: 0 };
}

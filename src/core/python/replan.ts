/**
 * Re-planning after an edit without rescanning the whole file: an edit inside statements that were
 * skipped, and stay skipped, only moves the statements and regions after it; an edit inside the
 * body of a kept statement that changes nothing the plan reads from it only rescans that statement.
 */
import {
  CONTEXT_EVIDENCE,
  CountedWords,
  NORM_LIKE_DEFINITION,
  OpaqueSpans,
  definedNames,
  mayBeReference,
  mayHoldSite,
  normLayerArguments,
  normLikeCalls,
  normMentions,
  partialNames,
  rangeAt,
  wantedBindings,
  wordPattern,
} from './lexical-scan';
import type { Candidate, ParsePlan, PlanState } from './regions';
import { describe, importReaches, isFollowed, regionOf } from './regions';
import type { TopLevelStatement } from './statements';
import { headerEnd, splitClosedStatements, splitStatements } from './statements';

/** An edit in UTF-16 indices, with the line count it adds (negative when it removes lines). */
export interface PlanEdit {
  readonly startIndex: number;
  readonly oldEndIndex: number;
  readonly newEndIndex: number;
  readonly lineDelta: number;
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
  if (!plan.state) {
    // The file mentioned nothing norm-like: it still needs no parse unless the edit changed that.
    return mayHoldSite(text) ? undefined : plan;
  }
  const state = plan.state;
  const { statements, kept } = state;
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
  const window = text.slice(firstStatement.start, windowEnd);
  const spans: number[] = [];
  // A bracket or string the edit leaves open would run on past the window.
  const split =
    windowEnd === text.length
      ? splitStatements(window, spans)
      : splitClosedStatements(window, spans);
  if (!split || split[split.length - 1]?.end !== windowEnd - firstStatement.start) {
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
  const codeMatters = windowCodeMatters(window, new OpaqueSpans(spans), plan.type !== 'none');
  if (codeMatters || rescanned.some((candidate) => mayMatter(candidate, state))) {
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
  const skipped = rescanned.map(() => false);
  const { counted, seeded, watched } = state;
  const next: PlanState = {
    ...state,
    statements: moved,
    kept: [...kept.slice(0, first), ...skipped, ...kept.slice(last + 1)],
    ...(counted && {
      counted: [...counted.slice(0, first), ...skipped, ...counted.slice(last + 1)],
    }),
    ...(seeded && {
      seeded: [...seeded.slice(0, first), ...skipped, ...seeded.slice(last + 1)],
    }),
    // New assignments are watched too, in case a later edit makes a kept statement use them.
    ...(watched && {
      watched: new Set([...watched, ...rescanned.flatMap((candidate) => candidate.assigns)]),
    }),
  };
  if (plan.type === 'none') {
    return { type: 'none', state: next };
  }
  const regions = moved.filter((_, index) => next.kept[index]).map((s) => regionOf(text, s));
  return { type: 'regions', regions, state: next };
}

/**
 * True when the code of an edited window could hold a site, or context evidence when the file
 * has sites (`withContext`), judged as {@link planParse} does (comments and strings aside); any
 * norm name a reference may follow counts, whatever statement holds it.
 */
function windowCodeMatters(window: string, opaque: OpaqueSpans, withContext: boolean): boolean {
  for (const mention of normMentions(window, opaque)) {
    if (mention.use !== 'other') {
      return true;
    }
  }
  for (const call of normLikeCalls(window, opaque)) {
    if (mayBeReference(call, new Set())) {
      return true;
    }
  }
  return (
    !normLayerArguments(window, opaque).next().done ||
    (withContext && CONTEXT_EVIDENCE.test(window))
  );
}

/**
 * True when a statement could hold an import, a name kept statements need, or a
 * function whose norm-like name keeps calls to it from being taken for references.
 */
function mayMatter(candidate: Candidate, state: PlanState): boolean {
  const { text } = candidate;
  return (
    /\bimport\b/.test(text) ||
    NORM_LIKE_DEFINITION.test(text) ||
    candidate.assigns.some((name) => state.used.has(name)) ||
    (wordPattern(state.tainted)?.test(text) ?? false)
  );
}

/** A plan after an edit, with the kept statements the edit changed. */
export interface Replan {
  readonly plan: ParsePlan;
  /**
   * Indices, among the new plan's statements, of the kept statements the edit changed and that
   * were scanned again (their extraction is stale); empty when only skipped statements changed.
   */
  readonly rescanned: readonly number[];
}

/**
 * The plan after one edit, found locally when the edit allows it: among skipped statements
 * ({@link replanAfterEdit}) or inside the body of one kept statement ({@link replanAfterKeptEdit}).
 * Undefined when only planning the whole text afresh can tell.
 */
export function replanEdit(
  plan: ParsePlan,
  oldText: string,
  text: string,
  edit: PlanEdit,
): Replan | undefined {
  const skipped = replanAfterEdit(plan, oldText, text, edit);
  return skipped
    ? { plan: skipped, rescanned: [] }
    : replanAfterKeptEdit(plan, oldText, text, edit);
}

/**
 * The plan after one edit inside the body of a kept statement (past its header), found by
 * rescanning that statement and the lines the edit touched: what is kept stays kept, the statement
 * and those after it only move. The statement must be one kept for a norm name, call or
 * `norm_layer=` of its own (not for a name another statement binds) and stay so. The result, when there is one, is what {@link planParse} gives.
 * Undefined whenever the edit could change what is kept: it changes the statements' extents or
 * the names the statement binds, touches an import or `partial`, binds or defines the name of a
 * norm-like call, adds or removes the last use of a name a constant or nested import is kept
 * for, or leaves the statement no norm name or `norm_layer=` of its own to be kept for.
 */
export function replanAfterKeptEdit(
  plan: ParsePlan,
  oldText: string,
  text: string,
  edit: PlanEdit,
): Replan | undefined {
  const state = plan.state;
  if (plan.type === 'none' || !state?.seeded || !state.callNames || !state.watched) {
    return undefined;
  }
  const at = rangeAt(state.statements, edit.startIndex);
  const statement = state.statements[at];
  const delta = edit.newEndIndex - edit.oldEndIndex;
  const local =
    statement !== undefined &&
    // Kept from the start, before any name spread, so the edit cannot change when it is kept.
    state.seeded[at] === true &&
    text.length === oldText.length + delta &&
    edit.oldEndIndex < statement.end &&
    edit.startIndex >= headerEnd(oldText, statement) &&
    [...state.tainted].every((name) => PLAIN_WORD.test(name));
  if (!local || !linesKeepFacts(state, oldText, text, edit)) {
    return undefined;
  }
  const spans: number[] = [];
  const statements = splitAgain(state.statements, at, text, edit, spans);
  const edited = statements?.[at];
  const opaque = new OpaqueSpans(spans.map((index) => index - (edited?.start ?? 0)));
  if (!statements || !edited || !stillKept(state, oldText, text, at, edited, edit, opaque)) {
    return undefined;
  }
  const callNames = new Set(state.callNames);
  for (const call of normLikeCalls(text.slice(edited.start, edited.end))) {
    callNames.add(call.name);
  }
  const next: PlanState = {
    ...state,
    statements,
    used: new CountedWords(text, statements, state.counted ?? []),
    callNames,
  };
  if (plan.type === 'all') {
    return { plan: { type: 'all', state: next }, rescanned: [at] };
  }
  const regions = statements.filter((_, index) => next.kept[index]).map((s) => regionOf(text, s));
  return { plan: { type: 'regions', regions, state: next }, rescanned: [at] };
}

/** A name the planner's word patterns treat as a plain alternative. */
const PLAIN_WORD = /^\w+$/;
const IMPORT_OR_PARTIAL = /import|partial/;
const BLANK = /^\s*$/;
const TOKEN = /[A-Za-z_][A-Za-z0-9_]*/g;
/** The characters a norm name's use is read across: spaces, line breaks and continuations. */
const SPACE = /[ \t\n\r\f\\]/;

/**
 * The statements after the edit, with the one at `at` scanned again together with the next one
 * (their comment and string spans are appended to `spans`): undefined unless they split where they
 * did before (the edit neither merged nor split them).
 */
function splitAgain(
  statements: readonly TopLevelStatement[],
  at: number,
  text: string,
  edit: PlanEdit,
  spans: number[],
): TopLevelStatement[] | undefined {
  const delta = edit.newEndIndex - edit.oldEndIndex;
  const move = (statement: TopLevelStatement, moved: boolean): TopLevelStatement => ({
    start: statement.start + (moved ? delta : 0),
    end: statement.end + delta,
    startLine: statement.startLine + (moved ? edit.lineDelta : 0),
    endLine: statement.endLine + edit.lineDelta,
  });
  const after = statements.slice(at).map((statement, index) => move(statement, index > 0));
  const window = after.slice(0, 2);
  const first = window[0];
  const last = window[window.length - 1];
  if (!first || !last) {
    return undefined;
  }
  const part = text.slice(first.start, last.end);
  const split =
    last.end === text.length ? splitStatements(part, spans) : splitClosedStatements(part, spans);
  // The spans, found in the part, are made indices of the text.
  spans.forEach((index, position) => (spans[position] = index + first.start));
  const same =
    split?.length === window.length &&
    split.every((statement, index) => {
      const expected = window[index];
      return (
        statement.start + first.start === expected?.start &&
        statement.end + first.start === expected.end &&
        statement.startLine + first.startLine === expected.startLine &&
        statement.endLine + first.startLine === expected.endLine
      );
    });
  return same ? [...statements.slice(0, at), ...after] : undefined;
}

/**
 * True when the lines the edit touched say the same to the planner before and after it: the same
 * bindings and definitions of call names, no import and no `partial`, and no change in whether a
 * watched name is used.
 */
function linesKeepFacts(state: PlanState, oldText: string, text: string, edit: PlanEdit): boolean {
  const callNames = state.callNames ?? new Set<string>();
  const start = oldText.lastIndexOf('\n', edit.startIndex - 1) + 1;
  const oldEnd = lineEnd(oldText, edit.oldEndIndex);
  const newEnd = lineEnd(text, edit.newEndIndex);
  const before = oldText.slice(start, oldEnd);
  const after = text.slice(start, newEnd);
  if (
    IMPORT_OR_PARTIAL.test(before) ||
    IMPORT_OR_PARTIAL.test(after) ||
    ((BLANK.test(before) || BLANK.test(after)) && listsAround(oldText, start, oldEnd, callNames)) ||
    listsAcross(oldText, start, oldEnd, before, callNames) ||
    listsAcross(text, start, newEnd, after, callNames)
  ) {
    return false;
  }
  let partials: ReadonlySet<string> | undefined;
  const partial = { has: (name: string) => (partials ??= partialNames(oldText)).has(name) };
  // A name on the edited lines may be listed after a bracket or comma just before them.
  let from = start;
  while (from > 0 && /\s/.test(oldText.charAt(from - 1))) {
    from--;
  }
  from = Math.max(0, from - 1);
  const oldBindings = wantedBindings(oldText, from, oldEnd, callNames, partial);
  const newBindings = wantedBindings(text, from, newEnd, callNames, partial);
  return (
    sameSet(oldBindings, newBindings) &&
    sameSet(
      [...definedNames(before)].filter((name) => callNames.has(name)),
      [...definedNames(after)].filter((name) => callNames.has(name)),
    ) &&
    !changedTokens(before, after).some((token) => state.watched?.has(token)) &&
    !importReaches(oldText, start, oldEnd)
  );
}

/** The index of the newline ending the line that holds `index`, or the text's length. */
function lineEnd(text: string, index: number): number {
  const newline = text.indexOf('\n', index);
  return newline < 0 ? text.length : newline;
}

/**
 * True when the lines `[start, end)` (`lines`) may take part in a listed name across lines: they
 * start with a comma or closing bracket after a call name, or end with an opening bracket or
 * comma before one.
 */
function listsAcross(
  text: string,
  start: number,
  end: number,
  lines: string,
  callNames: ReadonlySet<string>,
): boolean {
  const first = lines.trimStart().charAt(0);
  const last = lines.trimEnd().slice(-1);
  if (first === ',' || first === ')') {
    let wordEnd = start;
    while (wordEnd > 0 && /\s/.test(text.charAt(wordEnd - 1))) {
      wordEnd--;
    }
    let wordStart = wordEnd;
    while (wordStart > 0 && /\w/.test(text.charAt(wordStart - 1))) {
      wordStart--;
    }
    if (callNames.has(text.slice(wordStart, wordEnd))) {
      return true;
    }
  }
  if (last === '(' || last === ',') {
    let wordStart = end;
    while (/\s/.test(text.charAt(wordStart))) {
      wordStart++;
    }
    while (text.charAt(wordStart) === '*') {
      wordStart++;
    }
    let wordEnd = wordStart;
    while (/\w/.test(text.charAt(wordEnd))) {
      wordEnd++;
    }
    return callNames.has(text.slice(wordStart, wordEnd));
  }
  return false;
}

/**
 * True when a listed name may run across the blank lines `[start, end)` (a blank line stops no
 * list, a comment written on it does): a bracket or comma borders them, and a call name too.
 */
function listsAround(
  text: string,
  start: number,
  end: number,
  callNames: ReadonlySet<string>,
): boolean {
  let before = start;
  while (before > 0 && /\s/.test(text.charAt(before - 1))) {
    before--;
  }
  let after = end;
  while (/\s/.test(text.charAt(after))) {
    after++;
  }
  const bordered = /[(,]/.test(text.charAt(before - 1)) || /[,)]/.test(text.charAt(after));
  // Read as a line holding only a comma, the lines show the call names on either side.
  return bordered && listsAcross(text, start, end, ',', callNames);
}

/** The tokens whose number of occurrences differs between `before` and `after`. */
function changedTokens(before: string, after: string): string[] {
  const counts = new Map<string, number>();
  for (const token of before.match(TOKEN) ?? []) {
    counts.set(token, (counts.get(token) ?? 0) + 1);
  }
  for (const token of after.match(TOKEN) ?? []) {
    counts.set(token, (counts.get(token) ?? 0) - 1);
  }
  return [...counts].filter(([, count]) => count !== 0).map(([token]) => token);
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  const left = new Set(a);
  const right = new Set(b);
  return left.size === right.size && [...left].every((name) => right.has(name));
}

/**
 * True when the edited statement is kept after the edit for the same reasons that matter to the
 * rest of the file: it binds the same names (all of them tainted already), still holds a norm name
 * or `norm_layer=` of its own that keeps it, and still ends where later statements look back at it.
 */
function stillKept(
  state: PlanState,
  oldText: string,
  text: string,
  at: number,
  edited: TopLevelStatement,
  edit: PlanEdit,
  opaque: OpaqueSpans,
): boolean {
  const old = state.statements[at];
  if (!old) {
    return false;
  }
  const before = describe(oldText, old);
  const after = describe(text, edited);
  const binds = [...after.assigns, ...after.classes];
  const sameBinds =
    !before.isImport &&
    !after.isImport &&
    before.isClass === after.isClass &&
    before.assigns.join() === after.assigns.join() &&
    before.classes.join() === after.classes.join() &&
    binds.every((name) => state.tainted.has(name));
  return sameBinds && hasOwnReason(after, opaque) && endsAfter(text, edit.newEndIndex, edited.end);
}

/**
 * True when a statement holds, in code, a norm name it is kept for or a `norm_layer=` (`opaque`:
 * its comment and string spans, as indices of its text).
 */
function hasOwnReason(candidate: Candidate, opaque: OpaqueSpans): boolean {
  for (const mention of normMentions(candidate.text, opaque)) {
    if (isFollowed(mention, candidate)) {
      return true;
    }
  }
  return !normLayerArguments(candidate.text, opaque).next().done;
}

/**
 * True when what a later statement's norm name looks back at, across blank lines, lies in the
 * unedited `[from, end)`: the last character other than spaces and line continuations, and the one
 * before it when that is `(` or `=`.
 */
function endsAfter(text: string, from: number, end: number): boolean {
  const skipSpaces = (index: number): number => {
    let at = index;
    while (at >= from && SPACE.test(text.charAt(at))) {
      at--;
    }
    return at;
  };
  const last = skipSpaces(end - 1);
  const character = text.charAt(last);
  if (last < from) {
    return false;
  }
  if (character === '=') {
    return last - 1 >= from;
  }
  return character !== '(' || skipSpaces(last - 1) >= from;
}

/**
 * Re-planning after an edit without rescanning the whole file: an edit inside statements that were
 * skipped, and stay skipped, only moves the statements and regions after it.
 */
import {
  CONTEXT_EVIDENCE,
  NORM_LIKE_DEFINITION,
  OpaqueSpans,
  mayBeReference,
  mayHoldSite,
  normLayerArguments,
  normLikeCalls,
  normMentions,
  wordPattern,
} from './lexical-scan';
import type { Candidate, ParsePlan, PlanState } from './regions';
import { describe, regionOf } from './regions';
import type { TopLevelStatement } from './statements';
import { splitStatements } from './statements';

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
  const split = splitStatements(window, spans);
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
  const next: PlanState = {
    ...state,
    statements: moved,
    kept: [...kept.slice(0, first), ...rescanned.map(() => false), ...kept.slice(last + 1)],
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

/**
 * "Fix all": the edits that apply every finding's chosen fix at once. Pure (no VS Code), so the
 * planning is the same for the quick fix, the source action and a future CLI `--fix`.
 */
import type { Finding, Fix, Position, SourceRange, TextEdit } from '../core/index';

/** What fixing all findings would do. */
export interface FixAllPlan {
  /** Non-overlapping edits, in document order. */
  readonly edits: readonly TextEdit[];
  /** Findings whose fix is in {@link edits}. */
  readonly fixed: number;
  /** Findings with a fix left out because it overlaps an earlier one. */
  readonly skipped: number;
}

/**
 * The fix "fix all" applies for a finding: the one the rule marks preferred, or the only one.
 * Several unmarked choices (e.g. two group counts) need a person to pick, so none is chosen.
 */
export function chosenFix(finding: Finding): Fix | undefined {
  const preferred = finding.fixes.find((fix) => fix.preferred === true);
  if (preferred) {
    return preferred;
  }
  const [only, ...others] = finding.fixes;
  return only && others.length === 0 && only.edits.length > 0 ? only : undefined;
}

/**
 * The plan for `findings`: each chosen fix, taken in document order, is kept whole when none of its
 * edits overlaps an edit already kept, and skipped whole otherwise (half a fix could break code).
 */
export function planFixAll(findings: readonly Finding[]): FixAllPlan {
  const fixes = findings
    .map(chosenFix)
    .filter((fix): fix is Fix => fix !== undefined)
    .sort((a, b) => comparePositions(firstStart(a), firstStart(b)));
  const kept: TextEdit[] = [];
  let skipped = 0;
  for (const fix of fixes) {
    const clashes = fix.edits.some(
      (edit, i) =>
        kept.some((other) => overlaps(edit.range, other.range)) ||
        fix.edits.slice(0, i).some((other) => overlaps(edit.range, other.range)),
    );
    if (clashes) {
      skipped++;
    } else {
      kept.push(...fix.edits);
    }
  }
  return {
    edits: kept.sort((a, b) => comparePositions(a.range.start, b.range.start)),
    fixed: fixes.length - skipped,
    skipped,
  };
}

/**
 * True when two edits cannot both apply: their ranges share a character, or both insert at the
 * same point (their order would be arbitrary). Edits that only touch at an end are fine.
 */
export function overlaps(a: SourceRange, b: SourceRange): boolean {
  const aEmpty = comparePositions(a.start, a.end) === 0;
  const bEmpty = comparePositions(b.start, b.end) === 0;
  if (aEmpty && bEmpty) {
    return comparePositions(a.start, b.start) === 0;
  }
  return comparePositions(a.start, b.end) < 0 && comparePositions(b.start, a.end) < 0;
}

function firstStart(fix: Fix): Position {
  return fix.edits.reduce(
    (first, edit) => (comparePositions(edit.range.start, first) < 0 ? edit.range.start : first),
    fix.edits[0]?.range.start ?? { line: 0, character: 0 },
  );
}

function comparePositions(a: Position, b: Position): number {
  return a.line - b.line || a.character - b.character;
}

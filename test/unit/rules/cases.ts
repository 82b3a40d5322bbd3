/**
 * Table-driven rule tests: each case is a site (and optionally a file context and weights) with
 * the expected severities of its hits, phrases the message must contain, and the fix titles.
 */
import assert from 'node:assert/strict';
import {
  EMPTY_CONTEXT,
  type FileContext,
  type NormSite,
  type Rule,
  type RuleHit,
  type Severity,
  type SiteInputs,
} from '../../../src/core/index';

/** One row of a rule's table. */
export interface RuleCase {
  readonly name: string;
  readonly site: NormSite;
  readonly context?: FileContext;
  readonly inputs?: SiteInputs;
  readonly thresholds?: Readonly<Record<string, number>>;
  /** Severity of each expected hit (the rule default when the hit has none); `[]` = no hit. */
  readonly expect: readonly Severity[];
  readonly messageHas?: readonly string[];
  readonly fixes?: readonly string[];
  /** New text of each fix's first edit, in order. */
  readonly edits?: readonly string[];
}

/** The rule's declared thresholds with their defaults. */
export function defaults(rule: Rule): Record<string, number> {
  return Object.fromEntries(rule.thresholds.map((t) => [t.name, t.default]));
}

/** Runs one case and returns its hits, for extra assertions. */
export function hitsOf(rule: Rule, c: RuleCase): readonly RuleHit[] {
  return rule.check(
    c.site,
    c.context ?? EMPTY_CONTEXT,
    { ...defaults(rule), ...c.thresholds },
    c.inputs ?? {},
  );
}

/** A mocha suite with one test per case. */
export function describeRule(rule: Rule, cases: readonly RuleCase[], more?: () => void): void {
  describe(`rule ${rule.id} (${rule.catalogId})`, () => {
    for (const c of cases) {
      it(c.name, () => {
        const hits = hitsOf(rule, c);
        assert.deepEqual(
          hits.map((h) => h.severity ?? rule.defaultSeverity),
          c.expect,
          hits.map((h) => h.message).join('\n'),
        );
        const message = hits.map((h) => h.message).join('\n');
        for (const part of c.messageHas ?? []) {
          assert.ok(message.includes(part), `message lacks "${part}": ${message}`);
        }
        const fixes = hits.flatMap((h) => h.fixes ?? []);
        if (c.fixes) {
          assert.deepEqual(
            fixes.map((f) => f.title),
            c.fixes,
          );
        }
        if (c.edits) {
          assert.deepEqual(
            fixes.map((f) => f.edits[0]?.newText),
            c.edits,
          );
        }
      });
    }
    more?.();
  });
}

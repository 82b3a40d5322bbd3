/**
 * The one list of rules. It feeds the engine, the CLI's rule listing, the generated settings and
 * the README's rule table.
 */
import { bnSmallBatch } from './bn-small-batch';
import type { Rule } from './types';

/** Every rule NormLens runs, in catalog order. */
export const RULES: readonly Rule[] = [bnSmallBatch];

/** The rule with this id, if any. */
export function ruleById(id: string): Rule | undefined {
  return RULES.find((rule) => rule.id === id);
}

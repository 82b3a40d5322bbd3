/**
 * Runs the registry's rules over the sites of one input and turns hits into findings. Rules are
 * isolated: one that throws is reported as an analysis error and the others still run.
 */
import type { AnalysisError, FileContext, Finding, NormSite } from '../model';
import { RULES } from './registry';
import type { Rule, RuleOptions } from './types';

/** Per-rule options keyed by rule id (from settings or `normlens.json`). */
export type RuleConfig = Readonly<Record<string, RuleOptions>>;

/** Findings for `sites`, sorted by position in the input. */
export function runRules(
  sites: readonly NormSite[],
  context: FileContext,
  config: RuleConfig = {},
  rules: readonly Rule[] = RULES,
): { findings: Finding[]; errors: AnalysisError[] } {
  const findings: Finding[] = [];
  const errors: AnalysisError[] = [];
  for (const rule of rules) {
    const options = config[rule.id] ?? {};
    if (options.severity === 'off') {
      continue;
    }
    const thresholds = thresholdsOf(rule, options);
    for (const site of sites) {
      if (!rule.appliesTo.includes(site.framework)) {
        continue;
      }
      try {
        for (const hit of rule.check(site, context, thresholds)) {
          findings.push({
            rule: rule.id,
            // A configured severity replaces the rule's own, including its milder bands.
            severity: options.severity ?? hit.severity ?? rule.defaultSeverity,
            message: hit.message,
            location: site.location,
            related: hit.related ?? [],
            fixes: hit.fixes ?? [],
          });
        }
      } catch (error) {
        errors.push({ message: `rule ${rule.id} failed: ${String(error)}` });
      }
    }
  }
  return { findings, errors };
}

/** The rule's declared thresholds, overridden by configured values. */
function thresholdsOf(rule: Rule, options: RuleOptions): Record<string, number> {
  const result: Record<string, number> = {};
  for (const threshold of rule.thresholds) {
    result[threshold.name] = options.thresholds?.[threshold.name] ?? threshold.default;
  }
  return result;
}

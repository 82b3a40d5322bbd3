/**
 * Runs the registry's rules over the sites of one input and turns hits into findings. Rules are
 * isolated: one that throws is reported as an analysis error and the others still run.
 */
import type {
  AnalysisError,
  FileContext,
  Finding,
  NormSite,
  Severity,
  SiteLocation,
} from '../model';
import type { HealthOptions } from '../onnx/index';
import { RULES } from './registry';
import type { Rule, RuleHit, RuleOptions, SiteInputs } from './types';

/** Per-rule options keyed by rule id (from settings or `normlens.json`). */
export type RuleConfig = Readonly<Record<string, RuleOptions>>;

/**
 * Findings for `sites`, in rule order then site order (a rule's file-level hits first). `inputsOf` supplies per-site inputs such as
 * a model layer's weight health; rules that need them find nothing without them.
 */
export function runRules(
  sites: readonly NormSite[],
  context: FileContext,
  config: RuleConfig = {},
  rules: readonly Rule[] = RULES,
  inputsOf: (site: NormSite) => SiteInputs = () => ({}),
): { findings: Finding[]; errors: AnalysisError[] } {
  const findings: Finding[] = [];
  const errors: AnalysisError[] = [];
  for (const rule of rules) {
    const options = config[rule.id] ?? {};
    if (options.severity === 'off') {
      continue;
    }
    const thresholds = thresholdsOf(rule, options);
    try {
      for (const hit of rule.checkFile?.(context, thresholds) ?? []) {
        findings.push(findingOf(rule, options.severity, hit, hit.location));
      }
    } catch (error) {
      errors.push({ message: `rule ${rule.id} failed: ${String(error)}` });
    }
    for (const site of sites) {
      if (!rule.appliesTo.includes(site.framework)) {
        continue;
      }
      try {
        for (const hit of rule.check(site, context, thresholds, inputsOf(site))) {
          findings.push(findingOf(rule, options.severity, hit, site.location));
        }
      } catch (error) {
        errors.push({ message: `rule ${rule.id} failed: ${String(error)}` });
      }
    }
  }
  return { findings, errors };
}

/** The finding of one hit at `location`. */
function findingOf(
  rule: Rule,
  configured: Severity | undefined,
  hit: RuleHit,
  location: SiteLocation,
): Finding {
  return {
    rule: rule.id,
    // A configured severity replaces the rule's own, including its milder bands.
    severity: configured ?? hit.severity ?? rule.defaultSeverity,
    message: hit.message,
    location,
    related: hit.related ?? [],
    fixes: hit.fixes ?? [],
  };
}

/** The rule's declared thresholds, overridden by configured values. */
function thresholdsOf(rule: Rule, options: RuleOptions): Record<string, number> {
  const result: Record<string, number> = {};
  for (const threshold of rule.thresholds) {
    result[threshold.name] = options.thresholds?.[threshold.name] ?? threshold.default;
  }
  return result;
}

/**
 * Options for reading a model layer's weight health so that it honours the configured dead-γ
 * thresholds (rule `dead-gamma`); pass the result to `weightHealth`.
 */
export function weightHealthOptions(config: RuleConfig = {}): HealthOptions {
  const rule = RULES.find((r) => r.id === 'dead-gamma');
  const thresholds = rule ? thresholdsOf(rule, config[rule.id] ?? {}) : {};
  return {
    ...(thresholds['relative'] === undefined ? {} : { deadGammaRelative: thresholds['relative'] }),
    ...(thresholds['absolute'] === undefined ? {} : { deadGammaAbsolute: thresholds['absolute'] }),
  };
}

/** True when a rule that reads weights is enabled, so the caller should read them. */
export function needsWeights(config: RuleConfig = {}, rules: readonly Rule[] = RULES): boolean {
  return rules.some((rule) => rule.needs === 'weights' && config[rule.id]?.severity !== 'off');
}

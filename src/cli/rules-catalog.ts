/**
 * `normlens rules`: the rule catalog with default severities, frameworks and documentation links.
 */
import { RULES } from '../core/index';
import { ruleDocsUrl } from './docs-links';
import { PLAIN, type Style } from './style';

/** The JSON document of `normlens rules --format json`. */
export function rulesJson(): unknown {
  return RULES.map((rule) => ({
    id: rule.id,
    catalogId: rule.catalogId,
    title: rule.title,
    defaultSeverity: rule.defaultSeverity,
    appliesTo: rule.appliesTo,
    thresholds: rule.thresholds.map(({ name, default: value, description }) => ({
      name,
      default: value,
      description,
    })),
    docs: ruleDocsUrl(rule.id),
  }));
}

/** The text catalog: one block per rule. */
export function rulesText(style: Style = PLAIN): string {
  const width = Math.max(...RULES.map((rule) => rule.id.length));
  const out: string[] = [];
  for (const rule of RULES) {
    const severity = style.severity(rule.defaultSeverity, rule.defaultSeverity.padEnd(7));
    out.push(`${rule.catalogId}  ${rule.id.padEnd(width)}  ${severity}  ${rule.title}`);
    const thresholds = rule.thresholds.map((t) => `${t.name}=${t.default}`).join(', ');
    const details = [rule.appliesTo.join(', '), ...(thresholds === '' ? [] : [thresholds])];
    out.push(style.dim(`         ${details.join(' · ')}  ${ruleDocsUrl(rule.id)}`));
  }
  out.push(
    `${RULES.length} rules. Configure them in normlens.json or pyproject.toml (docs/CONFIG.md).`,
  );
  return `${out.join('\n')}\n`;
}

/**
 * What the rule registry implies for the manifest and the README: one `normLens.rules` setting
 * schema per rule (severity and thresholds) for package.json, and the rule table that sits
 * between the `<!-- rules:start -->` / `<!-- rules:end -->` markers in README.md. Pure text in,
 * text out; scripts/gen-manifest.ts does the file I/O.
 */
import { SEVERITIES } from '../model';
import { RULES } from './registry';
import type { Rule } from './types';

const START = '<!-- rules:start -->';
const END = '<!-- rules:end -->';

/** The JSON schema of one rule's entry in `normLens.rules`. */
export function ruleSettingSchema(rule: Rule): Record<string, unknown> {
  const properties: Record<string, unknown> = {
    severity: {
      enum: [...SEVERITIES, 'off'],
      default: rule.defaultSeverity,
      description: `Severity of ${rule.id} findings; off disables the rule.`,
    },
  };
  for (const threshold of rule.thresholds) {
    properties[threshold.name] = {
      type: 'number',
      default: threshold.default,
      description: threshold.description,
    };
  }
  return {
    type: 'object',
    description: `${rule.catalogId}: ${rule.title} (docs/rules/${rule.id}.md).`,
    properties,
    additionalProperties: false,
  };
}

/** package.json with `normLens.rules.properties` regenerated; everything else is kept. */
export function withRuleSettings(packageJson: string, rules: readonly Rule[] = RULES): string {
  const manifest = JSON.parse(packageJson) as {
    contributes?: { configuration?: { properties?: Record<string, Record<string, unknown>> } };
  };
  const setting = manifest.contributes?.configuration?.properties?.['normLens.rules'];
  if (!setting) {
    throw new Error('package.json has no contributes.configuration.properties["normLens.rules"]');
  }
  setting['properties'] = Object.fromEntries(
    rules.map((rule) => [rule.id, ruleSettingSchema(rule)]),
  );
  return `${JSON.stringify(manifest, null, 2)}\n`;
}

/** The README rule table (markdown), one row per rule in registry order. */
export function ruleTable(rules: readonly Rule[] = RULES): string {
  const rows = rules.map((rule) => {
    const settings = rule.thresholds.map((t) => `\`${t.name}\` ${t.default}`).join(', ');
    return (
      `| [${rule.id}](docs/rules/${rule.id}.md) | ${rule.catalogId} | ${rule.defaultSeverity} | ` +
      `${rule.appliesTo.join(', ')} | ${rule.title} | ${settings || '—'} |`
    );
  });
  return [
    '| id | catalog | default | inputs | what | thresholds |',
    '|---|---|---|---|---|---|',
    ...rows,
  ].join('\n');
}

/** README.md with the text between the markers replaced by the current table. */
export function withRuleTable(readme: string, rules: readonly Rule[] = RULES): string {
  const start = readme.indexOf(START);
  const end = readme.indexOf(END);
  if (start < 0 || end < start) {
    throw new Error(`README.md lacks the ${START} … ${END} markers`);
  }
  return `${readme.slice(0, start + START.length)}\n${ruleTable(rules)}\n${readme.slice(end)}`;
}

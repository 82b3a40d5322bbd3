/**
 * The hover text of a site, as Markdown: what it normalizes over, its effective parameters with
 * provenance and convention, the formula, and the findings on it. Facts come from the descriptors.
 */
import type { Finding, NormSite, ParamValue } from '../model';
import { descriptorOf } from '../norms/index';
import { describeProvenance, formatValue } from './format';

/** Markdown for a hover on `site`; `findings` are those located on the site. */
export function hoverMarkdown(site: NormSite, findings: readonly Finding[]): string {
  const descriptor = descriptorOf(site.kind);
  const values: Record<string, ParamValue> = {};
  for (const [name, param] of Object.entries(site.params)) {
    values[name] = param.value;
  }
  const reduction = descriptor.reduction({
    variant: site.variant,
    framework: site.framework,
    params: values,
  });
  const specs = descriptor.params(site.variant, site.framework);
  const lines = [
    `**${escapeMarkdown(site.variant)}** — ${descriptor.title}`,
    '',
    `Normalizes ${reduction.text}.`,
    '',
    '| parameter | value | from |',
    '|---|---|---|',
  ];
  for (const [name, param] of Object.entries(site.params)) {
    const convention = specs.find((spec) => spec.name === name)?.convention;
    const from = describeProvenance(param) + (convention ? `; ${convention}` : '');
    lines.push(
      `| ${escapeMarkdown(name)} | \`${formatValue(param.value, site.framework)}\` | ${escapeCell(from)} |`,
    );
  }
  lines.push('', `\`${descriptor.formula}\``);
  for (const finding of findings) {
    lines.push('', `**${finding.severity}** \`${finding.rule}\`: ${escapeMarkdown(finding.message)}`);
  }
  return lines.join('\n');
}

/** Escapes inline Markdown syntax (and HTML) in text that comes from the user's file. */
export function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_[\]<>|]/g, '\\$&');
}

function escapeCell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

/**
 * The hover text of a site, as Markdown: what it normalizes over, its effective parameters with
 * provenance and convention, the formula, and the findings on it. Facts come from the descriptors.
 */
import type { Finding, Framework, NormSite, ParamValue } from '../model';
import { convertMomentum, descriptorOf, MOMENTUM_CONVENTION } from '../norms/index';
import { describeProvenance, formatNumber, formatValue } from './format';

/**
 * Arguments that say nothing about the normalization unless the user set them: tensor placement,
 * and Keras initializers, regularizers and constraints.
 */
const HIDDEN_WHEN_DEFAULT =
  /^(?:device|dtype|process_group|\w+(?:Initializer|Regularizer|Constraint))$/;

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
  const lines = [
    `**${escapeMarkdown(site.variant)}** — ${descriptor.title}`,
    '',
    `Normalizes ${reduction.text}.`,
    '',
    '| parameter | value | from |',
    '|---|---|---|',
  ];
  for (const [name, param] of Object.entries(site.params)) {
    if (param.source === 'default' && HIDDEN_WHEN_DEFAULT.test(name)) {
      continue;
    }
    const convention = name === 'momentum' ? momentumNote(param.value, site.framework) : undefined;
    const from = describeProvenance(param) + (convention ? `; ${convention}` : '');
    lines.push(
      `| ${name} | \`${formatValue(param.value, site.framework)}\` | ${escapeCell(from)} |`,
    );
  }
  lines.push('', `\`${descriptor.formula}\``);
  for (const finding of findings) {
    lines.push(
      '',
      `**${finding.severity}** \`${finding.rule}\`: ${escapeMarkdown(finding.message)}`,
    );
  }
  return lines.join('\n');
}

/** The momentum's meaning in this framework and its value in the other convention. */
function momentumNote(value: ParamValue, framework: Framework): string | undefined {
  if (typeof value !== 'number') {
    return undefined;
  }
  const own = MOMENTUM_CONVENTION[framework];
  const other = own === 'pytorch' ? 'keras' : 'pytorch';
  const weighs = own === 'pytorch' ? 'weights the new batch' : 'weights the old value';
  const otherName = own === 'pytorch' ? 'Keras/tfjs/ONNX' : 'PyTorch';
  return `${weighs}; ${otherName} equivalent ${formatNumber(convertMomentum(value, own, other))}`;
}

/** Escapes inline Markdown syntax (and HTML) in text that comes from the user's file. */
export function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*[\]<>|]/g, '\\$&');
}

function escapeCell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

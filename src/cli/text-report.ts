/**
 * Human-readable CLI output, grouped by file: `line:column  severity  rule  message`.
 */
import { SEVERITIES, severityRank, type Severity } from '../core/index';
import type { FileEntry } from './json-report';
import { PLAIN, type Style } from './style';

/** The text report for `entries`, ending with a one-line summary. */
export function toText(entries: readonly FileEntry[], style: Style = PLAIN): string {
  const out: string[] = [];
  const counts = new Map<Severity, number>();
  let sites = 0;
  let failed = 0;
  for (const { path, report, ioError } of entries) {
    sites += report.sites.length;
    const errors = [
      ...(ioError === undefined ? [] : [ioError]),
      ...report.errors
        .filter((e) => e.kind !== 'syntax' && e.kind !== undefined)
        .map((e) => e.message),
    ];
    if (ioError !== undefined || report.errors.some((e) => e.kind === 'invalid')) {
      failed++;
    }
    if (report.findings.length === 0 && errors.length === 0) {
      continue;
    }
    out.push(style.path(path));
    for (const message of errors) {
      out.push(`  ${style.severity('error', 'error')}  ${message}`);
    }
    for (const finding of [...report.findings].sort(
      (a, b) => severityRank(a.severity) - severityRank(b.severity),
    )) {
      counts.set(finding.severity, (counts.get(finding.severity) ?? 0) + 1);
      const where =
        finding.location.type === 'text'
          ? `${finding.location.range.start.line + 1}:${finding.location.range.start.character + 1}`
          : finding.location.nodes.join(',');
      out.push(
        `  ${where}  ${style.severity(finding.severity, finding.severity)}  ${style.dim(finding.rule)}  ${finding.message}`,
      );
      for (const evidence of finding.related) {
        const line = evidence.range
          ? `${evidence.range.start.line + 1}:${evidence.range.start.character + 1}`
          : '';
        out.push(style.dim(`      ${line}  ${evidence.message}`));
      }
    }
    out.push('');
  }
  const total = SEVERITIES.filter((severity) => counts.has(severity)).map((severity) => {
    const n = counts.get(severity) ?? 0;
    return `${n} ${severity}${n === 1 ? '' : 's'}`;
  });
  const unreadable = failed === 0 ? '' : `; ${failed} file${failed === 1 ? '' : 's'} not analysed`;
  out.push(
    `${sites} normalization site${sites === 1 ? '' : 's'} in ${entries.length} file${entries.length === 1 ? '' : 's'}; ${total.length > 0 ? total.join(', ') : 'no findings'}${unreadable}.`,
  );
  return out.join('\n') + '\n';
}

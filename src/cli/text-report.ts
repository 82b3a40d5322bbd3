/**
 * Human-readable CLI output, grouped by file: `line:column  severity  rule  message`.
 */
import { severityRank, type Severity } from '../core/index';
import type { FileEntry } from './json-report';

/** The text report for `entries`, ending with a one-line summary. */
export function toText(entries: readonly FileEntry[]): string {
  const out: string[] = [];
  const counts = new Map<Severity, number>();
  let sites = 0;
  for (const { path, report, ioError } of entries) {
    sites += report.sites.length;
    const errors = [
      ...(ioError === undefined ? [] : [ioError]),
      ...report.errors
        .filter((e) => e.kind !== 'syntax' && e.kind !== undefined)
        .map((e) => e.message),
    ];
    if (report.findings.length === 0 && errors.length === 0) {
      continue;
    }
    out.push(path);
    for (const message of errors) {
      out.push(`  error  ${message}`);
    }
    for (const finding of [...report.findings].sort(
      (a, b) => severityRank(a.severity) - severityRank(b.severity),
    )) {
      counts.set(finding.severity, (counts.get(finding.severity) ?? 0) + 1);
      const where =
        finding.location.type === 'text'
          ? `${finding.location.range.start.line + 1}:${finding.location.range.start.character + 1}`
          : finding.location.nodes.join(',');
      out.push(`  ${where}  ${finding.severity}  ${finding.rule}  ${finding.message}`);
      for (const evidence of finding.related) {
        const line = evidence.range
          ? `${evidence.range.start.line + 1}:${evidence.range.start.character + 1}`
          : '';
        out.push(`      ${line}  ${evidence.message}`);
      }
    }
    out.push('');
  }
  const total = [...counts.entries()].map(
    ([severity, n]) => `${n} ${severity}${n === 1 ? '' : 's'}`,
  );
  out.push(
    `${sites} normalization site${sites === 1 ? '' : 's'} in ${entries.length} file${entries.length === 1 ? '' : 's'}; ${total.length > 0 ? total.join(', ') : 'no findings'}.`,
  );
  return out.join('\n') + '\n';
}

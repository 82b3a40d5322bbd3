/**
 * Human-readable CLI output, grouped by file: `line:column  severity  rule  message`.
 */
import { SEVERITIES, severityRank, type Severity } from '../core/index';
import type { FileEntry, ReportWriter } from './json-report';
import { PLAIN, type Style } from './style';

/** The text report, one file at a time, ending with a one-line summary. */
export class TextReport implements ReportWriter {
  private readonly out: string[] = [];
  private readonly counts = new Map<Severity, number>();
  private files = 0;
  private sites = 0;
  private failed = 0;

  constructor(private readonly style: Style = PLAIN) {}

  add({ path, report, ioError }: FileEntry): void {
    const style = this.style;
    this.files++;
    this.sites += report.sites.length;
    const errors = [
      ...(ioError === undefined ? [] : [ioError]),
      ...report.errors
        .filter((e) => e.kind !== 'syntax' && e.kind !== undefined)
        .map((e) => e.message),
    ];
    if (ioError !== undefined || report.errors.some((e) => e.kind === 'invalid')) {
      this.failed++;
    }
    if (report.findings.length === 0 && errors.length === 0) {
      return;
    }
    const out: string[] = [style.path(path)];
    for (const message of errors) {
      out.push(`  ${style.severity('error', 'error')}  ${message}`);
    }
    for (const finding of [...report.findings].sort(
      (a, b) => severityRank(a.severity) - severityRank(b.severity),
    )) {
      this.counts.set(finding.severity, (this.counts.get(finding.severity) ?? 0) + 1);
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
    this.out.push(out.join('\n') + '\n');
  }

  pieces(): string[] {
    const { counts, sites, files, failed } = this;
    const total = SEVERITIES.filter((severity) => counts.has(severity)).map((severity) => {
      const n = counts.get(severity) ?? 0;
      return `${n} ${severity}${n === 1 ? '' : 's'}`;
    });
    const unreadable =
      failed === 0 ? '' : `; ${failed} file${failed === 1 ? '' : 's'} not analysed`;
    return [
      ...this.out,
      `${sites} normalization site${sites === 1 ? '' : 's'} in ${files} file${files === 1 ? '' : 's'}; ${total.length > 0 ? total.join(', ') : 'no findings'}${unreadable}.\n`,
    ];
  }
}

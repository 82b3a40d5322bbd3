/**
 * The exit code of `normlens check`, gathered file by file: 2 when a file could not be analysed,
 * else 1 when a finding reaches `--fail-on`, else 0.
 */
import { severityRank, type Severity } from '../core/index';
import type { FileEntry } from './json-report';

/** What the exit code depends on, over the files seen so far. */
export class ExitStatus {
  private failed = false;
  private worst = Number.POSITIVE_INFINITY;

  add({ report, ioError }: FileEntry): void {
    // A file that could not be read, or a model that is not what it claims, is an I/O-class failure.
    if (
      ioError !== undefined ||
      report.errors.some((e) => e.kind === 'invalid' || e.kind === 'internal')
    ) {
      this.failed = true;
    }
    for (const finding of report.findings) {
      this.worst = Math.min(this.worst, severityRank(finding.severity));
    }
  }

  code(failOn: Severity | 'none'): number {
    if (this.failed) {
      return 2;
    }
    return failOn !== 'none' && this.worst <= severityRank(failOn) ? 1 : 0;
  }
}

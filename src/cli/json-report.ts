/**
 * The CLI's JSON contract (version 1): 1-based lines and columns, paths relative to the working
 * directory. Later versions may add fields, never remove or rename them.
 */
import type { AnalysisError, Evidence, Param, SiteLocation } from '../core/index';
import type { CheckedFinding, CheckedReport, CheckedSite } from '../node/analysis-task';

/** One analysed file as it appears in the JSON output. */
export interface FileEntry {
  readonly path: string;
  readonly report: CheckedReport;
  /** An I/O error that prevented the analysis. */
  readonly ioError?: string;
}

/** The JSON document for `entries`. */
export function toJson(entries: readonly FileEntry[]): unknown {
  return {
    version: 1,
    files: entries.map(({ path, report, ioError }) => ({
      path,
      language: report.language,
      sites: report.sites.map(siteJson),
      findings: report.findings.map((finding) => findingJson(finding, path)),
      errors: [
        ...(ioError === undefined ? [] : [{ message: ioError }]),
        ...report.errors.map(errorJson),
      ],
    })),
  };
}

function siteJson(site: CheckedSite): unknown {
  return {
    kind: site.kind,
    variant: site.variant,
    framework: site.framework,
    ...locationJson(site.location),
    params: Object.fromEntries(
      Object.entries(site.params).map(([name, param]) => [name, paramJson(param)]),
    ),
  };
}

function paramJson(param: Param): unknown {
  return {
    value: param.value,
    source: param.source,
    ...(param.expression === undefined ? {} : { expression: param.expression }),
  };
}

function findingJson(finding: CheckedFinding, path: string): unknown {
  const location = locationJson(finding.location);
  return {
    rule: finding.rule,
    severity: finding.severity,
    message: finding.message,
    ...('nodes' in location ? location : { line: location.line, column: location.column }),
    related: finding.related.map((evidence) => relatedJson(evidence, path)),
  };
}

function relatedJson(evidence: Evidence, path: string): unknown {
  return {
    path,
    ...(evidence.range
      ? { line: evidence.range.start.line + 1, column: evidence.range.start.character + 1 }
      : {}),
    ...(evidence.nodes ? { nodes: evidence.nodes } : {}),
    message: evidence.message,
  };
}

function errorJson(error: AnalysisError): unknown {
  return {
    message: error.message,
    ...(error.kind === undefined ? {} : { kind: error.kind }),
    ...(error.range
      ? { line: error.range.start.line + 1, column: error.range.start.character + 1 }
      : {}),
    ...(error.offset === undefined ? {} : { offset: error.offset }),
  };
}

type LocationJson =
  | { line: number; column: number; endLine: number; endColumn: number }
  | { nodes: readonly string[] };

function locationJson(location: SiteLocation): LocationJson {
  if (location.type === 'graph') {
    return { nodes: location.nodes };
  }
  const { start, end } = location.range;
  return {
    line: start.line + 1,
    column: start.character + 1,
    endLine: end.line + 1,
    endColumn: end.character + 1,
  };
}

/**
 * The CLI's JSON contract (version 1): 1-based lines and columns, paths relative to the working
 * directory. Later versions may add fields, never remove or rename them.
 */
import type { AnalysisError, Evidence, Param, SiteLocation } from '../core/index';
import type { CheckedFinding, CheckedReport, CheckedSite } from '../node/analysis-task';
import { ITEMS_PLACEHOLDER, JsonFrame } from './json-frame';

/** One analysed file as it appears in the JSON output. */
export interface FileEntry {
  readonly path: string;
  readonly report: CheckedReport;
  /** An I/O error that prevented the analysis. */
  readonly ioError?: string;
}

/** Builds one output format file by file, so that no whole-repository structure is held. */
export interface ReportWriter {
  /** Adds the next file, in output order. */
  add(entry: FileEntry): void;
  /** The output's text, in pieces to be written one after another. */
  pieces(): string[];
}

/** The JSON document, one file entry at a time. */
export class JsonReport implements ReportWriter {
  private readonly frame = new JsonFrame({ version: 1, files: ITEMS_PLACEHOLDER });
  private readonly files: string[] = [];

  add({ path, report, ioError }: FileEntry): void {
    this.files.push(
      this.frame.item({
        path,
        language: report.language,
        sites: report.sites.map(siteJson),
        findings: report.findings.map((finding) => findingJson(finding, path)),
        errors: [
          ...(ioError === undefined ? [] : [{ message: ioError }]),
          ...report.errors.map(errorJson),
        ],
      }),
    );
  }

  pieces(): string[] {
    return [...this.frame.pieces(this.files), '\n'];
  }
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

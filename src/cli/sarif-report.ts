/**
 * SARIF 2.1.0 output for GitHub code scanning and other SARIF viewers: the rule catalog as the
 * driver's rules, one result per finding, analysis failures as tool notifications.
 */
import { createHash } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import {
  RULES,
  type Evidence,
  type Severity,
  type SiteLocation,
  type SourceRange,
} from '../core/index';
import { RULE_DOCS_BASE, ruleDocsUrl } from './docs-links';
import type { CheckedFinding } from '../node/analysis-task';
import { ITEMS_PLACEHOLDER, JsonFrame } from './json-frame';
import type { FileEntry, ReportWriter } from './json-report';

/** SARIF levels have no `info`/`hint`: both are notes. */
const LEVEL: Readonly<Record<Severity, 'error' | 'warning' | 'note'>> = {
  error: 'error',
  warning: 'warning',
  info: 'note',
  hint: 'note',
};

/** Paths in the log are relative to this base, which viewers map to the repository root. */
const ROOT_ID = 'SRCROOT';

/** The SARIF log, one file's results at a time; paths are relative to `cwd`. */
export class SarifReport implements ReportWriter {
  private readonly ruleIndex = new Map(RULES.map((rule, index) => [rule.id, index]));
  /** Results are most of the log; tool notifications (failed files) are few. */
  private readonly results: string[] = [];
  private readonly notifications: unknown[] = [];
  /** Where results go: their indentation does not depend on the notifications. */
  private readonly frame: JsonFrame;

  constructor(
    private readonly version: string,
    private readonly cwd: string,
  ) {
    this.frame = new JsonFrame(this.log(ITEMS_PLACEHOLDER, []));
  }

  add(entry: FileEntry): void {
    const uri = entry.path.split(/[\\/]/).map(encodeURIComponent).join('/');
    const seen = new Map<string, number>();
    for (const finding of entry.report.findings) {
      this.results.push(
        this.frame.item(resultOf(finding, uri, this.ruleIndex.get(finding.rule), seen)),
      );
    }
    const failures = [
      ...(entry.ioError === undefined ? [] : [entry.ioError]),
      ...entry.report.errors
        .filter((e) => e.kind !== undefined && e.kind !== 'syntax')
        .map((e) => e.message),
    ];
    for (const message of failures) {
      this.notifications.push({
        level: 'error',
        message: { text: message },
        locations: [{ physicalLocation: { artifactLocation: { uri, uriBaseId: ROOT_ID } } }],
      });
    }
  }

  pieces(): string[] {
    // The notifications come before the results in the log, so the frame is printed last.
    const frame = new JsonFrame(this.log(ITEMS_PLACEHOLDER, this.notifications));
    return [...frame.pieces(this.results), '\n'];
  }

  private log(results: readonly unknown[], notifications: readonly unknown[]): unknown {
    const version = this.version;
    return {
      $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
      version: '2.1.0',
      runs: [
        {
          tool: {
            driver: {
              name: 'NormLens',
              version,
              semanticVersion: version,
              informationUri: RULE_DOCS_BASE,
              rules: RULES.map((rule) => ({
                id: rule.id,
                name: pascalCase(rule.id),
                shortDescription: { text: rule.title },
                fullDescription: { text: `${rule.catalogId}: ${rule.title}.` },
                helpUri: ruleDocsUrl(rule.id),
                help: { text: `See ${ruleDocsUrl(rule.id)}` },
                defaultConfiguration: { level: LEVEL[rule.defaultSeverity] },
                properties: {
                  catalogId: rule.catalogId,
                  tags: ['normalization', ...rule.appliesTo],
                },
              })),
            },
          },
          originalUriBaseIds: { [ROOT_ID]: { uri: folderUri(this.cwd) } },
          columnKind: 'utf16CodeUnits',
          invocations: [
            {
              executionSuccessful: notifications.length === 0,
              toolExecutionNotifications: notifications,
            },
          ],
          results,
        },
      ],
    };
  }
}

function resultOf(
  finding: CheckedFinding,
  uri: string,
  ruleIndex: number | undefined,
  seen: Map<string, number>,
): unknown {
  const artifactLocation = { uri, uriBaseId: ROOT_ID };
  const related = finding.related
    .map((evidence, index) => relatedOf(evidence, index, artifactLocation))
    .filter((location) => location !== undefined);
  return {
    ruleId: finding.rule,
    ...(ruleIndex === undefined ? {} : { ruleIndex }),
    level: LEVEL[finding.severity],
    message: { text: finding.message },
    locations: [locationOf(finding.location, artifactLocation)],
    ...(related.length > 0 ? { relatedLocations: related } : {}),
    partialFingerprints: { 'normlens/v1': fingerprint(finding, uri, seen) },
    properties: { severity: finding.severity },
  };
}

/** A 0-based source range as a SARIF region (1-based lines and columns). */
function regionOf({ start, end }: SourceRange): object {
  return {
    startLine: start.line + 1,
    startColumn: start.character + 1,
    endLine: end.line + 1,
    endColumn: end.character + 1,
  };
}

/** Text sites have a 1-based region; model sites (graph nodes) a logical location per node. */
function locationOf(location: SiteLocation, artifactLocation: object): unknown {
  if (location.type === 'text') {
    return {
      physicalLocation: {
        artifactLocation,
        region: regionOf(location.range),
      },
    };
  }
  return {
    physicalLocation: { artifactLocation },
    logicalLocations: location.nodes.map((node) => ({ name: node, kind: 'object' })),
  };
}

function relatedOf(evidence: Evidence, index: number, artifactLocation: object): unknown {
  if (evidence.range) {
    return {
      id: index,
      message: { text: evidence.message },
      physicalLocation: {
        artifactLocation,
        region: regionOf(evidence.range),
      },
    };
  }
  if (evidence.nodes && evidence.nodes.length > 0) {
    return {
      id: index,
      message: { text: evidence.message },
      physicalLocation: { artifactLocation },
      logicalLocations: evidence.nodes.map((node) => ({ name: node, kind: 'object' })),
    };
  }
  return undefined;
}

/**
 * A stable identity for a finding across runs: rule, file and where (line or node names), plus an
 * occurrence counter for repeats. Code scanning uses it to match alerts between commits.
 */
function fingerprint(finding: CheckedFinding, uri: string, seen: Map<string, number>): string {
  const where =
    finding.location.type === 'text'
      ? `line ${finding.location.range.start.line}`
      : finding.location.nodes.join('\u0000');
  const key = `${finding.rule}\u0000${uri}\u0000${where}`;
  const occurrence = (seen.get(key) ?? 0) + 1;
  seen.set(key, occurrence);
  return `${createHash('sha256').update(key).digest('hex').slice(0, 32)}:${occurrence}`;
}

function pascalCase(id: string): string {
  return id
    .split('-')
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');
}

function folderUri(folder: string): string {
  const href = pathToFileURL(folder).href;
  return href.endsWith('/') ? href : `${href}/`;
}

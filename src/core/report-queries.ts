/**
 * Questions adapters ask of a report: which site is under the cursor, which findings sit on a site.
 */
import {
  rangeContains,
  type BatchSizeEvidence,
  type FileReport,
  type Finding,
  type NormSite,
  type Position,
  type SiteLocation,
  type SourceRange,
} from './model';

/** True when two locations denote the same site (same start, or the same node list). */
export function sameLocation(a: SiteLocation, b: SiteLocation): boolean {
  if (a.type === 'text' && b.type === 'text') {
    return (
      a.range.start.line === b.range.start.line &&
      a.range.start.character === b.range.start.character
    );
  }
  return a.type === 'graph' && b.type === 'graph' && a.nodes.join('\n') === b.nodes.join('\n');
}

/** The findings located on `site`. */
export function findingsOnSite(report: FileReport, site: NormSite): Finding[] {
  return report.findings.filter((finding) => sameLocation(finding.location, site.location));
}

/** Where a location is shown in the text: its own range, or where a locator finds its nodes. */
export type Locator = (location: SiteLocation) => SourceRange | undefined;

/** The text range of a location: text locations are their range; graph ones ask `locate`. */
export function textRangeOf(location: SiteLocation, locate?: Locator): SourceRange | undefined {
  return location.type === 'text' ? location.range : locate?.(location);
}

/**
 * The innermost site whose range contains `position`. Graph sites (model.json layers) take part
 * when `locate` can place them in the text.
 */
export function siteAt(
  report: FileReport,
  position: Position,
  locate?: Locator,
): NormSite | undefined {
  let best: { site: NormSite; range: SourceRange } | undefined;
  for (const site of report.sites) {
    const range = textRangeOf(site.location, locate);
    if (!range || !rangeContains(range, position)) {
      continue;
    }
    if (!best || rangeContains(best.range, range.start)) {
      best = { site, range };
    }
  }
  return best?.site;
}

/** The smallest batch among loaders that may train (evaluation loaders don't touch BN statistics). */
export function smallestTrainingBatch(
  batches: readonly BatchSizeEvidence[],
): BatchSizeEvidence | undefined {
  return batches
    .filter((b) => b.purpose !== 'eval' && b.value > 0)
    .reduce<BatchSizeEvidence | undefined>(
      (min, b) => (!min || b.value < min.value ? b : min),
      undefined,
    );
}

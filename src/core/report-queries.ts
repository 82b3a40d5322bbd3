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

/** The innermost text site whose range contains `position`. */
export function siteAt(report: FileReport, position: Position): NormSite | undefined {
  let best: NormSite | undefined;
  for (const site of report.sites) {
    if (site.location.type !== 'text' || !rangeContains(site.location.range, position)) {
      continue;
    }
    if (
      !best ||
      (best.location.type === 'text' &&
        rangeContains(best.location.range, site.location.range.start))
    ) {
      best = site;
    }
  }
  return best;
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

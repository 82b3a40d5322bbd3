/**
 * NORM029: `InstanceNorm*d(C)` with its defaults, `affine=False, track_running_stats=False`, unlike
 * BatchNorm, where the code expects what BatchNorm would have: the layer before it has no bias (so
 * nothing adds a learnable shift), or the code reads the module's `weight`, `bias` or running
 * statistics, which are `None`. An explicit `affine=` or `track_running_stats=` is a decision and
 * does not fire; style-transfer code without such evidence does not either.
 */
import type { Evidence, FileContext, Fix, NormSite } from '../model';
import { pythonContext } from '../python/index';
import { setArgument } from './edits';
import type { Rule, RuleHit } from './types';

/** Module forms with the `_NormBase` defaults of InstanceNorm. */
const MODULE = /^(?:Lazy)?InstanceNorm[123]d$/;

const PRODUCERS = /^(?:Lazy)?(?:Conv(?:Transpose)?[123]d|Linear)$/;

export const instancenormDefaults: Rule = {
  id: 'instancenorm-defaults',
  catalogId: 'NORM029',
  title: 'InstanceNorm has no affine parameters or running statistics by default',
  defaultSeverity: 'info',
  appliesTo: ['pytorch'],
  thresholds: [],
  check(site, context): readonly RuleHit[] {
    const affine = site.params['affine'];
    const tracking = site.params['track_running_stats'];
    if (
      !MODULE.test(site.variant) ||
      affine?.source !== 'default' ||
      tracking?.source !== 'default'
    ) {
      return [];
    }
    const reads = stateReads(site, context);
    const producer = pythonContext(site)?.producer;
    const unbiased =
      producer && PRODUCERS.test(producer.layer) && producer.useBias === false
        ? producer
        : undefined;
    const wantsStats = reads.some((r) => r.attribute.startsWith('running_'));
    const wantsAffine =
      unbiased !== undefined || reads.some((r) => !r.attribute.startsWith('running_'));
    if (!wantsStats && !wantsAffine) {
      return [];
    }
    const related: Evidence[] = reads.map((r) => ({
      message: `${r.message} (None here)`,
      range: r.range,
    }));
    if (unbiased) {
      related.unshift({ message: `${unbiased.layer} with bias=False`, range: unbiased.range });
    }
    const because = unbiased
      ? `the ${unbiased.layer} before it has bias=False, so no layer adds a learnable shift`
      : `the code reads ${[...new Set(reads.map((r) => r.attribute))].join(', ')}, which are None`;
    return [
      {
        message:
          `${site.variant}(${site.params['num_features']?.expression ?? 'C'}) defaults to ` +
          `affine=False and track_running_stats=False, unlike BatchNorm (True, True): ${because}. ` +
          `In eval() it still normalizes with each sample's own statistics.`,
        related,
        fixes: fixesOf(site, wantsAffine, wantsStats),
      },
    ];
  },
};

/** Reads of this site's module state (`self.norm.weight` for the site bound to `self.norm`). */
function stateReads(site: NormSite, context: FileContext) {
  const binding = pythonContext(site)?.binding;
  return binding === undefined
    ? []
    : (context.codeFacts?.stateReads ?? []).filter((r) => r.target === binding);
}

function fixesOf(site: NormSite, wantsAffine: boolean, wantsStats: boolean): Fix[] {
  const fixes: Fix[] = [];
  const affine = wantsAffine ? setArgument(site, 'affine', 'True') : undefined;
  const stats = wantsStats ? setArgument(site, 'track_running_stats', 'True') : undefined;
  if (affine) {
    fixes.push({
      title: 'Learn a per-channel scale and shift (affine=True)',
      edits: [affine],
      preferred: true,
    });
  }
  if (stats) {
    fixes.push({
      title: 'Keep running statistics for eval (track_running_stats=True)',
      edits: [stats],
    });
  }
  return fixes;
}

/**
 * NORM002: BatchNorm trained on small per-device batches gets noisy statistics. The message quotes
 * the batch, where it came from, and the GroupNorm paper's BN vs GN errors at that batch.
 */
import type { FileContext, Fix, NormSite } from '../model';
import { pythonContext } from '../python/index';
import { smallestTrainingBatch } from '../report-queries';
import { GROUPNORM_PAPER_TABLE, smallBatchErrors } from '../norms/index';
import { torchBelow } from './torch-version';
import type { Rule, RuleHit } from './types';

/** Variants whose statistics are not per-device batch statistics, so a small batch is harmless. */
const EXEMPT_VARIANTS = new Set(['SyncBatchNorm', 'FrozenBatchNorm2d']);

export const bnSmallBatch: Rule = {
  id: 'bn-small-batch',
  catalogId: 'NORM002',
  title: 'BatchNorm trained with a small per-device batch',
  defaultSeverity: 'warning',
  appliesTo: ['pytorch', 'tfjs', 'onnx'],
  thresholds: [
    { name: 'warnBelow', default: 8, description: 'Warn when the per-device batch is below this.' },
    {
      name: 'infoBelow',
      default: 16,
      description: 'Inform when the batch is below this (and not below warnBelow).',
    },
  ],
  check(site, context, thresholds): readonly RuleHit[] {
    if (
      site.kind !== 'batchnorm' ||
      EXEMPT_VARIANTS.has(site.variant) ||
      isFrozen(site) ||
      convertedToSync(context)
    ) {
      return [];
    }
    const batch = smallestTrainingBatch(context.batchSizes);
    const warnBelow = thresholds['warnBelow'] ?? 8;
    const infoBelow = thresholds['infoBelow'] ?? 16;
    if (!batch || batch.value >= infoBelow) {
      return [];
    }
    const errors = smallBatchErrors(batch.value);
    const largest = GROUPNORM_PAPER_TABLE.rows.reduce((a, b) => (b.batch > a.batch ? b : a));
    const paper =
      `GroupNorm paper (ResNet-50, ImageNet): at ${errors.batch} images per GPU BN top-1 error ` +
      `${errors.bn}% vs GN ${errors.gn}% (BN ${largest.bn}% at ${largest.batch})`;
    return [
      {
        message:
          `${site.variant} trains on batches of ${batch.value} (${batch.origin}); batch statistics ` +
          `are noisy below ${warnBelow}. ${paper}. Consider GroupNorm or SyncBatchNorm.`,
        severity: batch.value < warnBelow ? 'warning' : 'info',
        // The evidence words it in its own framework: `batch_size=2 here` for a DataLoader,
        // `batchSize=2 here` for tfjs fit, `dataset batches of 2 here` for a .batch(2) dataset.
        related: [{ message: batch.message, range: batch.range }],
        fixes: replacementFixes(site, context),
      },
    ];
  },
};

/**
 * A BN that does not train on batch statistics: momentum 0 (running statistics never move), or the
 * layer itself is put in eval mode or frozen (`.eval()`, `requires_grad_(False)`), as when
 * fine-tuning a detector.
 */
function isFrozen(site: NormSite): boolean {
  const own = pythonContext(site)?.modes ?? [];
  return (
    site.params['momentum']?.value === 0 ||
    own.some((m) => m.mode === 'eval' || m.mode === 'frozen')
  );
}

/** `SyncBatchNorm.convert_sync_batchnorm(model)` in the file: statistics span all processes. */
function convertedToSync(context: FileContext): boolean {
  return (context.modes ?? []).some((m) => m.mode === 'sync-batchnorm');
}

/**
 * GroupNorm and SyncBatchNorm replacements for a PyTorch module (other frameworks have neither
 * class), offered when the call's text allows an exact edit and the pinned torch has the class
 * (SyncBatchNorm arrived in 1.1).
 */
function replacementFixes(site: NormSite, context: FileContext): Fix[] {
  const channels = site.params['num_features']?.value;
  const callee = site.callee;
  // Only module-qualified spellings (`nn.BatchNorm2d`) are rewritten: for a bare imported name the
  // replacement class would not be imported, and an alias is not the class name at all.
  if (
    site.framework !== 'pytorch' ||
    site.location.type !== 'text' ||
    !site.nameRange ||
    !callee?.endsWith(`.${site.variant}`)
  ) {
    return [];
  }
  const prefix = callee.slice(0, callee.length - site.variant.length);
  const fixes: Fix[] = [];
  if (typeof channels === 'number' && Number.isInteger(channels) && channels > 0) {
    const groups = largestDivisorAtMost(channels, 32);
    fixes.push({
      title: `Replace with ${prefix}GroupNorm(${groups}, ${channels}) (independent of the batch size)`,
      edits: [{ range: site.location.range, newText: groupNormCall(prefix, groups, site) }],
      preferred: true,
    });
  }
  if (!torchBelow(context.torchVersion, 1, 1)) {
    fixes.push({
      title: `Replace with ${prefix}SyncBatchNorm (statistics across all DistributedDataParallel processes)`,
      edits: [{ range: site.nameRange, newText: `${prefix}SyncBatchNorm` }],
    });
  }
  return fixes;
}

/** `nn.GroupNorm(G, C[, eps=…][, affine=…])`, keeping the explicitly written options that GroupNorm has. */
function groupNormCall(prefix: string, groups: number, site: NormSite): string {
  const args = [String(groups), site.params['num_features']?.expression ?? ''];
  for (const name of ['eps', 'affine']) {
    const param = site.params[name];
    if (param && param.source !== 'default' && param.expression !== undefined) {
      args.push(`${name}=${param.expression}`);
    }
  }
  return `${prefix}GroupNorm(${args.join(', ')})`;
}

/** The largest divisor of `n` that is at most `limit` (GroupNorm's default G is 32). */
export function largestDivisorAtMost(n: number, limit: number): number {
  for (let g = Math.min(n, limit); g > 1; g--) {
    if (n % g === 0) {
      return g;
    }
  }
  return 1;
}

/**
 * NORM003: GroupNorm's channel count must be divisible by its group count. PyTorch raises at
 * construction ("num_channels (10) must be divisible by num_groups (3)"); ONNX's spec requires it.
 * The message lists the nearest valid group counts, and the fixes offer them.
 */
import type { Fix, NormSite } from '../model';
import { replaceLiteral } from './edits';
import { knownDim, numberParam, onnxContext } from './site-facts';
import type { Rule, RuleHit } from './types';

export const gnDivisibility: Rule = {
  id: 'gn-divisibility',
  catalogId: 'NORM003',
  title: 'GroupNorm channels are not divisible by the number of groups',
  defaultSeverity: 'error',
  appliesTo: ['pytorch', 'onnx'],
  thresholds: [],
  check(site): readonly RuleHit[] {
    if (site.kind !== 'groupnorm') {
      return [];
    }
    const groups = numberParam(site, 'num_groups', 'groups');
    const channels = channelsOf(site);
    if (!isCount(groups) || !isCount(channels) || channels % groups === 0) {
      return [];
    }
    const choices = nearestDivisors(channels, groups);
    return [
      {
        message:
          `${site.variant}: ${channels} channels are not divisible by ${groups} groups ` +
          `(${channels} % ${groups} = ${channels % groups}). Nearest valid group counts: ` +
          `${choices.join(', ')}.`,
        fixes: groupFixes(site, choices),
      },
    ];
  },
};

function isCount(value: number | undefined): value is number {
  return value !== undefined && Number.isInteger(value) && value > 0;
}

/** C: PyTorch's `num_channels`, else the input's channel dim (NHWC for ORT's `GroupNorm`). */
function channelsOf(site: NormSite): number | undefined {
  const written = numberParam(site, 'num_channels');
  if (written !== undefined || site.framework !== 'onnx') {
    return written;
  }
  const context = onnxContext(site);
  const channelsLast =
    context?.domain === 'com.microsoft' && site.params['channels_last']?.value !== 0;
  return knownDim(context, channelsLast ? -1 : 1);
}

/**
 * Divisors of `channels` closest to `groups`: the nearest below and the nearest above (each only if
 * it exists), nearest first.
 */
export function nearestDivisors(channels: number, groups: number): number[] {
  const divisors: number[] = [];
  for (let d = 1; d <= channels; d++) {
    if (channels % d === 0) {
      divisors.push(d);
    }
  }
  const below = divisors.filter((d) => d < groups).at(-1);
  const above = divisors.find((d) => d > groups);
  return [below, above]
    .filter((d): d is number => d !== undefined)
    .sort((a, b) => Math.abs(a - groups) - Math.abs(b - groups) || a - b);
}

/** One fix per choice, replacing the literal group count. */
function groupFixes(site: NormSite, choices: readonly number[]): Fix[] {
  const fixes: Fix[] = [];
  choices.forEach((choice, k) => {
    const edit = replaceLiteral(site.params['num_groups'], String(choice));
    if (edit) {
      fixes.push({
        title: `Use ${choice} groups`,
        edits: [edit],
        ...(k === 0 ? { preferred: true } : {}),
      });
    }
  });
  return fixes;
}

/**
 * NORM025: a copied FrozenBatchNorm whose forward takes `rsqrt` of the running variance without
 * adding epsilon. Early torchvision `FrozenBatchNorm2d` did this; a channel with running_var = 0
 * (pruned, dead, or never updated) gives Inf, and `running_mean * scale` then NaN. Copies in
 * detection code (DETR's backbone) note that without eps "any other models than
 * torchvision.models.resnet[18,34,50,101] produce nans".
 */
import type { RsqrtWithoutEps } from '../model';
import { noSiteHits, type FileRuleHit, type Rule } from './types';

export const frozenbnNoEps: Rule = {
  id: 'frozenbn-no-eps',
  catalogId: 'NORM025',
  title: 'Frozen BatchNorm takes rsqrt of the running variance without epsilon',
  defaultSeverity: 'warning',
  appliesTo: ['pytorch'],
  thresholds: [],
  check: noSiteHits,
  checkFile(context): readonly FileRuleHit[] {
    return (context.codeFacts?.rsqrtWithoutEps ?? []).map(hitOf);
  },
};

function hitOf(found: RsqrtWithoutEps): FileRuleHit {
  const eps = found.epsAttribute ?? '1e-5';
  return {
    location: { type: 'text', range: found.range },
    message:
      `${found.className} computes rsqrt(${found.variance}) without epsilon: a channel whose ` +
      `running variance is 0 gets scale = γ·Inf, and rm·scale turns it into NaN. torchvision's ` +
      `FrozenBatchNorm2d computes (running_var + eps).rsqrt() with eps = 1e-5 (at most 316·γ).`,
    related: [
      { message: found.message, range: found.classRange },
      ...(found.definition
        ? [
            {
              message: `${found.variance} comes from the running variance here`,
              range: found.definition,
            },
          ]
        : []),
    ],
    fixes: [{ title: `Add ${eps} before rsqrt`, edits: [found.fix], preferred: true }],
  };
}

/**
 * NORM010: dropout feeding BatchNorm. Dropout changes the variance between training and test
 * while BatchNorm keeps the training-time running variance ("variance shift", Li et al. 2019).
 * Reads the dropout right before PyTorch sites, and the producer of ONNX and tfjs sites
 * (`Dropout`, `spatialDropout2d`…).
 */
import type { Evidence, NormSite } from '../model';
import { pythonContext } from '../python/index';
import { CITATIONS, citeLabel } from '../norms/index';
import { siteProducer } from './site-facts';
import type { Rule, RuleHit } from './types';

export const dropoutBeforeBn: Rule = {
  id: 'dropout-before-bn',
  catalogId: 'NORM010',
  title: 'Dropout feeds BatchNorm',
  defaultSeverity: 'warning',
  appliesTo: ['pytorch', 'onnx', 'tfjs'],
  thresholds: [],
  check(site): readonly RuleHit[] {
    const dropout = dropoutBefore(site);
    if (site.kind !== 'batchnorm' || !dropout) {
      return [];
    }
    return [
      {
        message:
          `${dropout.message} feeds ${site.variant}: BatchNorm learns its running variance ` +
          `with dropout active and normalizes with it when dropout is off, which shifts the ` +
          `variance at inference ${citeLabel(CITATIONS.dropoutVarianceShift)}. Move dropout ` +
          `after the last BatchNorm.`,
        related: [dropout],
      },
    ];
  },
};

/** The dropout feeding the site, as evidence; PyTorch's `p=0` disables it. */
function dropoutBefore(site: NormSite): Evidence | undefined {
  const torch = pythonContext(site)?.dropout;
  if (torch) {
    const p = torch.p ?? 0.5;
    return p > 0 ? { message: `${torch.layer}(p=${p})`, range: torch.range } : undefined;
  }
  const producer = siteProducer(site);
  return producer?.kind.includes('dropout') ? producer.evidence : undefined;
}

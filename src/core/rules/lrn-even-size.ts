/**
 * NORM020: local response normalization with an even window. ONNX Runtime's CPU kernel rejects
 * it (`size_ % 2 == 1`), and PyTorch and ONNX place an even window differently, so exported
 * models disagree with the original. The window placement comes from the descriptors.
 */
import type { Fix, NormSite } from '../model';
import { lrnWindow } from '../norms/index';
import { replaceLiteral } from './edits';
import { numberParam } from './site-facts';
import type { Rule, RuleHit } from './types';

export const lrnEvenSize: Rule = {
  id: 'lrn-even-size',
  catalogId: 'NORM020',
  title: 'Local response normalization with an even window size',
  defaultSeverity: 'warning',
  appliesTo: ['pytorch', 'onnx'],
  thresholds: [],
  check(site): readonly RuleHit[] {
    const size = numberParam(site, 'size');
    if (site.kind !== 'lrn' || size === undefined || !Number.isInteger(size) || size % 2 !== 0) {
      return [];
    }
    const torch = lrnWindow('pytorch', size);
    const onnx = lrnWindow('onnx', size);
    const windows =
      `PyTorch sums ${torch.before} channel(s) before and ${torch.after} after, ONNX ` +
      `${onnx.before} before and ${onnx.after} after`;
    if (site.framework === 'onnx') {
      return [
        {
          message: `LRN(size=${size}): ONNX Runtime's CPU kernel rejects an even size, and the window is asymmetric (${windows}). Use an odd size.`,
        },
      ];
    }
    // PyTorch itself runs; the hazard is a port to ONNX's LRN op or another framework.
    return [
      {
        message: `${site.variant}(size=${size}): an even window is placed differently across frameworks (${windows}), and ONNX Runtime rejects an even LRN size, so a ported model disagrees or fails. Use an odd size.`,
        severity: 'info',
        fixes: sizeFixes(site, size),
      },
    ];
  },
};

function sizeFixes(site: NormSite, size: number): Fix[] {
  const fixes: Fix[] = [];
  for (const odd of [size - 1, size + 1]) {
    const edit = odd > 0 ? replaceLiteral(site.params['size'], String(odd)) : undefined;
    if (edit) {
      fixes.push({ title: `Use size=${odd}`, edits: [edit] });
    }
  }
  return fixes;
}

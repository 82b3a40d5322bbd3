import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import {
  detectNormSites,
  readOnnxModel,
  readTensor,
  weightHealth,
} from '../../../src/core/onnx/index';
import { externalDataFiles, FileByteSource } from '../../../src/node/file-byte-source';
import { fixtureModels } from './fixture-models';
import { FIXTURES, rejectsFormat } from './helpers';

/** Opens a committed fixture from disk, as the CLI and the editor do. */
async function open(relative: string) {
  const file = path.join(FIXTURES, relative);
  const source = await FileByteSource.open(file);
  const external = externalDataFiles(file);
  const model = readOnnxModel(source, { resolveExternal: external.resolve });
  return {
    model,
    close: async () => {
      await external.close();
      await source.close();
    },
  };
}

/** One row per committed model: what the inventory must list (variant and node names). */
const TABLE: readonly { file: string; sites: readonly [string, readonly string[]][] }[] = [
  {
    file: 'generated/conv_bn_unfused_op15.onnx',
    sites: [['BatchNormalization after Conv (unfused)', ['conv', 'bn']]],
  },
  { file: 'generated/bn_bad_stats_op15.onnx', sites: [['BatchNormalization', ['bn']]] },
  { file: 'generated/groupnorm18_per_group.onnx', sites: [['GroupNormalization-18', ['gn']]] },
  { file: 'generated/groupnorm21_per_channel.onnx', sites: [['GroupNormalization-21', ['gn']]] },
  {
    file: 'generated/groupnorm_decomposed_g4.onnx',
    sites: [
      [
        'decomposed GroupNorm',
        [
          'const_gn_shape',
          'reshape_in',
          'const_in_scale',
          'const_in_bias',
          'in',
          'shape_x',
          'reshape_out',
          'mul_gamma',
          'add_beta',
        ],
      ],
    ],
  },
  {
    file: 'generated/layernorm_cast_reciprocal_op13.onnx',
    sites: [
      [
        'decomposed LayerNorm',
        [
          'cast_in',
          'rm1',
          'sub',
          'square',
          'rm2',
          'add_eps',
          'sqrt',
          'recip',
          'mul_inv',
          'cast_out',
          'mul_gamma',
        ],
      ],
    ],
  },
  {
    file: 'generated/rmsnorm_fp16_eps_op18.onnx',
    sites: [
      [
        'decomposed RMSNorm',
        ['const_two', 'pow', 'rm', 'add_eps', 'sqrt', 'recip', 'mul_inv', 'mul_gamma'],
      ],
    ],
  },
  {
    file: 'generated/contrib_ops.onnx',
    sites: [
      ['SkipLayerNormalization', ['skip_ln']],
      ['SkipSimplifiedLayerNormalization', ['skip_rms']],
      ['SimplifiedLayerNormalization (ONNX Runtime, opset 14)', ['rms']],
      ['GroupNorm', ['ms_gn']],
    ],
  },
  { file: 'generated/external_data.onnx', sites: [['LayerNormalization', ['ln']]] },
];

describe('onnx committed fixtures', () => {
  it('are what the generator writes (run test/fixtures/onnx/generate.ts after changing them)', () => {
    for (const [relative, bytes] of fixtureModels()) {
      assert.deepEqual(readFileSync(path.join(FIXTURES, relative)), Buffer.from(bytes), relative);
    }
  });

  for (const row of TABLE) {
    it(`inventory of ${row.file}`, async () => {
      const opened = await open(row.file);
      try {
        const sites = await detectNormSites(await opened.model);
        assert.deepEqual(
          sites.map((s) => [s.variant, s.location.nodes]),
          row.sites,
        );
      } finally {
        await opened.close();
      }
    });
  }

  it('reads external data beside the model', async () => {
    const opened = await open('generated/external_data.onnx');
    try {
      assert.deepEqual([...(await readTensor(await opened.model, 'ln.w'))], [1, 0.5, 0.25, 0]);
    } finally {
      await opened.close();
    }
  });

  it('reports the weight problems of bn_bad_stats', async () => {
    const opened = await open('generated/bn_bad_stats_op15.onnx');
    try {
      const model = await opened.model;
      const [site] = await detectNormSites(model);
      assert.ok(site);
      const issues = (await weightHealth(model, site)).issues.map((i) => [i.kind, i.channels]);
      assert.deepEqual(issues, [
        ['dead-gamma', [1, 6]],
        ['running-var-invalid', [1, 4]],
        ['running-var-near-zero', [2]],
      ]);
    } finally {
      await opened.close();
    }
  });

  const bad: readonly [string, RegExp][] = [
    ['bad/truncated.onnx', /^Truncated or corrupt ONNX model: .* at offset 0x[0-9a-f]+$/],
    [
      'bad/not_onnx.onnx',
      /^Not an ONNX model: unexpected field 15 with wire type 3 at offset 0x0$/,
    ],
    [
      'bad/wrong_wire_type.onnx',
      /^Not an ONNX model: unexpected wire type 6 in NodeProto at offset 0x6$/,
    ],
  ];
  for (const [file, pattern] of bad) {
    it(`${file} gives a one-line typed error`, async () => {
      const opened = await open(file);
      try {
        await rejectsFormat(opened.model, pattern);
      } finally {
        await opened.close();
      }
    });
  }

  it('bad/external_traversal.onnx lists fine but refuses to read outside its folder', async () => {
    const opened = await open('bad/external_traversal.onnx');
    try {
      const model = await opened.model;
      assert.equal((await detectNormSites(model)).length, 1);
      await rejectsFormat(
        readTensor(model, 'ln.w'),
        /Refused external data '..\/..\/secret.bin': it leaves the model folder/,
      );
    } finally {
      await opened.close();
    }
  });
});

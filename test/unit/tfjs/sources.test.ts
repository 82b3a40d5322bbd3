import assert from 'node:assert/strict';
import type { TfjsNormSite } from '../../../src/core/tfjs/index';
import { extract } from './parse';

/** One way of writing a normalization call, and what must be found. */
interface FormCase {
  readonly name: string;
  readonly code: string;
  readonly kind: TfjsNormSite['kind'];
  readonly variant: string;
  readonly callee: string;
  readonly resolvedFrom: string;
  /** 0-based line and UTF-16 column of the call. */
  readonly at: readonly [number, number];
}

const NS = "import * as tf from '@tensorflow/tfjs';\n";

const forms: readonly FormCase[] = [
  {
    name: 'namespace import, layer',
    code: `${NS}const bn = tf.layers.batchNormalization({});`,
    kind: 'batchnorm',
    variant: 'tf.layers.batchNormalization',
    callee: 'tf.layers.batchNormalization',
    resolvedFrom: 'tf.layers.batchNormalization',
    at: [1, 11],
  },
  {
    name: 'tfjs-node namespace, layerNormalization',
    code: "import * as tfn from '@tensorflow/tfjs-node';\ntfn.layers.layerNormalization();",
    kind: 'layernorm',
    variant: 'tf.layers.layerNormalization',
    callee: 'tfn.layers.layerNormalization',
    resolvedFrom: 'tfn.layers.layerNormalization → tf.layers.layerNormalization',
    at: [1, 0],
  },
  {
    name: 'tfjs-layers default import',
    code: "import tfl from '@tensorflow/tfjs-layers';\ntfl.layers.batchNormalization();",
    kind: 'batchnorm',
    variant: 'tf.layers.batchNormalization',
    callee: 'tfl.layers.batchNormalization',
    resolvedFrom: 'tfl.layers.batchNormalization → tf.layers.batchNormalization',
    at: [1, 0],
  },
  {
    name: 'named import of layers with alias',
    code: "import {layers as L} from '@tensorflow/tfjs';\nL.batchNormalization();",
    kind: 'batchnorm',
    variant: 'tf.layers.batchNormalization',
    callee: 'L.batchNormalization',
    resolvedFrom: 'L.batchNormalization → tf.layers.batchNormalization',
    at: [1, 0],
  },
  {
    name: 'named import of an op',
    code: "import {batchNorm4d} from '@tensorflow/tfjs-core';\nbatchNorm4d(x, m, v);",
    kind: 'batchnorm',
    variant: 'tf.batchNorm',
    callee: 'batchNorm4d',
    resolvedFrom: 'batchNorm4d → tf.batchNorm4d',
    at: [1, 0],
  },
  {
    name: 'require',
    code: "const tf = require('@tensorflow/tfjs-node');\ntf.layers.batchNormalization();",
    kind: 'batchnorm',
    variant: 'tf.layers.batchNormalization',
    callee: 'tf.layers.batchNormalization',
    resolvedFrom: 'tf.layers.batchNormalization',
    at: [1, 0],
  },
  {
    name: 'destructured require',
    code: "const {layers: ly} = require('@tensorflow/tfjs');\nly.layerNormalization();",
    kind: 'layernorm',
    variant: 'tf.layers.layerNormalization',
    callee: 'ly.layerNormalization',
    resolvedFrom: 'ly.layerNormalization → tf.layers.layerNormalization',
    at: [1, 0],
  },
  {
    name: 'destructured from tf',
    code: `${NS}const {layers} = tf;\nlayers.batchNormalization();`,
    kind: 'batchnorm',
    variant: 'tf.layers.batchNormalization',
    callee: 'layers.batchNormalization',
    resolvedFrom: 'layers.batchNormalization → tf.layers.batchNormalization',
    at: [2, 0],
  },
  {
    name: 'alias of the factory',
    code: `${NS}const bnf = tf.layers.batchNormalization;\nbnf();`,
    kind: 'batchnorm',
    variant: 'tf.layers.batchNormalization',
    callee: 'bnf',
    resolvedFrom: 'bnf → tf.layers.batchNormalization',
    at: [2, 0],
  },
  {
    name: 'script-tag global tf',
    code: 'const y = tf.batchNorm(x, m, v);',
    kind: 'batchnorm',
    variant: 'tf.batchNorm',
    callee: 'tf.batchNorm',
    resolvedFrom: 'tf.batchNorm',
    at: [0, 10],
  },
  {
    name: 'batchNorm2d and 3d are the batchNorm op',
    code: 'tf.batchNorm3d(x, m, v);',
    kind: 'batchnorm',
    variant: 'tf.batchNorm',
    callee: 'tf.batchNorm3d',
    resolvedFrom: 'tf.batchNorm3d',
    at: [0, 0],
  },
  {
    name: 'localResponseNormalization',
    code: `${NS}tf.localResponseNormalization(x);`,
    kind: 'lrn',
    variant: 'tf.localResponseNormalization',
    callee: 'tf.localResponseNormalization',
    resolvedFrom: 'tf.localResponseNormalization',
    at: [1, 0],
  },
  {
    name: 'UTF-16 columns after a non-BMP character',
    code: `${NS}/* 🙂 */ tf.layers.layerNormalization();`,
    kind: 'layernorm',
    variant: 'tf.layers.layerNormalization',
    callee: 'tf.layers.layerNormalization',
    resolvedFrom: 'tf.layers.layerNormalization',
    at: [1, 9],
  },
  {
    name: 'TypeScript wrappers around the callee',
    code: `${NS}(tf.layers as typeof tf.layers).batchNormalization();`,
    kind: 'batchnorm',
    variant: 'tf.layers.batchNormalization',
    callee: '(tf.layers as typeof tf.layers).batchNormalization',
    resolvedFrom:
      '(tf.layers as typeof tf.layers).batchNormalization → tf.layers.batchNormalization',
    at: [1, 0],
  },
];

describe('tfjs sources: call forms', () => {
  for (const c of forms) {
    it(c.name, async () => {
      const { sites, errors } = await extract(c.code);
      assert.deepEqual(errors, []);
      assert.equal(sites.length, 1, JSON.stringify(sites));
      const [site] = sites;
      assert.equal(site?.kind, c.kind);
      assert.equal(site?.variant, c.variant);
      assert.equal(site?.framework, 'tfjs');
      assert.equal(site?.callee, c.callee);
      assert.equal(site?.resolvedFrom, c.resolvedFrom);
      assert.equal(site?.location.type, 'text');
      if (site?.location.type === 'text') {
        assert.deepEqual(site.location.range.start, { line: c.at[0], character: c.at[1] });
      }
      assert.deepEqual(site?.nameRange?.start, { line: c.at[0], character: c.at[1] });
    });
  }
});

/** Code that must yield no site. */
const nonSites: readonly { readonly name: string; readonly code: string }[] = [
  {
    name: 'tf bound to another package',
    code: "import * as tf from 'not-tfjs';\ntf.layers.batchNormalization();",
  },
  {
    name: 'required from another package',
    code: "const tf = require('other');\ntf.batchNorm(x, m, v);",
  },
  {
    name: 'a method of something else',
    code: 'model.batchNormalization(); keras.layers.batchNormalization();',
  },
  { name: 'a reference without a call', code: 'const f = tf.layers.batchNormalization;' },
  { name: 'other layers', code: 'tf.layers.conv2d({filters: 3}); tf.layers.dense({units: 2});' },
  { name: 'a string mentioning it', code: "const s = 'tf.layers.batchNormalization()';" },
];

describe('tfjs sources: not sites', () => {
  for (const c of nonSites) {
    it(c.name, async () => {
      assert.deepEqual((await extract(c.code)).sites, []);
    });
  }
});

describe('tfjs sources: grammars', () => {
  it('parses JavaScript and TSX', async () => {
    const js = await extract('tf.layers.batchNormalization({momentum: 0.9});', 'javascript');
    assert.equal(js.sites[0]?.params['momentum']?.value, 0.9);
    const tsx = await extract(
      'const C = () => <div>{String(tf.layers.layerNormalization())}</div>;',
      'tsx',
    );
    assert.equal(tsx.sites[0]?.kind, 'layernorm');
  });

  it('reports syntax errors and keeps the intact parts', async () => {
    const { sites, errors } = await extract('tf.layers.batchNormalization();\nconst = = ;\n');
    assert.equal(sites.length, 1);
    assert.ok(errors.length > 0);
    assert.ok(errors.every((e) => e.kind === 'syntax'));
  });
});

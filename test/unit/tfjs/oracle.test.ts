/**
 * Cross-checks the extractor against the TypeScript-compiler oracle (scripts/oracle/tfjs-oracle.ts),
 * an independent implementation, on a mixed source and on a real model.json from npm.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { analyzeTfjsModelJson } from '../../../src/core/tfjs/index';
import { extract } from './parse';

/** One site as the oracle lists it. */
interface OracleSite {
  readonly at: string;
  readonly kind: string;
}

/** The oracle's listing functions (see scripts/oracle/tfjs-oracle.ts). */
interface Oracle {
  readonly sourceSites: (path: string, text: string, kind: ts.ScriptKind) => OracleSite[];
  readonly modelSites: (path: string, text: string) => OracleSite[];
}

/**
 * The oracle lives under scripts/, outside this test project's compilation, so it is loaded at
 * run time (tsx compiles it) and typed by the interface above.
 */
async function loadOracle(): Promise<Oracle> {
  const path = join(__dirname, '../../../scripts/oracle/tfjs-oracle.ts');
  return (await import(path)) as Oracle;
}

const MIXED = `import * as tf from '@tensorflow/tfjs';
import {layers as L, moments} from '@tensorflow/tfjs-core';
const {batchNorm} = require('@tensorflow/tfjs-node');
const model = tf.sequential({layers: [tf.layers.conv2d({filters: 4, kernelSize: 3}), L.batchNormalization()]});
model.add(tf.layers.layerNormalization({axis: [1, 2]}));
const y = batchNorm(x, m, v), z = tf.batchNorm2d(x, m, v);
const lrn = (t: tf.Tensor4D) => tf.localResponseNormalization(t, 2);
class GroupNorm extends tf.layers.Layer {
  call(x: tf.Tensor) { return moments(x, [1, 2, 4], true).mean; }
}
const gn = new GroupNorm();
const other = keras.layers.batchNormalization();
`;

describe('tfjs extractor vs TypeScript-compiler oracle', () => {
  it('finds exactly the oracle sites in a mixed TypeScript source', async () => {
    const { sourceSites } = await loadOracle();
    const expected = sourceSites('mixed.ts', MIXED, ts.ScriptKind.TS).map(
      (s) => `${s.at}:${s.kind}`,
    );
    const { sites } = await extract(MIXED);
    const found = sites.map((s) =>
      s.location.type === 'text'
        ? `${s.location.range.start.line}:${s.location.range.start.character}:${s.kind}`
        : '',
    );
    assert.equal(expected.length, 7);
    assert.deepEqual([...found].sort(), [...expected].sort());
  });

  it('finds exactly the oracle sites in a real graph-model (folded BatchNorms)', async () => {
    const text = readFileSync(
      join(__dirname, '../../fixtures/tfjs/real/human-emotion.model.json'),
      'utf8',
    );
    const { modelSites } = await loadOracle();
    const expected = modelSites('emotion', text).map((s) => s.at);
    const result = await analyzeTfjsModelJson(text);
    assert.deepEqual(result.errors, []);
    assert.equal(expected.length, 8);
    assert.deepEqual(
      result.sites.map((s) => (s.location.type === 'graph' ? s.location.nodes[0] : '')).sort(),
      [...expected].sort(),
    );
    assert.ok(result.sites.every((s) => s.context.foldedInto !== undefined));
  });
});

/**
 * File-level evidence: batch sizes of `model.fit(x, y, {batchSize})` (tfjs' default of 32 when it
 * is absent), `evaluate` and `predict`, and dtype/precision settings (WebGL half-float textures,
 * `dtype` in layer configs). Dataset batches are in `datasets.ts`.
 */
import type { Node } from 'web-tree-sitter';
import type { BatchSizeEvidence } from '../../model';
import { rangeOf } from '../../syntax/ranges';
import type { DtypeEvidence } from '../types';
import { argumentsOf } from './arguments';
import type { SourceScope } from './sites';
import { unwrap } from './syntax';
import type { Entries } from './values';

/** tfjs' `model.fit` batch size when `batchSize` is not given (`training.ts`, DEFAULT_BATCH_SIZE). */
const TFJS_DEFAULT_BATCH_SIZE = 32;

/** Where the config object sits in each training/inference method: fit(x, y, args). */
const CONFIG_POSITION: Readonly<Record<string, { index: number; purpose: 'train' | 'eval' }>> = {
  fit: { index: 2, purpose: 'train' },
  evaluate: { index: 2, purpose: 'eval' },
  predict: { index: 1, purpose: 'eval' },
};

/**
 * The batch-size evidence of one call, if it is a fit/evaluate/predict (dataset batches are
 * `DatasetBatches`' concern).
 */
export function batchSizeOf(call: Node, scope: SourceScope): BatchSizeEvidence | undefined {
  const callee = call.childForFieldName('function');
  const property =
    callee?.type === 'member_expression' ? callee.childForFieldName('property') : null;
  const method = property ? scope.read(property) : '';
  const position = Object.hasOwn(CONFIG_POSITION, method) ? CONFIG_POSITION[method] : undefined;
  if (!position) {
    return undefined;
  }
  const args = argumentsOf(call);
  if (args.length < position.index) {
    return undefined;
  }
  const config = args[position.index];
  const entries: Entries | undefined = config
    ? scope.values.entries(config)
    : { entries: new Map() };
  const written = entries?.entries.get('batchSize');
  if (written) {
    const folded = scope.values.evaluate(written.value);
    if (typeof folded?.value !== 'number') {
      return undefined;
    }
    return {
      value: folded.value,
      origin: `${method}(batchSize=${scope.read(written.value)})`,
      range: rangeOf(call),
      message: `batchSize=${folded.value} here`,
      purpose: position.purpose,
    };
  }
  // An opaque config (or one spreading an opaque object) may set batchSize: say nothing.
  if (!entries || entries.openSpread) {
    return undefined;
  }
  return {
    value: TFJS_DEFAULT_BATCH_SIZE,
    origin: `${method}() without batchSize (tfjs default ${TFJS_DEFAULT_BATCH_SIZE})`,
    range: rangeOf(call),
    message: `no batchSize: tfjs uses its default of ${TFJS_DEFAULT_BATCH_SIZE}`,
    purpose: position.purpose,
  };
}

/** WebGL flags whose setting makes the backend store tensors as float16 textures. */
const HALF_FLAGS: Readonly<Record<string, boolean>> = {
  WEBGL_FORCE_F16_TEXTURES: true,
  WEBGL_RENDER_FLOAT32_ENABLED: false,
};

/** Dtype evidence of a call: `tf.env().set(flag, value)` or a layer config's `dtype`. */
export function dtypeOf(call: Node, scope: SourceScope): DtypeEvidence | undefined {
  const callee = call.childForFieldName('function');
  const property =
    callee?.type === 'member_expression' ? callee.childForFieldName('property') : null;
  // Arguments are read only for calls that may be evidence: most calls of a file are not.
  if (property && scope.read(property) === 'set') {
    const args = argumentsOf(call);
    const [flag, value] =
      args.length === 2 ? args.map((arg) => scope.values.evaluate(arg)?.value) : [];
    if (typeof flag === 'string' && Object.hasOwn(HALF_FLAGS, flag) && HALF_FLAGS[flag] === value) {
      return {
        value: 'float16',
        range: rangeOf(call),
        message: `${flag}=${String(value)}: the WebGL backend stores tensors as float16 textures`,
      };
    }
    return undefined;
  }
  const path = callee ? scope.names.resolve(callee, scope.read) : undefined;
  if (!path?.startsWith('tf.layers.')) {
    return undefined;
  }
  const config = argumentsOf(call)[0];
  const dtype = config && scope.values.entries(config)?.entries.get('dtype');
  const folded = dtype && scope.values.evaluate(unwrap(dtype.value));
  return dtype && typeof folded?.value === 'string'
    ? { value: folded.value, range: rangeOf(dtype.value), message: `layer dtype '${folded.value}'` }
    : undefined;
}

// Layout conversions for testing channels-last kernels against channels-first references.

import type { Tensor } from '../../../src/core/kernels/index';

/** NC… → N…C. */
export function toChannelsLast(x: Tensor): Tensor {
  const [n = 0, c = 0, ...spatial] = x.shape;
  const s = spatial.reduce((a, b) => a * b, 1);
  const data = new Float32Array(x.data.length);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < c; j++) {
      for (let k = 0; k < s; k++) {
        data[(i * s + k) * c + j] = x.data[(i * c + j) * s + k] ?? NaN;
      }
    }
  }
  return { data, shape: [n, ...spatial, c] };
}

/** N…C → NC…. */
export function toChannelsFirst(x: Tensor): Tensor {
  const n = x.shape[0] ?? 0;
  const c = x.shape[x.shape.length - 1] ?? 0;
  const spatial = x.shape.slice(1, -1);
  const s = spatial.reduce((a, b) => a * b, 1);
  const data = new Float32Array(x.data.length);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < c; j++) {
      for (let k = 0; k < s; k++) {
        data[(i * c + j) * s + k] = x.data[(i * s + k) * c + j] ?? NaN;
      }
    }
  }
  return { data, shape: [n, c, ...spatial] };
}

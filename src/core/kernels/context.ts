// What every kernel implementation needs: the module's exports, its memory, and the per-call
// handling of inputs (in place or copied, optionally rounded) and outputs (caller-owned or new).

import { KernelArgumentError } from './errors';
import { Frame, ScratchPool, type Arena, type MemoryViews } from './memory';
import type { KernelExports } from './runtime';
import type { Output, Precision, Tensor } from './types';

/** Module code of each storage precision (see src/kernels-wasm/precision.ts). */
export function precisionMode(precision: Precision | undefined): number {
  return precision === 'fp16' ? 1 : precision === 'bf16' ? 2 : 0;
}

/** Where a kernel writes, and how the result reaches the caller. */
export interface OutputTarget {
  readonly ptr: number;
  /** Rounds to `mode` if needed and returns the caller-visible tensor. */
  finish(mode: number): Tensor;
}

/** The loaded module plus its memory; shared by all kernel implementations. */
export class KernelContext {
  private readonly pool: ScratchPool;

  constructor(
    readonly wasm: KernelExports,
    readonly arena: Arena,
    readonly views: MemoryViews,
  ) {
    this.pool = new ScratchPool(arena);
  }

  /** Runs `body` with a scratch frame that is released afterwards, even on error. */
  run<T>(body: (frame: Frame) => T): T {
    const frame = new Frame(this.views, this.arena, this.pool);
    try {
      return body(frame);
    } finally {
      frame.release();
    }
  }

  /** Pointer to x's elements in kernel memory, rounded to the storage format when mode ≠ 0. */
  input(frame: Frame, x: Tensor, mode: number): number {
    const ptr = frame.place(x.data);
    if (mode === 0) {
      return ptr;
    }
    const rounded = frame.alloc(x.data.length, 4);
    this.wasm.roundArray(ptr, rounded, x.data.length, mode);
    return rounded;
  }

  /**
   * Output of `shape`: written in place when `out` lives in kernel memory, otherwise through
   * scratch space and copied into `out` (or a new array) at the end.
   */
  output(
    frame: Frame,
    shape: readonly number[],
    count: number,
    out: Output | undefined,
  ): OutputTarget {
    const data = out instanceof Float32Array ? out : out?.data;
    if (data && data.length !== count) {
      throw new KernelArgumentError(
        'shape-mismatch',
        `out has ${data.length} elements but the result has ${count}`,
      );
    }
    const resident = data?.buffer === this.views.buffer;
    const ptr = resident ? data.byteOffset : frame.alloc(count, 4);
    return {
      ptr,
      finish: (mode) => {
        if (mode !== 0) {
          this.wasm.roundArray(ptr, ptr, count, mode);
        }
        if (!resident) {
          const result = this.views.f32(ptr, count);
          if (!data) {
            return { data: result.slice(), shape };
          }
          data.set(result);
        }
        return out instanceof Float32Array
          ? { data: out, shape }
          : (out ?? { data: data ?? new Float32Array(0), shape });
      },
    };
  }
}

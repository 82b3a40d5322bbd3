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

/**
 * Where a kernel writes: in place when the caller's output lives in kernel memory, otherwise
 * scratch space that `finish` copies into the caller's array (or a new one).
 */
export class OutputTarget {
  /** Byte offset the kernel writes to. */
  readonly ptr: number;
  private readonly data: Float32Array | undefined;
  private readonly resident: boolean;

  constructor(
    private readonly context: KernelContext,
    frame: Frame,
    private readonly shape: readonly number[],
    private readonly count: number,
    private readonly out: Output | undefined,
  ) {
    const data = out instanceof Float32Array ? out : out?.data;
    if (data && data.length !== count) {
      throw new KernelArgumentError(
        'shape-mismatch',
        `out has ${data.length} elements but the result has ${count}`,
      );
    }
    this.data = data;
    this.resident = data !== undefined && context.views.resident(data);
    this.ptr = this.resident && data ? data.byteOffset : frame.alloc(count, 4);
  }

  /** Rounds to `mode` if needed and returns the caller-visible tensor. */
  finish(mode: number): Tensor {
    const { context, ptr, count, data, out, shape } = this;
    if (mode !== 0) {
      context.wasm.roundArray(ptr, ptr, count, mode);
    }
    if (!this.resident) {
      if (!data) {
        return { data: context.views.readF32(ptr, count), shape };
      }
      data.set(context.views.f32(ptr, count));
    }
    return out instanceof Float32Array
      ? { data: out, shape }
      : (out ?? { data: data ?? new Float32Array(0), shape });
  }
}

/** The loaded module plus its memory; shared by all kernel implementations. */
export class KernelContext {
  private readonly pool: ScratchPool;
  /** The frame every call reuses; `busy` while a call holds it. */
  private readonly frame: Frame;
  private busy = false;

  constructor(
    readonly wasm: KernelExports,
    readonly arena: Arena,
    readonly views: MemoryViews,
  ) {
    this.pool = new ScratchPool(arena);
    this.frame = new Frame(views, arena, this.pool);
  }

  /** Runs `body` with a scratch frame that is released afterwards, even on error. */
  run<T>(body: (frame: Frame) => T): T {
    // A call made while another holds the shared frame (none of ours nest) gets its own.
    const shared = !this.busy;
    const frame = shared ? this.frame : new Frame(this.views, this.arena, this.pool);
    this.busy = true;
    frame.open();
    try {
      return body(frame);
    } finally {
      frame.release();
      if (shared) {
        this.busy = false;
      }
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

  /** Output of `shape` (`count` elements), written in place or through scratch space. */
  output(
    frame: Frame,
    shape: readonly number[],
    count: number,
    out: Output | undefined,
  ): OutputTarget {
    return new OutputTarget(this, frame, shape, count, out);
  }
}

// Ownership of the kernels' linear memory: a first-fit allocator, tensors that live in it, and
// per-call frames for scratch space. Pointers stay valid when memory grows; JavaScript views do
// not (growth detaches the old ArrayBuffer and empties its views), so views are re-created from
// the pointer once growth has emptied them.

import type { WasmMemory } from './runtime';
import type { Tensor } from './types';

const PAGE = 65536;
const ALIGN = 16;

interface Block {
  start: number;
  size: number;
}

/** First-fit allocator over the linear memory above the module's own data. */
export class Arena {
  private readonly free: Block[] = [];
  private readonly live = new Map<number, number>();

  constructor(
    private readonly memory: WasmMemory,
    heapBase: number,
  ) {
    const start = align(heapBase);
    this.free.push({ start, size: memory.buffer.byteLength - start });
  }

  /** Reserves `bytes` (16-byte aligned), growing the memory when no free block fits. */
  allocate(bytes: number): number {
    const size = align(Math.max(bytes, ALIGN));
    let index = this.free.findIndex((block) => block.size >= size);
    if (index < 0) {
      index = this.grow(size);
    }
    const block = this.free[index];
    if (!block) {
      throw new RangeError(`Cannot allocate ${bytes} bytes of kernel memory.`);
    }
    const start = block.start;
    if (block.size === size) {
      this.free.splice(index, 1);
    } else {
      block.start += size;
      block.size -= size;
    }
    this.live.set(start, size);
    return start;
  }

  /** Returns a block from `allocate` to the free list, merging it with free neighbours. */
  release(start: number): void {
    const size = this.live.get(start);
    if (size === undefined) {
      return;
    }
    this.live.delete(start);
    let index = this.free.findIndex((block) => block.start > start);
    if (index < 0) {
      index = this.free.length;
    }
    this.free.splice(index, 0, { start, size });
    this.merge(index);
    if (index > 0) {
      this.merge(index - 1);
    }
  }

  private merge(index: number): void {
    const block = this.free[index];
    const next = this.free[index + 1];
    if (block && next?.start === block.start + block.size) {
      block.size += next.size;
      this.free.splice(index + 1, 1);
    }
  }

  /** Grows the memory so that the last free block holds `size` bytes; returns its index. */
  private grow(size: number): number {
    const end = this.memory.buffer.byteLength;
    const last = this.free[this.free.length - 1];
    const tail = last && last.start + last.size === end ? last.size : 0;
    const pages = Math.ceil((size - tail) / PAGE);
    this.memory.grow(pages);
    this.free.push({ start: end, size: pages * PAGE });
    this.merge(this.free.length - 2);
    return this.free.length - 1;
  }
}

function align(bytes: number): number {
  return Math.ceil(bytes / ALIGN) * ALIGN;
}

/**
 * Typed views of the whole linear memory, kept between calls and re-created only after growth.
 * Growth is detected by the old view's length dropping to 0 (the ArrayBuffer is detached), which
 * costs one field read; asking the memory for its `buffer` costs a call into the engine.
 */
export class MemoryViews {
  private heap: ArrayBuffer;
  private heapF32: Float32Array;
  private heapF64: Float64Array;
  private heapU32: Uint32Array;

  constructor(private readonly memory: WasmMemory) {
    this.heap = memory.buffer;
    this.heapF32 = new Float32Array(this.heap);
    this.heapF64 = new Float64Array(this.heap);
    this.heapU32 = new Uint32Array(this.heap);
  }

  private sync(): void {
    if (this.heapF32.length === 0) {
      this.heap = this.memory.buffer;
      this.heapF32 = new Float32Array(this.heap);
      this.heapF64 = new Float64Array(this.heap);
      this.heapU32 = new Uint32Array(this.heap);
    }
  }

  /** The current buffer; a tensor whose data lies in it is used in place. */
  get buffer(): ArrayBuffer {
    this.sync();
    return this.heap;
  }

  /** Whether `data` is a view of the kernels' memory (and can be used in place). */
  resident(data: Float32Array): boolean {
    return data.buffer === this.buffer;
  }

  /** A view of `length` float32 values at `ptr`. */
  f32(ptr: number, length: number): Float32Array {
    this.sync();
    return this.heapF32.subarray(ptr >>> 2, (ptr >>> 2) + length);
  }

  /** A view of `length` float64 values at `ptr`. */
  f64(ptr: number, length: number): Float64Array {
    this.sync();
    return this.heapF64.subarray(ptr >>> 3, (ptr >>> 3) + length);
  }

  /** A view of `length` uint32 values at `ptr`. */
  u32(ptr: number, length: number): Uint32Array {
    this.sync();
    return this.heapU32.subarray(ptr >>> 2, (ptr >>> 2) + length);
  }

  /** A copy of `length` float32 values at `ptr`. */
  readF32(ptr: number, length: number): Float32Array {
    this.sync();
    return this.heapF32.slice(ptr >>> 2, (ptr >>> 2) + length);
  }

  /** A copy of `length` float64 values at `ptr`. */
  readF64(ptr: number, length: number): Float64Array {
    this.sync();
    return this.heapF64.slice(ptr >>> 3, (ptr >>> 3) + length);
  }

  /** Copies `values` into float32 memory at `ptr`. */
  writeF32(ptr: number, values: ArrayLike<number>): void {
    this.sync();
    this.heapF32.set(values, ptr >>> 2);
  }

  /** Copies `values` into float64 memory at `ptr`. */
  writeF64(ptr: number, values: ArrayLike<number>): void {
    this.sync();
    this.heapF64.set(values, ptr >>> 3);
  }

  /** Sets `length` float32 values at `ptr` to `value`. */
  fillF32(ptr: number, length: number, value: number): void {
    this.sync();
    this.heapF32.fill(value, ptr >>> 2, (ptr >>> 2) + length);
  }

  /** Sets `length` uint32 values at `ptr` to `value`. */
  fillU32(ptr: number, length: number, value: number): void {
    this.sync();
    this.heapU32.fill(value, ptr >>> 2, (ptr >>> 2) + length);
  }
}

/**
 * A float32 tensor stored in the kernels' memory. Kernels read and write it in place, with no
 * copy, which is what makes them run near memory bandwidth. `data` is a live view that is
 * re-created if the memory has grown since it was last read; call `release()` when done.
 */
export class WasmTensor implements Tensor {
  private view: Float32Array;

  /** @internal Use `Kernels.allocate`. */
  constructor(
    private readonly views: MemoryViews,
    private readonly arena: Arena,
    /** Byte offset of the first element in the kernels' memory. */
    readonly ptr: number,
    readonly shape: readonly number[],
    /** Number of elements. */
    readonly length: number,
  ) {
    this.view = views.f32(ptr, length);
  }

  /** The elements, as a view of the kernels' memory. */
  get data(): Float32Array {
    // Growth detaches the old view, which then has length 0 (see MemoryViews).
    if (this.view.length !== this.length) {
      this.view = this.views.f32(this.ptr, this.length);
    }
    return this.view;
  }

  /** Frees the memory; the tensor must not be used afterwards. */
  release(): void {
    this.arena.release(this.ptr);
  }
}

/** Largest scratch region kept between calls; bigger needs (copies of large inputs) use the arena. */
const POOL_LIMIT = 1 << 20;

/**
 * One scratch region reused by every kernel call, so that small calls cost no allocator work.
 * A call takes it whole (calls do not nest, but a nested one would simply use the arena) and it
 * grows, up to `POOL_LIMIT`, to the largest need seen.
 */
export class ScratchPool {
  private ptr = 0;
  private size = 0;
  private busy = false;

  constructor(private readonly arena: Arena) {}

  /** Start of the region and its size, or undefined when another frame holds it. */
  acquire(): { readonly ptr: number; readonly size: number } | undefined {
    if (this.busy) {
      return undefined;
    }
    this.busy = true;
    return { ptr: this.ptr, size: this.size };
  }

  /** Gives the region back; `wanted` bytes (what the last frame needed) sizes the next one. */
  giveBack(wanted: number): void {
    this.busy = false;
    const size = Math.min(align(wanted), POOL_LIMIT);
    if (size > this.size) {
      if (this.size > 0) {
        this.arena.release(this.ptr);
      }
      this.ptr = this.arena.allocate(size);
      this.size = size;
    }
  }
}

/**
 * Scratch allocations of one kernel call, all released together by `release()`. The context
 * keeps one frame and reopens it for every call (a nested call gets a frame of its own), so a
 * call allocates no JavaScript objects for its scratch space.
 */
export class Frame {
  private readonly blocks: number[] = [];
  private regionPtr = 0;
  private regionSize = 0;
  private pooled = false;
  private used = 0;

  constructor(
    readonly views: MemoryViews,
    private readonly arena: Arena,
    private readonly pool: ScratchPool,
  ) {}

  /** Starts a call: takes the pooled region when it is free. */
  open(): this {
    const region = this.pool.acquire();
    this.pooled = region !== undefined;
    this.regionPtr = region?.ptr ?? 0;
    this.regionSize = region?.size ?? 0;
    this.used = 0;
    return this;
  }

  /** Scratch space for `count` elements of `bytesPerElement` bytes (16-byte aligned). */
  alloc(count: number, bytesPerElement: 4 | 8): number {
    const bytes = align(Math.max(count * bytesPerElement, ALIGN));
    const offset = this.used;
    this.used += bytes;
    if (this.used <= this.regionSize) {
      return this.regionPtr + offset;
    }
    const ptr = this.arena.allocate(bytes);
    this.blocks.push(ptr);
    return ptr;
  }

  /** Copies float32 values into scratch space; returns the pointer. */
  copyF32(values: ArrayLike<number>): number {
    const ptr = this.alloc(values.length, 4);
    this.views.writeF32(ptr, values);
    return ptr;
  }

  /** Copies values into float64 scratch space; returns the pointer. */
  copyF64(values: ArrayLike<number>): number {
    const ptr = this.alloc(values.length, 8);
    this.views.writeF64(ptr, values);
    return ptr;
  }

  /** Scratch float32 space filled with `value`. */
  filledF32(count: number, value: number): number {
    const ptr = this.alloc(count, 4);
    this.views.fillF32(ptr, count, value);
    return ptr;
  }

  /** Where `data` lives in the kernels' memory: in place if it is already there, else a copy. */
  place(data: Float32Array): number {
    return this.views.resident(data) ? data.byteOffset : this.copyF32(data);
  }

  /** Ends the call: frees what did not fit the pooled region and sizes that region for the next. */
  release(): void {
    for (const ptr of this.blocks) {
      this.arena.release(ptr);
    }
    this.blocks.length = 0;
    if (this.pooled) {
      this.pooled = false;
      this.pool.giveBack(this.used);
    }
  }
}

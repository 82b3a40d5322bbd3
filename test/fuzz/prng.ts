/**
 * A small seeded generator (mulberry32) so that every fuzz input can be rebuilt from its seed and
 * iteration number alone.
 */
export class Prng {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** A generator for one iteration of a run: independent of how many draws earlier ones made. */
  static forIteration(seed: number, iteration: number): Prng {
    // Mixing both numbers through one draw keeps neighbouring iterations uncorrelated.
    const mixer = new Prng((seed ^ Math.imul(iteration + 1, 0x9e3779b1)) >>> 0);
    return new Prng(mixer.next() ^ seed);
  }

  /** A uniform 32-bit unsigned integer. */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  }

  /** An integer in `[0, bound)`; 0 when `bound` is 0. */
  below(bound: number): number {
    return bound <= 0 ? 0 : Math.floor((this.next() / 2 ** 32) * bound);
  }

  /** An integer in `[low, high]`. */
  between(low: number, high: number): number {
    return low + this.below(high - low + 1);
  }

  /** True with probability `p`. */
  chance(p: number): boolean {
    return this.next() / 2 ** 32 < p;
  }

  /** One element of a non-empty list. */
  pick<T>(list: readonly T[]): T {
    const item = list[this.below(list.length)];
    if (item === undefined) {
      throw new Error('pick from an empty list');
    }
    return item;
  }

  /** `count` random bytes. */
  bytes(count: number): Uint8Array {
    const out = new Uint8Array(count);
    for (let k = 0; k < count; k++) {
      out[k] = this.next() & 0xff;
    }
    return out;
  }
}

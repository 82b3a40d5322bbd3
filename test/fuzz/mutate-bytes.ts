/**
 * Schema-blind byte mutations: bit flips, inserted and deleted bytes, overwritten runs, cut-offs
 * and duplicated ranges.
 */
import type { Prng } from './prng';
import { concat } from './wire';

/** Values that often hit boundaries in length and count checks. */
const INTERESTING = [0x00, 0x01, 0x7f, 0x80, 0xff, 0x08, 0x0a, 0x12, 0x3a, 0x42];

/** A named transformation of a byte array. */
export interface ByteMutator {
  readonly name: string;
  apply(bytes: Uint8Array, random: Prng): Uint8Array;
}

function flipBits(bytes: Uint8Array, random: Prng): Uint8Array {
  const out = bytes.slice();
  const flips = random.between(1, 8);
  for (let k = 0; k < flips && out.length > 0; k++) {
    const at = random.below(out.length);
    out[at] = (out[at] ?? 0) ^ (1 << random.below(8));
  }
  return out;
}

function insertBytes(bytes: Uint8Array, random: Prng): Uint8Array {
  const at = random.below(bytes.length + 1);
  const count = random.chance(0.8) ? random.between(1, 8) : random.between(9, 512);
  const inserted = random.chance(0.5)
    ? random.bytes(count)
    : new Uint8Array(count).fill(random.pick(INTERESTING));
  return concat(bytes.subarray(0, at), inserted, bytes.subarray(at));
}

function deleteBytes(bytes: Uint8Array, random: Prng): Uint8Array {
  const at = random.below(bytes.length);
  const count = random.chance(0.8) ? random.between(1, 8) : random.between(9, 512);
  return concat(bytes.subarray(0, at), bytes.subarray(Math.min(bytes.length, at + count)));
}

function overwrite(bytes: Uint8Array, random: Prng): Uint8Array {
  const out = bytes.slice();
  const at = random.below(out.length);
  const count = random.between(1, 4);
  for (let k = 0; k < count && at + k < out.length; k++) {
    out[at + k] = random.pick(INTERESTING);
  }
  return out;
}

function cutOff(bytes: Uint8Array, random: Prng): Uint8Array {
  return bytes.subarray(0, random.below(bytes.length));
}

function duplicateRange(bytes: Uint8Array, random: Prng): Uint8Array {
  const from = random.below(bytes.length);
  const to = Math.min(bytes.length, from + random.between(1, 256));
  const at = random.below(bytes.length + 1);
  return concat(bytes.subarray(0, at), bytes.subarray(from, to), bytes.subarray(at));
}

/** The byte mutators, each equally likely. */
export const BYTE_MUTATORS: readonly ByteMutator[] = [
  { name: 'bit-flip', apply: flipBits },
  { name: 'insert', apply: insertBytes },
  { name: 'delete', apply: deleteBytes },
  { name: 'overwrite', apply: overwrite },
  { name: 'cut-off', apply: cutOff },
  { name: 'duplicate-range', apply: duplicateRange },
];

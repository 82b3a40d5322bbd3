/**
 * A fast, non-cryptographic fingerprint of a file's bytes for the workspace cache. It runs the same
 * in the Node and the web extension host (Web Crypto is missing from insecure web contexts), and
 * two independent 32-bit lanes plus the length make an accidental match vanishingly unlikely.
 */

/** Bytes hashed between two yields: about 3 ms of work, so a large model never stalls the host. */
const CHUNK = 1 << 20;

/**
 * The 64-bit fingerprint of `bytes` as 16 hex digits and the byte length. Between chunks it awaits
 * `pause`, which gives the event loop a turn.
 */
export async function contentHash(bytes: Uint8Array, pause: () => Promise<void>): Promise<string> {
  const lanes = { a: 0x811c9dc5, b: 0x9e3779b9 };
  for (let start = 0; start < bytes.length; start += CHUNK) {
    if (start > 0) {
      await pause();
    }
    mix(lanes, bytes, start, Math.min(bytes.length, start + CHUNK));
  }
  return `${hex(lanes.a)}${hex(lanes.b)}:${bytes.length}`;
}

function mix(lanes: { a: number; b: number }, bytes: Uint8Array, from: number, to: number): void {
  // Lane a is FNV-1a; lane b a multiply-shift mix with another seed and prime, so a collision in
  // one lane is not a collision in the other.
  let { a, b } = lanes;
  for (let i = from; i < to; i++) {
    const byte = bytes[i] ?? 0;
    a = Math.imul(a ^ byte, 0x01000193);
    b = Math.imul(b ^ byte, 0x5bd1e995);
    b ^= b >>> 15;
  }
  lanes.a = a;
  lanes.b = b;
}

function hex(value: number): string {
  return (value >>> 0).toString(16).padStart(8, '0');
}

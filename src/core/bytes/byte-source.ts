/**
 * The only way the core reads model bytes. The Node adapter uses a file handle, the web extension
 * `workspace.fs`, tests an in-memory buffer. A large model is never copied whole just to list it.
 */
export interface ByteSource {
  /** Total size in bytes. */
  readonly size: number;
  /** Reads `length` bytes at `offset`; fewer only at the end of the source. */
  read(offset: number, length: number): Promise<Uint8Array>;
}

/** A {@link ByteSource} over bytes already in memory. */
export class BufferByteSource implements ByteSource {
  constructor(private readonly bytes: Uint8Array) {}

  get size(): number {
    return this.bytes.byteLength;
  }

  read(offset: number, length: number): Promise<Uint8Array> {
    const start = Math.max(0, Math.min(offset, this.bytes.byteLength));
    const end = Math.max(start, Math.min(offset + length, this.bytes.byteLength));
    return Promise.resolve(this.bytes.subarray(start, end));
  }
}

/** Shared helpers for the ONNX tests: byte sources that record reads, and error assertions. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { BufferByteSource, type ByteSource } from '../../../src/core/bytes/byte-source';
import { OnnxFormatError, readOnnxModel, type OnnxModel } from '../../../src/core/onnx/index';
import { modelBytes, type ModelSpec } from './builder';

/** Folder of the committed ONNX fixtures. */
export const FIXTURES = path.join(__dirname, '../../fixtures/onnx');

/** A ByteSource over memory that records every range read. */
export class RecordingSource implements ByteSource {
  readonly reads: [number, number][] = [];
  private readonly inner: BufferByteSource;
  constructor(readonly bytes: Uint8Array) {
    this.inner = new BufferByteSource(bytes);
  }
  get size(): number {
    return this.bytes.length;
  }
  read(offset: number, length: number): Promise<Uint8Array> {
    this.reads.push([offset, length]);
    return this.inner.read(offset, length);
  }
  /** Total bytes handed out. */
  get total(): number {
    return this.reads.reduce((sum, [, length]) => sum + length, 0);
  }
}

/** Reads a model built from `spec`. */
export function readSpec(spec: ModelSpec): Promise<OnnxModel> {
  return readOnnxModel(new BufferByteSource(modelBytes(spec)));
}

/** Reads a committed fixture file. */
export function readFixture(relative: string): Promise<OnnxModel> {
  return readOnnxModel(new BufferByteSource(readFileSync(path.join(FIXTURES, relative))));
}

/** Asserts that `promise` rejects with a one-line OnnxFormatError matching `pattern`. */
export async function rejectsFormat(
  promise: Promise<unknown>,
  pattern: RegExp,
): Promise<OnnxFormatError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof OnnxFormatError, `expected OnnxFormatError, got ${String(error)}`);
    assert.match(error.message, pattern);
    assert.match(error.message, / at offset 0x[0-9a-f]+$/);
    assert.ok(!error.message.includes('\n'), 'the message is one line');
    return error;
  }
  assert.fail(`expected a rejection matching ${pattern}`);
}

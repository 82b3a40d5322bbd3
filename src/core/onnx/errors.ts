/** Formats a byte offset the way hex viewers show it, e.g. `0x1f3`. */
export function hexOffset(offset: number): string {
  return `0x${offset.toString(16)}`;
}

/**
 * A model that cannot be read: not ONNX, truncated, corrupt, or refused (external data outside the
 * model's folder). The message is one line and ends with the byte offset where reading stopped.
 */
export class OnnxFormatError extends Error {
  override readonly name = 'OnnxFormatError';

  /**
   * @param reason What is wrong, e.g. `Not an ONNX model: unexpected wire type 6`.
   * @param offset Absolute byte offset in the model file where the problem was found.
   */
  constructor(
    readonly reason: string,
    readonly offset: number,
    options?: { readonly cause?: unknown },
  ) {
    super(`${reason} at offset ${hexOffset(offset)}`, options);
  }
}

/** Thrown when the caller's `AbortSignal` fires while a model is being read. */
export class OnnxReadAbortedError extends Error {
  override readonly name = 'OnnxReadAbortedError';
  constructor() {
    super('Reading the ONNX model was cancelled');
  }
}

/** The minimal `AbortSignal` surface the reader needs; the core has no DOM or Node typings. */
export interface AbortSignalLike {
  readonly aborted: boolean;
}

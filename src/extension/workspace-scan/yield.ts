/**
 * Gives the extension host's event loop a turn between two pieces of scan work, so hovers, typing
 * and other extensions' requests run before the next file.
 */

/** Resolves on a later macrotask (`setImmediate` in Node, a zero timeout in a web worker). */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => {
    if (typeof setImmediate === 'function') {
      setImmediate(resolve);
    } else {
      setTimeout(resolve, 0);
    }
  });
}

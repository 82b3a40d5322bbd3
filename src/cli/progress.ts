/**
 * A one-line progress bar on stderr for long runs. It draws only when stderr is a terminal, waits
 * a moment before the first frame (short runs stay quiet) and redraws at most ten times a second.
 */

/** A progress reporter; {@link finish} erases the bar. */
export interface Progress {
  update(done: number): void;
  finish(): void;
}

const QUIET: Progress = { update: () => undefined, finish: () => undefined };
const FIRST_FRAME_MS = 300;
const FRAME_MS = 100;
const BAR_WIDTH = 30;

/** A progress bar over `total` files on `stream`, or a silent one when it is not a terminal. */
export function createProgress(
  stream: NodeJS.WriteStream,
  total: number,
  now: () => number = Date.now,
): Progress {
  if (!stream.isTTY || total === 0) {
    return QUIET;
  }
  const started = now();
  let lastFrame = 0;
  let drawn = false;
  return {
    update(done) {
      const time = now();
      if (time - started < FIRST_FRAME_MS || (time - lastFrame < FRAME_MS && done < total)) {
        return;
      }
      lastFrame = time;
      drawn = true;
      const filled = Math.round((done / total) * BAR_WIDTH);
      const rate = done / Math.max((time - started) / 1000, 1e-3);
      stream.write(
        `\r[${'#'.repeat(filled)}${'-'.repeat(BAR_WIDTH - filled)}] ${done}/${total} files, ${Math.round(rate)}/s`,
      );
    },
    finish() {
      if (drawn) {
        stream.write('\r\u001b[2K');
      }
    },
  };
}

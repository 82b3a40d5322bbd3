/**
 * `NORMLENS_TIMING=1`: how the time of `normlens check` splits between the analyzer and the rest
 * (walking, reading, package lookups, messages between threads, formatting). For measurement only;
 * without the variable nothing is timed and the outputs are unchanged.
 */
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { SourceAnalyzer } from '../core/index';

/**
 * This thread's CPU time in milliseconds (Linux: /proc/thread-self/schedstat), else the wall
 * clock. CPU time keeps the split honest on a machine shared with other work, where a thread's
 * wall time also counts the time it waited for a core.
 */
export function threadClockMs(): number {
  try {
    return Number(readFileSync('/proc/thread-self/schedstat', 'latin1').split(' ')[0]) / 1e6;
  } catch {
    // Not Linux (or no /proc): wall time is what there is.
    return performance.now();
  }
}

/** True when the environment asks for the timing line. */
export function timingRequested(env: Readonly<Record<string, string | undefined>>): boolean {
  return (env['NORMLENS_TIMING'] ?? '') !== '' && env['NORMLENS_TIMING'] !== '0';
}

/** A {@link SourceAnalyzer} that adds up the time ({@link threadClockMs}) of its analysis calls. */
export class TimedAnalyzer extends SourceAnalyzer {
  private spent = 0;

  /** Milliseconds spent in the analyzer since the last call of this method. */
  takeElapsedMs(): number {
    const spent = this.spent;
    this.spent = 0;
    return spent;
  }

  override analyzeSource(
    ...args: Parameters<SourceAnalyzer['analyzeSource']>
  ): ReturnType<SourceAnalyzer['analyzeSource']> {
    return this.timed(() => super.analyzeSource(...args));
  }

  override analyzeModelJson(
    ...args: Parameters<SourceAnalyzer['analyzeModelJson']>
  ): ReturnType<SourceAnalyzer['analyzeModelJson']> {
    return this.timed(() => super.analyzeModelJson(...args));
  }

  override analyzeOnnx(
    ...args: Parameters<SourceAnalyzer['analyzeOnnx']>
  ): ReturnType<SourceAnalyzer['analyzeOnnx']> {
    return this.timed(() => super.analyzeOnnx(...args));
  }

  private async timed<T>(call: () => Promise<T>): Promise<T> {
    const started = threadClockMs();
    try {
      return await call();
    } finally {
      this.spent += threadClockMs() - started;
    }
  }
}

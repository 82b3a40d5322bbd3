/**
 * The fuzz loop, run in a child process so that the runner's watchdog can stop an input that
 * hangs, and so that an input that exhausts memory ends this process only (V8 aborts the whole
 * process on some out-of-memory paths, even in a worker thread with resource limits). It reports
 * each input's start and end (time, heap), and any breach of the contract.
 */
import { generateCase } from './cases';
import { createAnalyzer, heapBytes, runCase } from './contract';
import type { WorkerMessage, WorkerStart } from './protocol';
import { HEAP_LIMIT_BYTES, TIME_LIMIT_MS } from './protocol';

/** How often live memory is measured after a full collection. */
const GC_EVERY = 100;

const send = process.send?.bind(process);
if (!send) {
  throw new Error('worker.ts runs as a child process started by run.ts');
}
const start = JSON.parse(process.argv[2] ?? '') as WorkerStart;

function post(message: WorkerMessage): void {
  send?.(message);
}

const collect = (globalThis as { gc?: () => void }).gc;

function describe(error: unknown): string {
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}

/** Wall time and the process's CPU time (all its threads) of one run, in milliseconds. */
interface Timing {
  readonly ms: number;
  readonly cpuMs: number;
}

async function timed(run: () => Promise<void>): Promise<Timing> {
  const began = performance.now();
  const cpu = process.cpuUsage();
  await run();
  const used = process.cpuUsage(cpu);
  return { ms: performance.now() - began, cpuMs: (used.user + used.system) / 1000 };
}

async function main(): Promise<void> {
  const analyzer = createAnalyzer();
  for (let iteration = start.from; iteration < start.to; iteration++) {
    if (Date.now() >= start.deadline) {
      break;
    }
    post({ type: 'begin', iteration });
    const generating = performance.now();
    let generatedCase;
    try {
      generatedCase = generateCase(start.seed, iteration, start.targets, start.scale);
    } catch (error) {
      // A generator bug fails its iteration only; the run goes on with the next one.
      const failure = `generating the case threw: ${describe(error)}`;
      post({ type: 'end', iteration, target: 'generator', ms: 0, heap: 0, steps: [], failure });
      continue;
    }
    const { fuzzCase, steps } = generatedCase;
    const generated = performance.now() - generating;
    post({ type: 'case', iteration, target: fuzzCase.target, steps });
    // A slow generator is a fuzzer bug, reported as such rather than charged to the analyses.
    let failure =
      generated > TIME_LIMIT_MS
        ? `generating the case took ${Math.round(generated)} ms (limit ${TIME_LIMIT_MS} ms)`
        : undefined;
    let ms = 0;
    const run = () => runCase(analyzer, fuzzCase);
    try {
      const first = await timed(run);
      ms = first.ms;
      if (ms > TIME_LIMIT_MS) {
        // A busy machine can stall one run: an input counts as slow only if it is slow twice, and
        // only if it also used that much CPU time. An input that waited for a CPU on a loaded
        // machine (bursts of 5-15x were measured beside other jobs) did not do a second's work;
        // a slow or super-linear one uses the CPU time itself.
        const second = await timed(run);
        ms = Math.min(ms, second.ms);
        const cpuMs = Math.min(first.cpuMs, second.cpuMs);
        if (ms > TIME_LIMIT_MS && cpuMs > TIME_LIMIT_MS) {
          failure =
            `took ${Math.round(ms)} ms, ${Math.round(cpuMs)} ms of CPU ` +
            `(limit ${TIME_LIMIT_MS} ms)`;
        }
      }
    } catch (error) {
      failure = `threw: ${describe(error)}`;
    }
    let heap = heapBytes();
    if (!failure && heap > HEAP_LIMIT_BYTES) {
      collect?.();
      const live = heapBytes();
      failure =
        live > HEAP_LIMIT_BYTES
          ? `heap stays at ${mb(live)} MB after the input`
          : `the input made the heap reach ${mb(heap)} MB`;
    }
    if (iteration % GC_EVERY === GC_EVERY - 1 && collect) {
      collect();
      heap = Math.max(heap, heapBytes());
      const used = process.memoryUsage().heapUsed;
      if (used > HEAP_LIMIT_BYTES) {
        failure ??= `live heap grew to ${mb(used)} MB`;
      }
    }
    post({ type: 'end', iteration, target: fuzzCase.target, ms, heap, steps, failure });
  }
  post({ type: 'done' });
  process.disconnect();
}

function mb(bytes: number): number {
  return Math.round(bytes / 2 ** 20);
}

main().catch((error: unknown) => {
  post({ type: 'fatal', message: describe(error) });
  process.disconnect();
});

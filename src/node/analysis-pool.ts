/**
 * Runs analysis tasks across worker threads. Tasks travel in batches, so a worker wakes the main
 * thread once per batch rather than once per file; each worker holds at most
 * {@link PIPELINE_DEPTH} batches, so the pending work and messages stay bounded however many files
 * there are. Outcomes come back as UTF-8 JSON and are handed over in output order as they arrive
 * ({@link OrderedOutcomes}). With one job the tasks run in the calling thread and no worker is
 * started.
 */
import { Worker } from 'node:worker_threads';
import { emptyReport, inputLanguageOf, type SourceAnalyzer } from '../core/index';
import {
  runAnalysisTask,
  summarize,
  type AnalysisTask,
  type CheckedOutcome,
} from './analysis-task';
import { TimedAnalyzer } from './analysis-timing';
import type { PackageFolderCache } from './python-module';

/** Batches a worker holds at once: one to work on, one waiting while the reply travels. */
const PIPELINE_DEPTH = 2;

/** Files in one message at most (a few hundred milliseconds of analysis). */
const MAX_BATCH = 16;

/** One task of a batch, numbered by its sender. */
export interface NumberedTask {
  readonly id: number;
  readonly task: AnalysisTask;
}

/** Main thread → worker: tasks to run in order. */
export interface TaskRequest {
  readonly tasks: readonly NumberedTask[];
  /** Answer with each outcome as UTF-8 JSON (see {@link StoredOutcomes}) instead of the object. */
  readonly asJson?: boolean;
}

/** One finished task of a batch: the outcome, or its UTF-8 JSON when the request asked for it. */
export interface NumberedOutcome {
  readonly id: number;
  readonly outcome: CheckedOutcome | Uint8Array;
}

/** Worker → main thread: the outcomes of one request, in its order. */
export interface TaskReply {
  readonly outcomes: readonly NumberedOutcome[];
  /** With timing on: the worker's analyzer time since its last reply, and its thread's CPU time. */
  readonly timing?: { readonly analyzerMs: number; readonly threadMs: number };
}

/** With timing on: CPU milliseconds of a run, in the analyzers and in the worker threads. */
export interface RunTiming {
  /** In the analyzers' calls, all threads together. */
  readonly analyzerMs: number;
  /** The worker threads' whole CPU time (analysis included); 0 when no worker ran. */
  readonly workerMs: number;
}

/** What a worker is started with. */
export interface WorkerSetup {
  readonly wasmFolder: string;
  /** Time the analyzer ({@link TaskReply.timing}). */
  readonly timing?: boolean;
}

/** How to run the tasks. */
export interface PoolOptions {
  readonly jobs: number;
  /** The bundled worker entry (`dist/cli-worker.js`). */
  readonly workerScript: string;
  /** Folder with the parsers' `.wasm` files, for the workers. */
  readonly wasmFolder: string;
  /** Used when `jobs` is 1 (created lazily by the caller). */
  readonly localAnalyzer: () => SourceAnalyzer;
  /** Called after each finished task with the number done so far. */
  readonly onProgress?: (done: number) => void;
  /** Time the workers' analyzers (the local analyzer is timed when it is a `TimedAnalyzer`). */
  readonly timing?: boolean;
}

const utf8 = new TextDecoder();

/** An outcome as it crossed from a worker: the object, or its UTF-8 JSON. */
export function outcomeOf(received: CheckedOutcome | Uint8Array): CheckedOutcome {
  return received instanceof Uint8Array
    ? (JSON.parse(utf8.decode(received)) as CheckedOutcome)
    : received;
}

/** An outcome as UTF-8 JSON, in a buffer of its own (so that it can be transferred). */
export function encodeOutcome(outcome: CheckedOutcome): Uint8Array {
  return new TextEncoder().encode(JSON.stringify(outcome));
}

/**
 * Hands a run's outcomes to `use` in the order of `order` (indexes into the tasks), each as soon as
 * it and all before it have arrived, so that they are printed while the run goes on and only those
 * that arrive early wait. A worker's arrive as UTF-8 JSON: a buffer moved between threads instead
 * of a graph of small objects copied, and a quarter of their memory while they wait (a string would
 * be UTF-16 as soon as a message holds a character like '≥'). JSON loses nothing the outputs show:
 * they are text or JSON themselves (a NaN parameter, say, prints as null either way).
 */
export class OrderedOutcomes {
  private readonly held: (CheckedOutcome | Uint8Array | undefined)[];
  private next = 0;

  constructor(
    private readonly order: readonly number[],
    private readonly use: (index: number, outcome: CheckedOutcome) => void,
  ) {
    this.held = new Array<CheckedOutcome | Uint8Array | undefined>(order.length);
  }

  /** The outcome of task `index` (once per task). */
  put(index: number, received: CheckedOutcome | Uint8Array): void {
    this.held[index] = received;
    for (let at = this.order[this.next]; at !== undefined; at = this.order[this.next]) {
      const item = this.held[at];
      if (item === undefined) {
        return;
      }
      this.held[at] = undefined;
      this.next++;
      this.use(at, outcomeOf(item));
    }
  }

  /** Ends the run: each task still without an outcome gets `missing`'s. */
  finish(missing: (index: number) => CheckedOutcome): void {
    for (const index of this.order.slice(this.next)) {
      if (this.held[index] === undefined) {
        this.put(index, missing(index));
      }
    }
  }
}

/**
 * Runs all `tasks`, handing each outcome to `outcomes`; with timing on, says where the time went.
 */
export async function analyzeAll(
  tasks: readonly AnalysisTask[],
  options: PoolOptions,
  outcomes: OrderedOutcomes,
): Promise<RunTiming | undefined> {
  const jobs = Math.max(1, Math.min(options.jobs, tasks.length));
  let timing: RunTiming | undefined;
  if (jobs === 1) {
    const analyzer = options.localAnalyzer();
    await analyzeLocally(analyzer, tasks, options, outcomes);
    if (analyzer instanceof TimedAnalyzer) {
      timing = { analyzerMs: analyzer.takeElapsedMs(), workerMs: 0 };
    }
  } else {
    const pool = new WorkerPool(tasks, jobs, options, outcomes);
    await pool.run();
    timing = options.timing === true ? pool.timing() : undefined;
  }
  outcomes.finish((index) => failedOutcome(tasks[index]?.file ?? '', 'not analysed'));
  return timing;
}

function failedOutcome(file: string, message: string): CheckedOutcome {
  return {
    file,
    report: emptyReport(inputLanguageOf(file) ?? 'python', [{ message, kind: 'internal' }]),
  };
}

/** Runs the tasks one after another in this thread. */
async function analyzeLocally(
  analyzer: SourceAnalyzer,
  tasks: readonly AnalysisTask[],
  options: PoolOptions,
  outcomes: OrderedOutcomes,
): Promise<void> {
  const packages: PackageFolderCache = new Map();
  for (const [index, task] of tasks.entries()) {
    outcomes.put(index, summarize(await runAnalysisTask(analyzer, task, packages)));
    options.onProgress?.(index + 1);
  }
}

/**
 * Files in the next batch: large while much work is left, down to single files at the end, so
 * that no worker is left with a long batch while the others have finished.
 */
export function batchSize(remaining: number, jobs: number): number {
  return Math.max(1, Math.min(MAX_BATCH, Math.floor(remaining / (4 * jobs * PIPELINE_DEPTH))));
}

/** A fixed set of workers fed from one cursor over the task list. */
class WorkerPool {
  /** What the workers reported with timing on. */
  private analyzerMs = 0;
  private readonly threadMs = new Map<Worker, number>();
  private next = 0;
  private done = 0;
  private readonly workers = new Set<Worker>();

  constructor(
    private readonly tasks: readonly AnalysisTask[],
    private readonly jobs: number,
    private readonly options: PoolOptions,
    private readonly outcomes: OrderedOutcomes,
  ) {}

  run(): Promise<void> {
    return new Promise((resolve) => {
      const finish = (): void => {
        for (const worker of this.workers) {
          void worker.terminate();
        }
        resolve();
      };
      if (this.tasks.length === 0) {
        finish();
        return;
      }
      for (let i = 0; i < this.jobs; i++) {
        this.start(finish);
      }
    });
  }

  timing(): RunTiming {
    let workerMs = 0;
    for (const ms of this.threadMs.values()) {
      workerMs += ms;
    }
    return { analyzerMs: this.analyzerMs, workerMs };
  }

  private start(finish: () => void): void {
    const setup: WorkerSetup = {
      wasmFolder: this.options.wasmFolder,
      ...(this.options.timing === true ? { timing: true } : {}),
    };
    const worker = new Worker(this.options.workerScript, { workerData: setup });
    this.workers.add(worker);
    // The batches sent and not yet answered, oldest first (a worker answers in order).
    const inFlight: number[][] = [];
    const feed = (): void => {
      while (inFlight.length < PIPELINE_DEPTH && this.next < this.tasks.length) {
        const size = batchSize(this.tasks.length - this.next, this.jobs);
        const ids: number[] = [];
        const tasks: NumberedTask[] = [];
        for (const task of this.tasks.slice(this.next, this.next + size)) {
          ids.push(this.next);
          tasks.push({ id: this.next++, task });
        }
        inFlight.push(ids);
        const request: TaskRequest = { tasks, asJson: true };
        worker.postMessage(request);
      }
    };
    const settle = (id: number, outcome: CheckedOutcome | Uint8Array): void => {
      this.done++;
      this.outcomes.put(id, outcome);
    };
    const settled = (): void => {
      this.options.onProgress?.(this.done);
      if (this.done === this.tasks.length) {
        finish();
      }
    };
    worker.on('message', (reply: TaskReply) => {
      inFlight.shift();
      if (reply.timing) {
        this.analyzerMs += reply.timing.analyzerMs;
        this.threadMs.set(worker, reply.timing.threadMs);
      }
      for (const { id, outcome } of reply.outcomes) {
        settle(id, outcome);
      }
      settled();
      feed();
    });
    // A worker that crashes, or exits with files in flight, loses only those files: they are
    // reported, and a new worker continues.
    const lose = (reason: string): void => {
      this.workers.delete(worker);
      for (const id of inFlight.splice(0).flat()) {
        settle(id, failedOutcome(this.tasks[id]?.file ?? '', `analysis crashed: ${reason}`));
      }
      settled();
      if (this.done < this.tasks.length && this.next < this.tasks.length) {
        this.start(finish);
      }
    };
    worker.on('error', (error) => lose(error.message));
    worker.on('exit', (code) => {
      if (inFlight.length > 0) {
        lose(`the worker stopped (exit code ${code})`);
      }
    });
    feed();
  }
}

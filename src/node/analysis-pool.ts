/**
 * Runs analysis tasks across worker threads. Tasks travel in batches, so a worker wakes the main
 * thread once per batch rather than once per file; each worker holds at most
 * {@link PIPELINE_DEPTH} batches, so the pending work and messages stay bounded however many files
 * there are. With one job the tasks run in the calling thread and no worker is started.
 */
import { Worker } from 'node:worker_threads';
import { emptyReport, inputLanguageOf, type SourceAnalyzer } from '../core/index';
import {
  runAnalysisTask,
  summarize,
  type AnalysisTask,
  type CheckedOutcome,
} from './analysis-task';
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
}

/** One finished task of a batch. */
export interface NumberedOutcome {
  readonly id: number;
  readonly outcome: CheckedOutcome;
}

/** Worker → main thread: the outcomes of one request, in its order. */
export interface TaskReply {
  readonly outcomes: readonly NumberedOutcome[];
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
}

/** Outcomes of all `tasks`, in the order of `tasks`. */
export async function analyzeAll(
  tasks: readonly AnalysisTask[],
  options: PoolOptions,
): Promise<CheckedOutcome[]> {
  const jobs = Math.max(1, Math.min(options.jobs, tasks.length));
  if (jobs === 1) {
    return analyzeLocally(tasks, options);
  }
  return new WorkerPool(tasks, jobs, options).run();
}

/** Runs the tasks one after another in this thread. */
async function analyzeLocally(
  tasks: readonly AnalysisTask[],
  options: PoolOptions,
): Promise<CheckedOutcome[]> {
  const analyzer = options.localAnalyzer();
  const packages: PackageFolderCache = new Map();
  const outcomes: CheckedOutcome[] = [];
  for (const task of tasks) {
    outcomes.push(summarize(await runAnalysisTask(analyzer, task, packages)));
    options.onProgress?.(outcomes.length);
  }
  return outcomes;
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
  private readonly outcomes: (CheckedOutcome | undefined)[];
  private next = 0;
  private done = 0;
  private readonly workers = new Set<Worker>();

  constructor(
    private readonly tasks: readonly AnalysisTask[],
    private readonly jobs: number,
    private readonly options: PoolOptions,
  ) {
    this.outcomes = new Array<CheckedOutcome | undefined>(tasks.length);
  }

  run(): Promise<CheckedOutcome[]> {
    return new Promise((resolve) => {
      const finish = (): void => {
        for (const worker of this.workers) {
          void worker.terminate();
        }
        resolve(this.outcomes.map((outcome, i) => outcome ?? this.failed(i, 'not analysed')));
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

  private start(finish: () => void): void {
    const worker = new Worker(this.options.workerScript, {
      workerData: { wasmFolder: this.options.wasmFolder },
    });
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
        const request: TaskRequest = { tasks };
        worker.postMessage(request);
      }
    };
    const settle = (id: number, outcome: CheckedOutcome): void => {
      this.outcomes[id] = outcome;
      this.done++;
    };
    const settled = (): void => {
      this.options.onProgress?.(this.done);
      if (this.done === this.tasks.length) {
        finish();
      }
    };
    worker.on('message', (reply: TaskReply) => {
      inFlight.shift();
      for (const { id, outcome } of reply.outcomes) {
        settle(id, outcome);
      }
      settled();
      feed();
    });
    worker.on('error', (error) => {
      // A crashed worker loses only its own tasks: they are reported, and a new worker continues.
      this.workers.delete(worker);
      for (const id of inFlight.splice(0).flat()) {
        settle(id, this.failed(id, `analysis crashed: ${error.message}`));
      }
      settled();
      if (this.done < this.tasks.length && this.next < this.tasks.length) {
        this.start(finish);
      }
    });
    feed();
  }

  private failed(index: number, message: string): CheckedOutcome {
    const file = this.tasks[index]?.file ?? '';
    return {
      file,
      report: emptyReport(inputLanguageOf(file) ?? 'python', [{ message, kind: 'internal' }]),
    };
  }
}

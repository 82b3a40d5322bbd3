/**
 * Runs analysis tasks across worker threads. Each worker holds at most {@link PIPELINE_DEPTH}
 * tasks, so the queue of pending work and messages stays bounded however many files there are;
 * with one job the tasks run in the calling thread and no worker is started.
 */
import { Worker } from 'node:worker_threads';
import { emptyReport, inputLanguageOf, type SourceAnalyzer } from '../core/index';
import {
  runAnalysisTask,
  summarize,
  type AnalysisTask,
  type CheckedOutcome,
} from './analysis-task';

/**
 * Tasks a thread holds at once: enough to keep it busy while a reply travels or a file is read.
 */
const PIPELINE_DEPTH = 2;

/** Main thread → worker. */
export interface TaskRequest {
  readonly id: number;
  readonly task: AnalysisTask;
}

/** Worker → main thread. */
export interface TaskReply {
  readonly id: number;
  readonly outcome: CheckedOutcome;
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

/**
 * Runs the tasks in this thread, {@link PIPELINE_DEPTH} at a time as a worker does: while one
 * file is analysed (synchronous work), the next one's reads are already under way, instead of
 * the thread idling through each file's stat, read and package lookup in turn.
 */
async function analyzeLocally(
  tasks: readonly AnalysisTask[],
  options: PoolOptions,
): Promise<CheckedOutcome[]> {
  const analyzer = options.localAnalyzer();
  const outcomes = new Array<CheckedOutcome>(tasks.length);
  let next = 0;
  let done = 0;
  const lane = async (): Promise<void> => {
    for (let id = next++; id < tasks.length; id = next++) {
      const task = tasks[id];
      if (task) {
        outcomes[id] = summarize(await runAnalysisTask(analyzer, task));
        options.onProgress?.(++done);
      }
    }
  };
  await Promise.all(Array.from({ length: PIPELINE_DEPTH }, lane));
  return outcomes;
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
    const inFlight = new Set<number>();
    const feed = (): void => {
      while (inFlight.size < PIPELINE_DEPTH && this.next < this.tasks.length) {
        const id = this.next++;
        const task = this.tasks[id];
        if (task) {
          inFlight.add(id);
          const request: TaskRequest = { id, task };
          worker.postMessage(request);
        }
      }
    };
    const settle = (id: number, outcome: CheckedOutcome): void => {
      inFlight.delete(id);
      this.outcomes[id] = outcome;
      this.done++;
      this.options.onProgress?.(this.done);
      if (this.done === this.tasks.length) {
        finish();
      }
    };
    worker.on('message', (reply: TaskReply) => {
      settle(reply.id, reply.outcome);
      feed();
    });
    worker.on('error', (error) => {
      // A crashed worker loses only its own tasks: they are reported, and a new worker continues.
      this.workers.delete(worker);
      for (const id of [...inFlight]) {
        settle(id, this.failed(id, `analysis crashed: ${error.message}`));
      }
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

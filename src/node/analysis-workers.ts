/**
 * Long-lived analysis worker threads for a host that submits files over time (the editor's
 * workspace scan), beside {@link analyzeAll}, which runs one fixed list (the CLI). The same worker
 * script and messages are used: each task resolves on its own; a worker holds at most
 * {@link PER_WORKER} tasks, the rest wait in a queue whose cancelled tasks are never sent. Workers
 * start on demand and exit when idle, so a host that scans once does not keep their memory.
 */
import { Worker } from 'node:worker_threads';
import { outcomeOf, type TaskReply, type TaskRequest, type WorkerSetup } from './analysis-pool';
import type { AnalysisTask, CheckedOutcome } from './analysis-task';

/** Tasks sent to a worker before its first reply: enough to keep it busy while a reply travels. */
const PER_WORKER = 2;

/** Idle time after which every worker exits. */
const DEFAULT_IDLE_MS = 30_000;

/**
 * A worker's heap limit: a hostile model that makes an analysis allocate without bound ends that
 * worker (its tasks fail), not the process that started it.
 */
const WORKER_HEAP_MB = 1024;

/** How to start the workers. */
export interface WorkersOptions {
  /** Workers at most. */
  readonly jobs: number;
  /** The bundled worker entry (`dist/cli-worker.js`). */
  readonly workerScript: string;
  /** Folder with the parsers' `.wasm` files, for the workers. */
  readonly wasmFolder: string;
  readonly idleMs?: number;
}

interface Pending {
  readonly id: number;
  readonly task: AnalysisTask;
  readonly isCancelled: () => boolean;
  readonly resolve: (outcome: CheckedOutcome | undefined) => void;
  readonly reject: (error: Error) => void;
}

/** Worker threads fed from one queue. */
export class AnalysisWorkers {
  private readonly queue: Pending[] = [];
  /** Each running worker and the tasks it holds, by id. */
  private readonly workers = new Map<Worker, Map<number, Pending>>();
  private nextId = 0;
  private idle: ReturnType<typeof setTimeout> | undefined;
  private disposed = false;

  constructor(private readonly options: WorkersOptions) {}

  /** Workers at most: how many tasks run at once. */
  get jobs(): number {
    return Math.max(1, this.options.jobs);
  }

  /**
   * Analyses `task` in a worker. Resolves with undefined when `isCancelled` says so before a
   * worker took it; rejects when its worker crashed or the pool was disposed.
   */
  analyze(
    task: AnalysisTask,
    isCancelled: () => boolean = () => false,
  ): Promise<CheckedOutcome | undefined> {
    if (this.disposed) {
      return Promise.reject(new Error('the analysis workers were stopped'));
    }
    return new Promise((resolve, reject) => {
      this.queue.push({ id: this.nextId++, task, isCancelled, resolve, reject });
      this.dispatch();
    });
  }

  /** Stops every worker; queued and running tasks reject. */
  dispose(): void {
    this.disposed = true;
    clearTimeout(this.idle);
    const stopped = new Error('the analysis workers were stopped');
    for (const pending of this.queue.splice(0)) {
      pending.reject(stopped);
    }
    for (const worker of [...this.workers.keys()]) {
      this.drop(worker, stopped);
      void worker.terminate();
    }
  }

  /** Sends queued tasks to workers with room, starting workers as needed. */
  private dispatch(): void {
    clearTimeout(this.idle);
    for (;;) {
      const pending = this.nextQueued();
      if (!pending) {
        break;
      }
      const worker = this.withRoom();
      if (!worker) {
        this.queue.unshift(pending);
        break;
      }
      this.workers.get(worker)?.set(pending.id, pending);
      // One task a message: the editor submits files over time and may cancel those still queued.
      const request: TaskRequest = { tasks: [{ id: pending.id, task: pending.task }] };
      worker.postMessage(request);
    }
    const busy = [...this.workers.values()].some((held) => held.size > 0);
    if (!busy && this.workers.size > 0) {
      this.idle = setTimeout(() => this.stopIdle(), this.options.idleMs ?? DEFAULT_IDLE_MS);
    }
  }

  /** An idle worker, else a new one while fewer than `jobs` run, else the least busy with room. */
  private withRoom(): Worker | undefined {
    let best: Worker | undefined;
    let least = PER_WORKER;
    for (const [worker, held] of this.workers) {
      if (held.size < least) {
        best = worker;
        least = held.size;
      }
    }
    if (least > 0 && this.workers.size < this.jobs) {
      return this.start();
    }
    return best;
  }

  /** The first queued task not cancelled; cancelled ones resolve as such. */
  private nextQueued(): Pending | undefined {
    for (;;) {
      const pending = this.queue.shift();
      if (!pending?.isCancelled()) {
        return pending;
      }
      pending.resolve(undefined);
    }
  }

  private start(): Worker {
    const worker = new Worker(this.options.workerScript, {
      workerData: { wasmFolder: this.options.wasmFolder } satisfies WorkerSetup,
      resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_MB },
    });
    this.workers.set(worker, new Map());
    worker.on('message', (reply: TaskReply) => {
      const held = this.workers.get(worker);
      for (const { id, outcome } of reply.outcomes) {
        held?.get(id)?.resolve(outcomeOf(outcome));
        held?.delete(id);
      }
      this.dispatch();
    });
    // A crashed worker loses only its own tasks: they fail, and the next dispatch starts another.
    worker.on('error', (error) => {
      this.drop(worker, new Error(`analysis crashed: ${error.message}`));
      this.dispatch();
    });
    worker.on('exit', (code) => {
      if (this.workers.has(worker)) {
        this.drop(worker, new Error(`analysis worker stopped (exit code ${code})`));
        this.dispatch();
      }
    });
    return worker;
  }

  /** Forgets `worker`, failing the tasks it held. */
  private drop(worker: Worker, error: Error): void {
    const held = this.workers.get(worker);
    this.workers.delete(worker);
    for (const pending of held?.values() ?? []) {
      pending.reject(error);
    }
  }

  private stopIdle(): void {
    for (const [worker, held] of [...this.workers]) {
      if (held.size === 0) {
        this.workers.delete(worker);
        void worker.terminate();
      }
    }
  }
}

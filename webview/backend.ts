/**
 * Where the panel's computations run. Web Workers keep the page responsive while the kernels
 * work: each is this same script (main.ts starts the worker side when there is no document), loaded
 * from a blob because a webview resource is not same-origin with the page, and each instantiates
 * the same WebAssembly kernels. One worker answers the updates; a second one computes the idle-time
 * views (precision, batch noise), so that an update never waits behind them. When the workers
 * cannot start, the engine runs on the main thread.
 */
import type { Kernels } from '../src/core/index';
import { Engine, type Computation, type SlowComputation } from './compute';
import type { PanelSettings } from './settings';
import { isWorkerReply, type WorkerReply, type WorkerRequest } from './worker-messages';

/** The engine, wherever it runs. */
export interface ComputeBackend {
  /** Shown in the timing line and its data attribute. */
  readonly where: 'worker' | 'main thread';
  update(settings: PanelSettings): Promise<Computation>;
  slow(settings: PanelSettings): Promise<SlowComputation>;
  dispose(): void;
}

/** How long the worker may take to load its kernels before the main thread takes over. */
const WORKER_START_MS = 10000;

/** A worker running this script when one can start, else the engine on the main thread. */
export async function createBackend(
  scriptUrl: string | undefined,
  kernels: Promise<Kernels>,
): Promise<ComputeBackend> {
  if (scriptUrl && typeof Worker === 'function') {
    try {
      const url = await scriptBlobUrl(scriptUrl);
      try {
        const [updates, slow] = await Promise.all([startWorker(url), startWorker(url)]);
        return new WorkerBackend(updates, slow);
      } finally {
        URL.revokeObjectURL(url);
      }
    } catch {
      // Capability probe: a CSP, a host without blob workers or a failed fetch leaves the main thread.
    }
  }
  return new MainThreadBackend(new Engine(await kernels));
}

/** The engine on the page's own thread. */
export class MainThreadBackend implements ComputeBackend {
  readonly where = 'main thread';

  constructor(private readonly engine: Engine) {}

  update(settings: PanelSettings): Promise<Computation> {
    try {
      return Promise.resolve(this.engine.update(settings));
    } catch (error) {
      return Promise.reject(toError(error));
    }
  }

  slow(settings: PanelSettings): Promise<SlowComputation> {
    try {
      return Promise.resolve(this.engine.slow(settings));
    } catch (error) {
      return Promise.reject(toError(error));
    }
  }

  dispose(): void {
    this.engine.dispose();
  }
}

interface Pending {
  readonly resolve: (reply: WorkerReply) => void;
  readonly reject: (error: Error) => void;
}

/** The engine in two workers (updates, idle-time views); each answers in order. */
class WorkerBackend implements ComputeBackend {
  readonly where = 'worker';
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;

  constructor(
    private readonly updates: Worker,
    private readonly slowViews: Worker,
  ) {
    for (const worker of [updates, slowViews]) {
      worker.addEventListener('message', (event: MessageEvent<unknown>) => this.receive(event));
      worker.addEventListener('error', (event) => this.failAll(new Error(event.message)));
    }
  }

  async update(settings: PanelSettings): Promise<Computation> {
    const reply = await this.call(this.updates, { id: this.nextId++, kind: 'update', settings });
    if (reply.kind !== 'update') {
      throw new Error(`the worker answered ${reply.kind} to update`);
    }
    return reply.result;
  }

  async slow(settings: PanelSettings): Promise<SlowComputation> {
    const reply = await this.call(this.slowViews, { id: this.nextId++, kind: 'slow', settings });
    if (reply.kind !== 'slow') {
      throw new Error(`the worker answered ${reply.kind} to slow`);
    }
    return reply.result;
  }

  dispose(): void {
    this.updates.terminate();
    this.slowViews.terminate();
    this.failAll(new Error('the panel closed'));
  }

  private receive(event: MessageEvent<unknown>): void {
    const reply = event.data;
    if (!isWorkerReply(reply)) {
      return;
    }
    const pending = this.pending.get(reply.id);
    this.pending.delete(reply.id);
    if (reply.kind === 'error') {
      pending?.reject(new Error(reply.message));
    } else {
      pending?.resolve(reply);
    }
  }

  private call(worker: Worker, request: WorkerRequest): Promise<WorkerReply> {
    return new Promise((resolve, reject) => {
      this.pending.set(request.id, { resolve, reject });
      worker.postMessage(request);
    });
  }

  private failAll(error: Error): void {
    for (const pending of this.pending.values()) {
      pending.reject(error);
    }
    this.pending.clear();
  }
}

/** This script as a blob URL (revoke it once the workers have started). */
async function scriptBlobUrl(scriptUrl: string): Promise<string> {
  const response = await fetch(scriptUrl);
  if (!response.ok) {
    throw new Error(`could not read ${scriptUrl}: ${response.status}`);
  }
  const blob = new Blob([await response.text()], { type: 'text/javascript' });
  return URL.createObjectURL(blob);
}

/** Starts the script at `url` as a worker and waits until its kernels are loaded. */
async function startWorker(url: string): Promise<Worker> {
  const worker = new Worker(url);
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error('the worker did not start')),
        WORKER_START_MS,
      );
      worker.addEventListener('message', function started(event: MessageEvent<unknown>) {
        const reply = event.data;
        if (isWorkerReply(reply) && (reply.kind === 'ready' || reply.kind === 'error')) {
          clearTimeout(timer);
          worker.removeEventListener('message', started);
          if (reply.kind === 'ready') {
            resolve();
          } else {
            reject(new Error(reply.message));
          }
        }
      });
      worker.addEventListener('error', (event) => {
        clearTimeout(timer);
        reject(new Error(event.message));
      });
    });
  } catch (error) {
    worker.terminate();
    throw error;
  }
  return worker;
}

function toError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}

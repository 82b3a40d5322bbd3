/**
 * The worker side of the panel's computations: loads the core kernels (the same WebAssembly as
 * everywhere else) and answers the page's requests in order with the engine's plain-data results.
 */
import { loadKernels } from '../src/core/index';
import { Engine } from './compute';
import { restoreSettings } from './settings';
import { isWorkerRequest, type WorkerReply } from './worker-messages';

/** The parts of a dedicated worker's global scope used here (the page's lib is DOM, not WebWorker). */
interface WorkerScope {
  postMessage(message: WorkerReply): void;
  addEventListener(type: 'message', listener: (event: MessageEvent<unknown>) => void): void;
}

/** Serves computations in this worker. */
export function serveComputations(): void {
  const scope = globalThis as unknown as WorkerScope;
  const engine = loadKernels().then((kernels) => new Engine(kernels));
  engine.then(
    () => scope.postMessage({ id: 0, kind: 'ready' }),
    (error: unknown) => scope.postMessage({ id: 0, kind: 'error', message: String(error) }),
  );
  scope.addEventListener('message', (event) => {
    const request = event.data;
    if (!isWorkerRequest(request)) {
      return;
    }
    const settings = restoreSettings(request.settings);
    engine.then(
      (ready) => {
        try {
          if (!settings) {
            throw new Error('malformed settings');
          }
          scope.postMessage(
            request.kind === 'update'
              ? { id: request.id, kind: 'update', result: ready.update(settings) }
              : { id: request.id, kind: 'slow', result: ready.slow(settings) },
          );
        } catch (error) {
          scope.postMessage({ id: request.id, kind: 'error', message: String(error) });
        }
      },
      (error: unknown) =>
        scope.postMessage({ id: request.id, kind: 'error', message: String(error) }),
    );
  });
}

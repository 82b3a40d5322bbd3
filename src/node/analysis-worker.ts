/**
 * Worker-thread entry (bundled as `dist/cli-worker.js`): analyses the batches of files the pool
 * sends, in order, with one analyzer (and so one set of parsers) per thread, and answers each
 * batch with one message.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { ParserFactory, SourceAnalyzer } from '../core/index';
import { runAnalysisTask, summarize } from './analysis-task';
import type { NumberedOutcome, TaskReply, TaskRequest } from './analysis-pool';
import type { PackageFolderCache } from './python-module';
import { createNodeWasmLoader } from './wasm-loader';

const port = parentPort;
if (port) {
  const { wasmFolder } = workerData as { wasmFolder: string };
  const analyzer = new SourceAnalyzer(new ParserFactory(createNodeWasmLoader(wasmFolder)));
  // Package lookups are shared while work keeps arriving, and forgotten when the worker runs dry,
  // so that a long-lived worker (the editor's) sees an `__init__.py` added between scans.
  let packages: PackageFolderCache = new Map();
  let pending = 0;
  let queue = Promise.resolve();
  const answer = async (request: TaskRequest): Promise<void> => {
    const outcomes: NumberedOutcome[] = [];
    for (const { id, task } of request.tasks) {
      outcomes.push({ id, outcome: summarize(await runAnalysisTask(analyzer, task, packages)) });
    }
    const reply: TaskReply = { outcomes };
    port.postMessage(reply);
    if (--pending === 0) {
      packages = new Map();
    }
  };
  port.on('message', (request: TaskRequest) => {
    pending++;
    queue = queue.then(() => answer(request));
  });
}

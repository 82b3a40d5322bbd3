/**
 * Worker-thread entry (bundled as `dist/cli-worker.js`): analyses the batches of files the pool
 * sends, in order, with one analyzer (and so one set of parsers) per thread, and answers each
 * batch with one message.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { ParserFactory, SourceAnalyzer } from '../core/index';
import { runAnalysisTask, summarize } from './analysis-task';
import {
  encodeOutcome,
  type NumberedOutcome,
  type TaskReply,
  type TaskRequest,
  type WorkerSetup,
} from './analysis-pool';
import { threadClockMs, TimedAnalyzer } from './analysis-timing';
import type { PackageFolderCache } from './python-module';
import { createNodeWasmLoader } from './wasm-loader';

const port = parentPort;
if (port) {
  const setup = workerData as WorkerSetup;
  const factory = new ParserFactory(createNodeWasmLoader(setup.wasmFolder));
  const analyzer = setup.timing === true ? new TimedAnalyzer(factory) : new SourceAnalyzer(factory);
  // Package lookups are shared while work keeps arriving, and forgotten when the worker runs dry,
  // so that a long-lived worker (the editor's) sees an `__init__.py` added between scans.
  let packages: PackageFolderCache = new Map();
  let pending = 0;
  let queue = Promise.resolve();
  const answer = async (request: TaskRequest): Promise<void> => {
    const outcomes: NumberedOutcome[] = [];
    const moved: ArrayBuffer[] = [];
    for (const { id, task } of request.tasks) {
      const outcome = summarize(await runAnalysisTask(analyzer, task, packages));
      if (request.asJson === true) {
        const bytes = encodeOutcome(outcome);
        moved.push(bytes.buffer as ArrayBuffer);
        outcomes.push({ id, outcome: bytes });
      } else {
        outcomes.push({ id, outcome });
      }
    }
    const reply: TaskReply =
      analyzer instanceof TimedAnalyzer
        ? { outcomes, timing: { analyzerMs: analyzer.takeElapsedMs(), threadMs: threadClockMs() } }
        : { outcomes };
    port.postMessage(reply, moved);
    if (--pending === 0) {
      packages = new Map();
    }
  };
  port.on('message', (request: TaskRequest) => {
    pending++;
    queue = queue.then(() => answer(request));
  });
}

/**
 * Worker-thread entry (bundled as `dist/cli-worker.js`): analyses the files the pool sends, one
 * message per task, with one analyzer (and so one set of parsers) per thread.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { ParserFactory, SourceAnalyzer } from '../core/index';
import { runAnalysisTask, summarize } from './analysis-task';
import type { TaskRequest, TaskReply } from './analysis-pool';
import { createNodeWasmLoader } from './wasm-loader';

const port = parentPort;
if (port) {
  const { wasmFolder } = workerData as { wasmFolder: string };
  const analyzer = new SourceAnalyzer(new ParserFactory(createNodeWasmLoader(wasmFolder)));
  port.on('message', (request: TaskRequest) => {
    void runAnalysisTask(analyzer, request.task).then((outcome) => {
      const reply: TaskReply = { id: request.id, outcome: summarize(outcome) };
      port.postMessage(reply);
    });
  });
}

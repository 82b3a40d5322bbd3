/**
 * Feeds one fuzz case to the public analysis entry points and checks the contract: nothing is
 * thrown, every rejection is a typed error with a one-line message (never `internal`), and every
 * reported range lies inside the text.
 */
import { getHeapStatistics } from 'node:v8';
import {
  BufferByteSource,
  OnnxFormatError,
  ParserFactory,
  readOnnxModel,
  readTensor,
  SourceAnalyzer,
  type AnalysisError,
  type ByteSource,
  type FileReport,
  type OnnxGraph,
  type SourceRange,
} from '../../src/core/index';
import { nodeModulesWasmLoader } from '../unit/helpers/wasm';
import type { FuzzCase } from './cases';
import { EXTERNAL_FILES } from './seeds';

/** Heap in use plus memory held outside it (array buffers, wasm memory). */
export function heapBytes(): number {
  const stats = getHeapStatistics();
  return stats.used_heap_size + stats.external_memory;
}

/** A broken promise of the contract (as opposed to an exception, which is one too). */
export class ContractViolation extends Error {
  override readonly name = 'ContractViolation';
}

/** At most this many initializers are read per model (each read is checked separately). */
const MAX_TENSOR_READS = 64;

/** The analyzer every case goes through; one per thread, like the extension host's. */
export function createAnalyzer(): SourceAnalyzer {
  return new SourceAnalyzer(new ParserFactory(nodeModulesWasmLoader));
}

/**
 * External data the way the Node host serves it: the seed's file, and a typed refusal for any
 * other location.
 */
function resolveExternal(location: string): Promise<ByteSource> {
  const bytes = EXTERNAL_FILES.get(location);
  if (!bytes) {
    return Promise.reject(new OnnxFormatError(`Refused external data '${location}': not found`, 0));
  }
  return Promise.resolve(new BufferByteSource(bytes));
}

function checkError(error: AnalysisError, where: string): void {
  if (error.kind === 'internal') {
    throw new ContractViolation(`${where}: internal error reported: ${error.message}`);
  }
  if (typeof error.message !== 'string' || error.message.trim() === '') {
    throw new ContractViolation(`${where}: an error without a message`);
  }
  if (/\bundefined\b|\[object Object\]|\bNaN\b/.test(error.message)) {
    throw new ContractViolation(`${where}: unclear error message: ${error.message}`);
  }
}

function checkRange(range: SourceRange | undefined, lines: number | undefined, where: string) {
  if (!range) {
    return;
  }
  for (const position of [range.start, range.end]) {
    const valid =
      Number.isInteger(position.line) &&
      Number.isInteger(position.character) &&
      position.line >= 0 &&
      position.character >= 0 &&
      (lines === undefined || position.line < lines);
    if (!valid) {
      throw new ContractViolation(`${where}: range outside the text: ${JSON.stringify(range)}`);
    }
  }
}

/** Checks a report: typed errors, ranges inside the text, and plain data (it crosses to webviews). */
export function checkReport(report: FileReport, text?: string): void {
  const lines = text === undefined ? undefined : text.split(/\r\n|\r|\n|\u2028|\u2029/).length;
  report.errors.forEach((error) => {
    checkError(error, `${report.language} report`);
    checkRange(error.range, lines, 'error range');
  });
  for (const site of report.sites) {
    if (site.location.type === 'text') {
      checkRange(site.location.range, lines, `site ${site.variant}`);
    }
  }
  for (const finding of report.findings) {
    if (typeof finding.message !== 'string' || finding.message === '') {
      throw new ContractViolation(`finding ${finding.rule} without a message`);
    }
    if (finding.location.type === 'text') {
      checkRange(finding.location.range, lines, `finding ${finding.rule}`);
    }
  }
  JSON.stringify(report);
}

function* graphsOf(graph: OnnxGraph): Generator<OnnxGraph> {
  yield graph;
  for (const node of graph.nodes) {
    for (const attribute of node.attributes.values()) {
      if (attribute.g) {
        yield* graphsOf(attribute.g);
      }
      for (const sub of attribute.graphs) {
        yield* graphsOf(sub);
      }
    }
  }
}

/** Reads the structure and up to {@link MAX_TENSOR_READS} tensors; only OnnxFormatError may fail. */
async function readEveryTensor(bytes: Uint8Array): Promise<void> {
  let model;
  try {
    model = await readOnnxModel(new BufferByteSource(bytes), { resolveExternal });
  } catch (error) {
    if (error instanceof OnnxFormatError) {
      return;
    }
    throw error;
  }
  let reads = 0;
  for (const graph of graphsOf(model.graph)) {
    // An unnamed initializer cannot be looked up by name (nothing can refer to it).
    for (const name of [...graph.initializers.keys()].filter((n) => n !== '')) {
      if (reads++ >= MAX_TENSOR_READS) {
        return;
      }
      try {
        await readTensor(model, name);
      } catch (error) {
        if (!(error instanceof OnnxFormatError)) {
          throw error;
        }
      }
    }
  }
}

function shardLoader(shards: Readonly<Record<string, Uint8Array>>) {
  return (name: string): Promise<ByteSource> => {
    const bytes = Object.hasOwn(shards, name) ? shards[name] : undefined;
    return bytes
      ? Promise.resolve(new BufferByteSource(bytes))
      : Promise.reject(new Error(`shard '${name}' does not exist`));
  };
}

/** Runs one case through every analysis that accepts it; throws on any breach of the contract. */
export async function runCase(analyzer: SourceAnalyzer, fuzzCase: FuzzCase): Promise<void> {
  switch (fuzzCase.target) {
    case 'onnx':
      checkReport(
        await analyzer.analyzeOnnx(new BufferByteSource(fuzzCase.bytes), { resolveExternal }),
      );
      await readEveryTensor(fuzzCase.bytes);
      return;
    case 'tfjs': {
      const { modelJson, shards } = fuzzCase.input;
      checkReport(await analyzer.analyzeModelJson(modelJson));
      checkReport(await analyzer.analyzeModelJson(modelJson, shardLoader(shards)));
      return;
    }
    case 'python': {
      checkReport(await analyzer.analyzePython(fuzzCase.text), fuzzCase.text);
      // The editor path: an open document updated by an edit (appending one line).
      const session = await analyzer.openPython(fuzzCase.text);
      try {
        const next = `${fuzzCase.text}\nx = 1`;
        const at = fuzzCase.text.length;
        checkReport(
          session.update(next, [
            {
              startIndex: at,
              oldEndIndex: at,
              newEndIndex: next.length,
              ...positionsOf(fuzzCase.text, next),
            },
          ]),
          next,
        );
      } finally {
        session.dispose();
      }
      return;
    }
    case 'typescript':
      checkReport(
        await analyzer.analyzeSource(fuzzCase.text, {
          language: 'typescript',
          grammar: 'typescript',
        }),
        fuzzCase.text,
      );
  }
}

/** The end of `text` as a tree-sitter point (rows split at `\n`, columns in UTF-16 units). */
function endPoint(text: string): { row: number; column: number } {
  const lastBreak = text.lastIndexOf('\n');
  let row = 0;
  for (let at = text.indexOf('\n'); at !== -1; at = text.indexOf('\n', at + 1)) {
    row++;
  }
  return { row, column: text.length - lastBreak - 1 };
}

/** The positions of an edit that appends to `before`, giving `after`. */
function positionsOf(before: string, after: string) {
  const start = endPoint(before);
  return { startPosition: start, oldEndPosition: start, newEndPosition: endPoint(after) };
}

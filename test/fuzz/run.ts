/**
 * `npm run fuzz`: mutates valid ONNX models, tfjs model.json files and Python/TypeScript sources
 * and feeds them to the analyses until the time is up. A child process runs the inputs; this
 * process is the watchdog that stops an input running far over the limit, and starts a new child
 * after a hang or a crash (even an out-of-memory abort) of the last one. Every failing input is
 * written to test/fixtures/fuzz-regressions/ (replayed by test/unit/fuzz-regressions.test.ts).
 *
 *   node --expose-gc --import tsx test/fuzz/run.ts [--seconds N] [--seed S] [--iterations N]
 *        [--only I] [--targets onnx,tfjs,python,typescript] [--scale F] [--no-write]
 *
 * `--scale F` (default 1) multiplies the sizes of the long lines, repeated lines and huge repeated
 * ONNX fields the mutations add; every other choice of an iteration stays the same. The short run
 * in `npm test` (`npm run test:fuzz`) uses 0.2: those inputs are linear in their size, and at full
 * size (up to ~200k characters of pathological source, parsed four or five times per case, or ~2 MB
 * of repeated ONNX nodes) one takes 0.5–2 s alone, so on a loaded two-core CI machine it crosses
 * the 1 s limit by load alone. A fifth keeps every mutation and every code path (long-line
 * handling, repetition, the ONNX size caps) within what 1 s means there; `npm run fuzz` keeps the
 * full sizes for finding slow paths. The time limit is checked by the worker: an input over it is
 * run again, and fails if it is over the limit both times in wall time and in CPU time.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fork } from 'node:child_process';
import { fixtureName, generateCase, serializeCase, TARGETS, type FuzzTarget } from './cases';
import { REGRESSIONS, TIME_LIMIT_MS, type WorkerMessage, type WorkerStart } from './protocol';

/** An input still running after this long is stopped and counted as a hang. */
const HANG_MS = 5_000;
/** The child's own heap ceiling: a runaway input fails it instead of the machine. */
const WORKER_HEAP_MB = 768;
const WORKER = path.join(__dirname, 'worker.ts');

interface Options {
  readonly seconds: number;
  readonly seed: number;
  readonly iterations: number;
  readonly only: number | undefined;
  readonly write: boolean;
  readonly targets: readonly FuzzTarget[];
  readonly scale: number;
}

function parseOptions(argv: readonly string[]): Options {
  const value = (flag: string): number | undefined => {
    const at = argv.indexOf(flag);
    const text = at === -1 ? undefined : argv[at + 1];
    const parsed = text === undefined ? undefined : Number(text);
    if (at !== -1 && (parsed === undefined || !Number.isFinite(parsed))) {
      throw new Error(`${flag} needs a number`);
    }
    return parsed;
  };
  const only = value('--only');
  const listed = argv.indexOf('--targets');
  const targets =
    listed === -1
      ? TARGETS
      : TARGETS.filter((t) => (argv[listed + 1] ?? '').split(',').includes(t));
  if (targets.length === 0) {
    throw new Error(`--targets takes a comma-separated list of ${TARGETS.join(', ')}`);
  }
  const scale = value('--scale') ?? 1;
  if (scale <= 0 || scale > 1) {
    throw new Error('--scale takes a number in (0, 1]');
  }
  return {
    scale,
    targets,
    seconds: value('--seconds') ?? 600,
    seed: (value('--seed') ?? Date.now() % 2 ** 31) >>> 0,
    iterations: only === undefined ? (value('--iterations') ?? Number.MAX_SAFE_INTEGER) : 1,
    only,
    write: !argv.includes('--no-write'),
  };
}

/** The iteration the worker is on; target and steps are empty while its case is generated. */
interface Current {
  readonly iteration: number;
  readonly target: FuzzTarget | 'generator';
  readonly steps: readonly string[];
}

interface Failure extends Current {
  readonly reason: string;
  readonly file: string | undefined;
}

/** Counters of a run. */
class Stats {
  readonly perTarget = new Map<FuzzTarget | 'generator', number>();
  readonly failures: Failure[] = [];
  iterations = 0;
  slowest = { ms: 0, iteration: -1, target: '' as string, steps: [] as readonly string[] };
  peakHeap = 0;

  record(message: Extract<WorkerMessage, { type: 'end' }>): void {
    this.iterations++;
    this.perTarget.set(message.target, (this.perTarget.get(message.target) ?? 0) + 1);
    if (message.ms > this.slowest.ms) {
      this.slowest = { ...message };
    }
    this.peakHeap = Math.max(this.peakHeap, message.heap);
  }
}

function out(line: string): void {
  process.stdout.write(`${line}\n`);
}

/** Stores the input of `iteration` as a regression fixture; returns its file name. */
function keep(options: Options, iteration: number): string | undefined {
  if (!options.write) {
    return undefined;
  }
  const { fuzzCase } = generateCase(options.seed, iteration, options.targets, options.scale);
  const name = fixtureName(fuzzCase);
  mkdirSync(REGRESSIONS, { recursive: true });
  const file = path.join(REGRESSIONS, name);
  if (!existsSync(file)) {
    writeFileSync(file, serializeCase(fuzzCase));
  }
  return name;
}

/** Runs iterations `[from, to)` in a worker until done, a hang, or a crash of the worker. */
function runWorker(options: Options, from: number, to: number, deadline: number, stats: Stats) {
  return new Promise<number>((resolve) => {
    const start: WorkerStart = {
      seed: options.seed,
      from,
      to,
      deadline,
      targets: options.targets,
      scale: options.scale,
    };
    const worker = fork(WORKER, [JSON.stringify(start)], {
      execArgv: ['--expose-gc', '--import', 'tsx', `--max-old-space-size=${WORKER_HEAP_MB}`],
      // The child's V8 out-of-memory report goes to this log; its stdout is not used.
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    });
    let stderr = '';
    worker.stderr?.on('data', (chunk: Buffer) => {
      // Only the end matters (the fatal error line); keep the last few KB.
      stderr = (stderr + chunk.toString()).slice(-4_096);
    });
    let current: Current | undefined;
    let began = 0;
    let next = from;
    let settled = false;
    const fail = (reason: string) => {
      if (current) {
        // A case that hung or broke while being generated is not generated again in this process.
        const file = current.target === 'generator' ? undefined : keep(options, current.iteration);
        stats.failures.push({ ...current, reason, file });
        out(
          `FAIL #${current.iteration} ${current.target} [${current.steps.join(', ')}]: ${reason}`,
        );
        next = current.iteration + 1;
      }
    };
    const finish = (resume: number) => {
      if (!settled) {
        settled = true;
        clearInterval(watchdog);
        resolve(resume);
      }
    };
    const watchdog = setInterval(() => {
      if (current && Date.now() - began > HANG_MS) {
        fail(`hang: still running after ${HANG_MS} ms`);
        current = undefined;
        worker.kill('SIGKILL');
      }
    }, 100);
    worker.on('message', (message: WorkerMessage) => {
      switch (message.type) {
        case 'begin':
          current = { iteration: message.iteration, target: 'generator', steps: [] };
          began = Date.now();
          break;
        case 'case':
          current = message;
          break;
        case 'end':
          stats.record(message);
          if (message.failure !== undefined) {
            fail(message.failure);
          }
          current = undefined;
          next = message.iteration + 1;
          break;
        case 'fatal':
          fail(`fuzz loop failed: ${message.message}`);
          finish(to);
          break;
        case 'done':
          finish(to);
      }
    });
    worker.on('error', (error) => {
      if (!current) {
        out(`worker failed to start: ${error.stack ?? error.message}`);
        next = to;
      }
      fail(`worker died: ${error.message}`);
      current = undefined;
      finish(next);
    });
    worker.on('exit', (code, signal) => {
      if (current) {
        const fatal = /FATAL ERROR: .*/.exec(stderr)?.[0] ?? `exit code ${code}, signal ${signal}`;
        fail(`worker died: ${fatal}`);
        current = undefined;
      }
      finish(next === from ? to : next);
    });
  });
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const began = Date.now();
  const deadline = began + options.seconds * 1000;
  const first = options.only ?? 0;
  const last = first + options.iterations;
  if (options.only !== undefined) {
    const { fuzzCase, steps } = generateCase(
      options.seed,
      options.only,
      options.targets,
      options.scale,
    );
    out(`seed ${options.seed} iteration ${options.only}: ${fuzzCase.target} [${steps.join(', ')}]`);
  }
  const stats = new Stats();
  for (let from = first; from < last && Date.now() < deadline;) {
    from = await runWorker(options, from, last, deadline, stats);
  }
  const seconds = (Date.now() - began) / 1000;
  const targets = [...stats.perTarget].map(([target, count]) => `${target} ${count}`).join(', ');
  out(`seed ${options.seed}: ${stats.iterations} inputs in ${seconds.toFixed(1)} s (${targets})`);
  out(
    `slowest: ${stats.slowest.ms.toFixed(1)} ms (#${stats.slowest.iteration} ${stats.slowest.target} ` +
      `[${stats.slowest.steps.join(', ')}]), limit ${TIME_LIMIT_MS} ms`,
  );
  out(`peak heap + buffers: ${(stats.peakHeap / 2 ** 20).toFixed(1)} MB`);
  out(`failures: ${stats.failures.length}`);
  for (const failure of stats.failures) {
    out(
      `  #${failure.iteration} ${failure.target}: ${failure.reason.split('\n')[0] ?? ''}` +
        (failure.file ? ` -> test/fixtures/fuzz-regressions/${failure.file}` : ''),
    );
  }
  if (stats.failures.length > 0) {
    const scale = options.scale === 1 ? '' : ` --scale ${options.scale}`;
    out(`reproduce one: npm run fuzz -- --seed ${options.seed}${scale} --only <iteration>`);
    process.exitCode = 1;
  }
}

main().catch((error: unknown) => {
  process.stderr.write(
    `${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exitCode = 2;
});

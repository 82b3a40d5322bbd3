/** Messages between the fuzz runner (main thread) and its worker, and the contract's limits. */
import path from 'node:path';
import type { FuzzTarget } from './cases';

/** Where the fuzzer keeps inputs that once broke the contract. */
export const REGRESSIONS = path.join(__dirname, '../fixtures/fuzz-regressions');

/** Longest time one input may take. */
export const TIME_LIMIT_MS = 1_000;
/** Most memory (heap plus array buffers) the analyses may hold. */
export const HEAP_LIMIT_BYTES = 256 * 2 ** 20;

/** What the worker is asked to run: iterations `[from, to)` of seed `seed`, until `deadline`. */
export interface WorkerStart {
  readonly seed: number;
  readonly from: number;
  readonly to: number;
  /** Epoch milliseconds. */
  readonly deadline: number;
  readonly targets: readonly FuzzTarget[];
  /** Size scale of the generated inputs (see generateCase). */
  readonly scale: number;
}

/** Progress and results from the worker. */
export type WorkerMessage =
  /** Sent before the case is generated, so that a stuck generator is caught by the watchdog too. */
  | { readonly type: 'begin'; readonly iteration: number }
  /** The case generated for the iteration, before it runs. */
  | {
      readonly type: 'case';
      readonly iteration: number;
      readonly target: FuzzTarget;
      readonly steps: readonly string[];
    }
  | {
      readonly type: 'end';
      readonly iteration: number;
      /** `generator` when the case could not be generated. */
      readonly target: FuzzTarget | 'generator';
      readonly ms: number;
      readonly heap: number;
      readonly steps: readonly string[];
      readonly failure: string | undefined;
    }
  | { readonly type: 'done' }
  | { readonly type: 'fatal'; readonly message: string };

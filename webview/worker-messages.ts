/**
 * Messages between the panel page and its compute worker. Both ends are this script, but the
 * worker still clamps the settings it is sent, as the page does with restored state.
 */
import type { Computation, SlowComputation } from './compute';
import type { PanelSettings } from './settings';

/** Page → worker: recompute for `settings`, or compute the idle-time views. */
export interface WorkerRequest {
  readonly id: number;
  readonly kind: 'update' | 'slow';
  readonly settings: PanelSettings;
}

/** Worker → page: its kernels are loaded (`id` 0), a result, or an error for request `id`. */
export type WorkerReply =
  | { readonly id: number; readonly kind: 'ready' }
  | { readonly id: number; readonly kind: 'update'; readonly result: Computation }
  | { readonly id: number; readonly kind: 'slow'; readonly result: SlowComputation }
  | { readonly id: number; readonly kind: 'error'; readonly message: string };

const REPLY_KINDS: readonly unknown[] = ['ready', 'update', 'slow', 'error'];

/** True for a worker reply's envelope (the results come from the same script). */
export function isWorkerReply(value: unknown): value is WorkerReply {
  if (typeof value !== 'object' || value === null) {
    return false;
  }
  const record = value as Record<string, unknown>;
  return typeof record['id'] === 'number' && REPLY_KINDS.includes(record['kind']);
}

/** True for a worker request's envelope; the settings are clamped by the receiver. */
export function isWorkerRequest(value: unknown): value is WorkerRequest {
  if (typeof value !== 'object' || value === null) {
    return false;
  }
  const record = value as Record<string, unknown>;
  return (
    typeof record['id'] === 'number' &&
    (record['kind'] === 'update' || record['kind'] === 'slow') &&
    typeof record['settings'] === 'object'
  );
}

/**
 * Messages between the extension host and the inventory webview (ONNX editor and model.json
 * inventory). Both sides use these types; the webview still parses every message it receives
 * (webview/inventory/protocol.ts), since a message arrives as `unknown`.
 */
import type { InventoryRow } from './rows';

/** What the webview shows for one model. */
export interface Inventory {
  /** The file name. Untrusted: rendered as text. */
  readonly title: string;
  /** `ONNX model`, `TensorFlow.js layers-model`, … */
  readonly format: string;
  readonly rows: readonly InventoryRow[];
  /** Analysis notes that did not stop the inventory (unreadable weights, limits). */
  readonly notes: readonly string[];
}

/** Host → webview. */
export type HostToInventory =
  | { readonly type: 'inventory'; readonly inventory: Inventory }
  | { readonly type: 'failed'; readonly message: string; readonly offset?: number }
  | { readonly type: 'visualized'; readonly id: number }
  | { readonly type: 'visualizeFailed'; readonly id: number; readonly message: string };

/** Webview → host. */
export type InventoryToHost =
  { readonly type: 'ready' } | { readonly type: 'visualize'; readonly id: number };

/** The message, when it is a well-formed webview → host message. */
export function parseInventoryToHost(message: unknown): InventoryToHost | undefined {
  if (typeof message !== 'object' || message === null) {
    return undefined;
  }
  const { type, id } = message as { type?: unknown; id?: unknown };
  if (type === 'ready') {
    return { type };
  }
  return type === 'visualize' && typeof id === 'number' && Number.isInteger(id) && id >= 0
    ? { type, id }
    : undefined;
}

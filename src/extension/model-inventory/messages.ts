/**
 * Messages between the extension host and the inventory webview (ONNX editor and model.json
 * inventory). The webview validates what it receives with its own parsers in
 * webview/inventory/protocol.ts, which mirror these types: the two TypeScript projects cannot share
 * a file outside src/core.
 */
import type { Severity } from '../../core/index';

/** An effective parameter value as shown: its text, and whether it is the op's default. */
export interface InventoryCell {
  readonly text: string;
  readonly isDefault: boolean;
}

/** One finding on a row. */
export interface InventoryFinding {
  readonly severity: Severity;
  readonly rule: string;
  readonly message: string;
}

/** One normalization layer (or decomposed pattern) of the model. */
export interface InventoryRow {
  /** Index of the site in the report; the webview asks to visualize a row by this id. */
  readonly id: number;
  /** Family: `BatchNorm`, `LayerNorm`, … */
  readonly kind: string;
  /** Operator or layer class, with the variant when it says more (`decomposed LayerNorm`). */
  readonly op: string;
  /** `opset 17 · v17` for ONNX, empty for tfjs. */
  readonly opset: string;
  /** Node or layer names. Untrusted: rendered as text. */
  readonly nodes: readonly string[];
  readonly eps: InventoryCell;
  readonly momentum: InventoryCell;
  readonly axis: InventoryCell;
  /** Element type of the normalized input (or the layer's dtype), empty when unknown. */
  readonly dtype: string;
  /** `native`, `decomposed (9 nodes)`, `unfused after Conv_3`, `folded into conv`. */
  readonly fused: string;
  readonly findings: readonly InventoryFinding[];
  /** True when the layer has constant weights the panel can show. */
  readonly canVisualize: boolean;
}

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

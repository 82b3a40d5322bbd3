/**
 * The inventory webview's side of its protocol with the host (the types are in
 * src/core/inventory/messages.ts). Every message arrives as `unknown` and is parsed
 * here; strings stay strings and are only ever put into the page as text.
 */

import type {
  HostToInventory as HostMessage,
  InventoryCell as Cell,
  Inventory,
  InventoryFinding as RowFinding,
  InventoryRow as Row,
} from '../../src/core/index';

/** The message types are the core's (src/core/inventory), shared with the host. */
export type { Cell, HostMessage, Inventory, Row, RowFinding };

/** Rows accepted in one inventory; a bigger model is cut with a note. */
export const MAX_ROWS = 200_000;
const MAX_TEXT = 2000;
const SEVERITIES: readonly RowFinding['severity'][] = ['error', 'warning', 'info', 'hint'];

type Data = Readonly<Record<string, unknown>>;

function isData(value: unknown): value is Data {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function text(value: unknown): string {
  return typeof value === 'string' ? value.slice(0, MAX_TEXT) : '';
}

function texts(value: unknown, max: number): string[] {
  return Array.isArray(value) ? value.slice(0, max).map(text) : [];
}

function cell(value: unknown): Cell {
  return isData(value)
    ? { text: text(value['text']), isDefault: value['isDefault'] === true }
    : { text: '', isDefault: false };
}

function finding(value: unknown): RowFinding | undefined {
  if (!isData(value)) {
    return undefined;
  }
  const severity = SEVERITIES.find((s) => s === value['severity']);
  return severity && { severity, rule: text(value['rule']), message: text(value['message']) };
}

function row(value: unknown): Row | undefined {
  if (!isData(value) || typeof value['id'] !== 'number' || !Number.isInteger(value['id'])) {
    return undefined;
  }
  return {
    id: value['id'],
    kind: text(value['kind']),
    op: text(value['op']),
    opset: text(value['opset']),
    nodes: texts(value['nodes'], 10_000),
    eps: cell(value['eps']),
    momentum: cell(value['momentum']),
    axis: cell(value['axis']),
    dtype: text(value['dtype']),
    fused: text(value['fused']),
    findings: Array.isArray(value['findings'])
      ? value['findings'].map(finding).filter((f): f is RowFinding => f !== undefined)
      : [],
    canVisualize: value['canVisualize'] === true,
  };
}

/** The message, validated, or undefined when malformed. */
export function parseHostMessage(message: unknown): HostMessage | undefined {
  if (!isData(message)) {
    return undefined;
  }
  if (message['type'] === 'inventory' && isData(message['inventory'])) {
    const inventory = message['inventory'];
    const rows = Array.isArray(inventory['rows']) ? inventory['rows'] : [];
    const notes = texts(inventory['notes'], 100);
    if (rows.length > MAX_ROWS) {
      notes.push(`Only the first ${MAX_ROWS} of ${rows.length} layers are listed.`);
    }
    return {
      type: 'inventory',
      inventory: {
        title: text(inventory['title']),
        format: text(inventory['format']),
        rows: rows
          .slice(0, MAX_ROWS)
          .map(row)
          .filter((r): r is Row => r !== undefined),
        notes,
      },
    };
  }
  if (message['type'] === 'failed') {
    const offset = message['offset'];
    return {
      type: 'failed',
      message: text(message['message']),
      ...(typeof offset === 'number' && Number.isInteger(offset) && offset >= 0 ? { offset } : {}),
    };
  }
  if (message['type'] === 'visualized' && typeof message['id'] === 'number') {
    return { type: 'visualized', id: message['id'] };
  }
  if (message['type'] === 'visualizeFailed' && typeof message['id'] === 'number') {
    return { type: 'visualizeFailed', id: message['id'], message: text(message['message']) };
  }
  return undefined;
}

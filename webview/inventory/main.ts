/**
 * The inventory webview (ONNX editor and model.json inventory): says `ready`, then shows what the
 * host sends — the table of normalization layers, or the one-line reason the model could not be
 * read. The table's sort and filters survive a reload through getState/setState.
 */
import { el, icon } from '../dom';
import { parseHostMessage, type Inventory } from './protocol';
import { INITIAL_STATE, InventoryTable, type TableState } from './table';

const vscode = acquireVsCodeApi();
const app = document.getElementById('app') ?? document.body;
const status = el('p', { id: 'visualize-status', class: 'status', role: 'status' });
/** The shown table, so an updated inventory (weights checked) keeps the scroll position. */
let table: InventoryTable | undefined;

function savedState(): TableState {
  const saved: unknown = vscode.getState();
  if (typeof saved !== 'object' || saved === null) {
    return INITIAL_STATE;
  }
  const s = saved as Partial<Record<keyof TableState, unknown>>;
  return {
    sort: typeof s.sort === 'string' ? s.sort : undefined,
    descending: s.descending === true,
    filter: typeof s.filter === 'string' ? s.filter : '',
    kind: typeof s.kind === 'string' ? s.kind : '',
    withFindings: s.withFindings === true,
  };
}

function showInventory(inventory: Inventory): void {
  const findings = inventory.rows.reduce((n, r) => n + r.findings.length, 0);
  const scrollTop = table?.scrollTop ?? 0;
  table = new InventoryTable(
    inventory.rows,
    savedState(),
    (state) => vscode.setState(state),
    (id) => {
      status.textContent = 'Reading the layer’s weights…';
      vscode.postMessage({ type: 'visualize', id });
    },
  );
  app.replaceChildren(
    el(
      'h1',
      { id: 'inventory-title' },
      icon('symbol-structure'),
      ' ',
      el('span', {}, inventory.title),
    ),
    el(
      'p',
      { id: 'inventory-summary', class: 'summary' },
      `${inventory.format}: ${inventory.rows.length} normalization ${inventory.rows.length === 1 ? 'layer' : 'layers'}, ` +
        `${findings} ${findings === 1 ? 'finding' : 'findings'}.`,
    ),
    ...(inventory.notes.length > 0
      ? [
          el(
            'ul',
            { id: 'inventory-notes', class: 'notes' },
            ...inventory.notes.map((n) => el('li', {}, n)),
          ),
        ]
      : []),
    ...(inventory.rows.length === 0
      ? [el('p', { id: 'inventory-empty' }, 'No normalization layer found in this model.')]
      : [table.element]),
    status,
  );
  table.scrollTop = scrollTop;
}

window.addEventListener('message', (event: MessageEvent<unknown>) => {
  const message = parseHostMessage(event.data);
  if (!message) {
    return;
  }
  switch (message.type) {
    case 'inventory':
      showInventory(message.inventory);
      break;
    case 'failed':
      table = undefined;
      app.replaceChildren(
        el(
          'p',
          { id: 'inventory-error', class: 'error', role: 'alert' },
          icon('error'),
          ' ',
          message.offset === undefined
            ? message.message
            : `${message.message} (byte offset ${message.offset})`,
        ),
      );
      break;
    case 'visualized':
      status.textContent = 'The layer’s weights are shown in the NormLens panel.';
      break;
    case 'visualizeFailed':
      status.textContent = `Could not show the weights: ${message.message}`;
      break;
  }
});

vscode.postMessage({ type: 'ready' });

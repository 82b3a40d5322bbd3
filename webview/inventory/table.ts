/**
 * The inventory table: sortable columns, a text filter, a kind filter and "with findings only".
 * Only the rows in view are in the DOM (fixed row height, spacer rows above and below), so 10,000
 * layers scroll as smoothly as ten. Every model string goes in as text.
 */
import { el, icon } from '../dom';
import type { Cell, Row, RowFinding } from './protocol';

/** Row height in pixels; media/inventory.css gives every row exactly this height. */
const ROW_HEIGHT = 28;
/** Rows rendered above and below the visible ones, so a fast scroll shows no gap. */
const OVERSCAN = 10;
const SEVERITY_ICON: Readonly<Record<RowFinding['severity'], string>> = {
  error: 'error',
  warning: 'warning',
  info: 'info',
  hint: 'lightbulb',
};
const SEVERITY_RANK: Readonly<Record<RowFinding['severity'], number>> = {
  error: 0,
  warning: 1,
  info: 2,
  hint: 3,
};

/** A column: its header, how it sorts, and how it renders. */
interface Column {
  readonly key: string;
  readonly title: string;
  readonly sortKey: (row: Row) => string | number;
  readonly render: (row: Row) => (Node | string)[];
}

function cellContent(value: Cell): (Node | string)[] {
  return value.isDefault
    ? [value.text, ' ', el('span', { class: 'default', title: 'the op’s default' }, 'default')]
    : [value.text];
}

function numericOrText(value: Cell): number | string {
  const n = Number(value.text);
  return value.text !== '' && Number.isFinite(n) ? n : value.text;
}

function worst(row: Row): RowFinding['severity'] | undefined {
  return row.findings.reduce<RowFinding['severity'] | undefined>(
    (w, f) => (w === undefined || SEVERITY_RANK[f.severity] < SEVERITY_RANK[w] ? f.severity : w),
    undefined,
  );
}

const COLUMNS: readonly Column[] = [
  { key: 'kind', title: 'Kind', sortKey: (r) => r.kind, render: (r) => [r.kind] },
  { key: 'op', title: 'Op', sortKey: (r) => r.op, render: (r) => [r.op] },
  { key: 'opset', title: 'Opset', sortKey: (r) => r.opset, render: (r) => [r.opset] },
  {
    key: 'nodes',
    title: 'Nodes',
    sortKey: (r) => r.nodes[0] ?? '',
    render: (r) => [
      r.nodes[0] ?? '',
      ...(r.nodes.length > 1 ? [el('span', { class: 'more' }, ` +${r.nodes.length - 1}`)] : []),
    ],
  },
  {
    key: 'eps',
    title: 'eps',
    sortKey: (r) => numericOrText(r.eps),
    render: (r) => cellContent(r.eps),
  },
  {
    key: 'momentum',
    title: 'momentum',
    sortKey: (r) => numericOrText(r.momentum),
    render: (r) => cellContent(r.momentum),
  },
  { key: 'axis', title: 'axis', sortKey: (r) => r.axis.text, render: (r) => cellContent(r.axis) },
  { key: 'dtype', title: 'dtype', sortKey: (r) => r.dtype, render: (r) => [r.dtype] },
  { key: 'fused', title: 'Fused', sortKey: (r) => r.fused, render: (r) => [r.fused] },
  {
    key: 'findings',
    title: 'Findings',
    sortKey: (r) => {
      const w = worst(r);
      return w === undefined ? 9 : SEVERITY_RANK[w] - r.findings.length / 1e6;
    },
    render: (r) => {
      const w = worst(r);
      const first = r.findings[0];
      return w === undefined || !first
        ? []
        : [icon(SEVERITY_ICON[w]), ` ${r.findings.length}: ${first.rule} — ${first.message}`];
    },
  },
];

/** What the user chose; kept across reloads by the caller. */
export interface TableState {
  readonly sort: string | undefined;
  readonly descending: boolean;
  readonly filter: string;
  readonly kind: string;
  readonly withFindings: boolean;
}

/** The default state: graph order, nothing filtered. */
export const INITIAL_STATE: TableState = {
  sort: undefined,
  descending: false,
  filter: '',
  kind: '',
  withFindings: false,
};

/** The table and its controls for one inventory. */
export class InventoryTable {
  readonly element: HTMLElement;
  private readonly scroller: HTMLElement;
  private readonly body = el('tbody');
  private readonly topSpacer = el('tr', { class: 'spacer', 'aria-hidden': 'true' });
  private readonly bottomSpacer = el('tr', { class: 'spacer', 'aria-hidden': 'true' });
  private readonly count = el('p', { id: 'row-count', class: 'row-count' });
  private readonly headers = new Map<string, HTMLElement>();
  /** Lower-case text of each row, for the filter. */
  private readonly haystacks: readonly string[];
  private shown: readonly Row[] = [];
  private frame = 0;

  constructor(
    private readonly rows: readonly Row[],
    private state: TableState,
    private readonly onState: (state: TableState) => void,
    private readonly onVisualize: (id: number) => void,
  ) {
    this.haystacks = rows.map((r) =>
      [
        r.kind,
        r.op,
        r.opset,
        r.dtype,
        r.fused,
        ...r.nodes,
        ...r.findings.map((f) => `${f.rule} ${f.message}`),
      ]
        .join('\n')
        .toLowerCase(),
    );
    const head = el(
      'tr',
      {},
      ...COLUMNS.map((column) => {
        const button = el(
          'button',
          { type: 'button', class: 'sort', 'data-column': column.key },
          column.title,
        );
        button.addEventListener('click', () => this.sortBy(column.key));
        const th = el('th', { scope: 'col', 'data-column': column.key }, button);
        this.headers.set(column.key, th);
        return th;
      }),
      el('th', { scope: 'col' }, el('span', { class: 'visually-hidden' }, 'Actions')),
    );
    this.body.addEventListener('click', (event) => {
      const target =
        event.target instanceof Element ? event.target.closest('button.visualize') : null;
      const id = target?.getAttribute('data-id');
      if (id !== null && id !== undefined) {
        this.onVisualize(Number(id));
      }
    });
    this.scroller = el(
      'div',
      { id: 'table-scroll', class: 'table-scroll', tabindex: '0' },
      el('table', { id: 'inventory' }, el('thead', {}, head), this.body),
    );
    this.scroller.addEventListener('scroll', () => this.schedule());
    new ResizeObserver(() => this.schedule()).observe(this.scroller);
    this.element = el(
      'section',
      { id: 'inventory-table' },
      this.controls(),
      this.count,
      this.scroller,
    );
    this.apply();
  }

  private controls(): HTMLElement {
    const filter = el('input', {
      id: 'filter',
      type: 'search',
      placeholder: 'Filter by name, op, rule…',
      'aria-label': 'Filter layers',
    });
    filter.value = this.state.filter;
    filter.addEventListener('input', () => this.update({ filter: filter.value }));
    const kinds = [...new Set(this.rows.map((r) => r.kind))].sort();
    const kind = el(
      'select',
      { id: 'kind-filter', 'aria-label': 'Kind' },
      el('option', { value: '' }, 'All kinds'),
      ...kinds.map((k) => el('option', { value: k }, k)),
    );
    kind.value = kinds.includes(this.state.kind) ? this.state.kind : '';
    kind.addEventListener('change', () => this.update({ kind: kind.value }));
    const withFindings = el('input', { id: 'with-findings', type: 'checkbox' });
    withFindings.checked = this.state.withFindings;
    withFindings.addEventListener('change', () =>
      this.update({ withFindings: withFindings.checked }),
    );
    return el(
      'div',
      { class: 'controls' },
      filter,
      kind,
      el('label', {}, withFindings, ' With findings only'),
    );
  }

  /** The scroll position of the rows (restored after the inventory is updated). */
  get scrollTop(): number {
    return this.scroller.scrollTop;
  }

  set scrollTop(value: number) {
    this.scroller.scrollTop = value;
    this.render();
  }

  private sortBy(key: string): void {
    const descending = this.state.sort === key ? !this.state.descending : false;
    this.update({ sort: key, descending });
  }

  private update(change: Partial<TableState>): void {
    this.state = { ...this.state, ...change };
    this.onState(this.state);
    this.apply();
  }

  /** Filters and sorts, then renders from the top. */
  private apply(): void {
    const { filter, kind, withFindings, sort, descending } = this.state;
    const needle = filter.trim().toLowerCase();
    let shown = this.rows.filter(
      (row, k) =>
        (kind === '' || row.kind === kind) &&
        (!withFindings || row.findings.length > 0) &&
        (needle === '' || (this.haystacks[k] ?? '').includes(needle)),
    );
    const column = COLUMNS.find((c) => c.key === sort);
    if (column) {
      const keys = new Map(shown.map((row) => [row, column.sortKey(row)]));
      const sign = descending ? -1 : 1;
      shown = [...shown].sort((a, b) => sign * compare(keys.get(a) ?? '', keys.get(b) ?? ''));
    }
    this.shown = shown;
    for (const [key, th] of this.headers) {
      th.setAttribute(
        'aria-sort',
        key === sort ? (descending ? 'descending' : 'ascending') : 'none',
      );
    }
    this.count.textContent =
      shown.length === this.rows.length
        ? `${this.rows.length} normalization ${this.rows.length === 1 ? 'layer' : 'layers'}`
        : `${shown.length} of ${this.rows.length} layers shown`;
    this.scroller.scrollTop = 0;
    this.render();
  }

  private schedule(): void {
    if (this.frame === 0) {
      this.frame = requestAnimationFrame(() => {
        this.frame = 0;
        this.render();
      });
    }
  }

  /** Puts the rows in view (plus the overscan) into the DOM, and spacers for the rest. */
  private render(): void {
    const total = this.shown.length;
    const viewport = Math.max(this.scroller.clientHeight, ROW_HEIGHT * 20);
    const first = Math.max(0, Math.floor(this.scroller.scrollTop / ROW_HEIGHT) - OVERSCAN);
    const last = Math.min(
      total,
      Math.ceil((this.scroller.scrollTop + viewport) / ROW_HEIGHT) + OVERSCAN,
    );
    // Sizes through the CSSOM: the CSP forbids inline style attributes, not style properties.
    this.topSpacer.style.height = `${first * ROW_HEIGHT}px`;
    this.bottomSpacer.style.height = `${(total - last) * ROW_HEIGHT}px`;
    const rows = this.shown.slice(first, last).map((row) => this.renderRow(row));
    this.body.replaceChildren(this.topSpacer, ...rows, this.bottomSpacer);
  }

  private renderRow(row: Row): HTMLTableRowElement {
    const cells = COLUMNS.map((column) => {
      const td = el('td', { class: column.key }, ...column.render(row));
      // The full text as a tooltip: cells are cut to one line to keep the row height fixed.
      td.title =
        column.key === 'nodes'
          ? row.nodes.join('\n')
          : column.key === 'findings'
            ? row.findings.map((f) => `${f.severity} ${f.rule}: ${f.message}`).join('\n')
            : (td.textContent ?? '');
      return td;
    });
    const action = row.canVisualize
      ? el(
          'button',
          { type: 'button', class: 'visualize', 'data-id': String(row.id) },
          icon('graph'),
          ' Visualize',
        )
      : el('span', { class: 'no-weights' }, 'no weights');
    const severity = worst(row);
    return el(
      'tr',
      {
        class: 'row',
        'data-id': String(row.id),
        ...(severity ? { 'data-severity': severity } : {}),
      },
      ...cells,
      el('td', { class: 'action' }, action),
    );
  }
}

function compare(a: string | number, b: string | number): number {
  if (typeof a === 'number' && typeof b === 'number') {
    return a - b;
  }
  if (typeof a === 'number') {
    return -1;
  }
  if (typeof b === 'number') {
    return 1;
  }
  return a.localeCompare(b);
}

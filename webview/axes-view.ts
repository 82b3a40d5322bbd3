/**
 * The tensor block in the style of the GroupNorm paper's figure (N × C × H·W, or L × D × N for a
 * sequence), drawn from the pure layout in axes-grid.ts. The cells that share the active cell's
 * mean and variance are highlighted. Hover a cell, or focus the block and use the arrow keys. The
 * block fits the panel's width and redraws when the panel is resized: when C is too large for the
 * width, neighbouring channels share a drawn cell.
 */
import {
  DEPTH_X,
  DEPTH_Y,
  axesGrid,
  binColumns,
  drawnCellShared,
  layoutGrid,
  sharedCount,
  type AxesGrid,
  type GridCell,
  type GridLayout,
} from './axes-grid';
import { el, svg } from './dom';
import { reductionOf } from './methods';
import type { PanelSettings } from './settings';

/** Width used before the block is in the page (and so has no measured width). */
const FALLBACK_WIDTH = 640;
/** Width changes smaller than this do not redraw. */
const RESIZE_STEP = 8;

interface DrawnCell {
  readonly element: SVGElement;
  readonly row: number;
  /** Drawn column: a bin of `layout.bin` tensor columns. */
  readonly column: number;
}

/** The block, its caption and the active cell. */
export class AxesView {
  readonly element: HTMLElement;
  private readonly figure: HTMLElement;
  private readonly caption: HTMLElement;
  private readonly resize: ResizeObserver;
  private grid: AxesGrid | undefined;
  private layout: GridLayout | undefined;
  private reductionText = '';
  private active: GridCell = { row: 0, column: 0 };
  private cells: DrawnCell[] = [];
  private faces: DrawnCell[] = [];
  private drawnKey = '';
  private drawnWidth = 0;

  constructor() {
    this.caption = el('p', { id: 'axes-caption', 'aria-live': 'polite' });
    this.figure = el('div', {
      id: 'axes-block',
      tabindex: '0',
      role: 'group',
      'aria-roledescription': 'tensor block',
      'aria-describedby': 'axes-caption',
    });
    this.figure.addEventListener('keydown', (event) => this.onKey(event));
    this.element = el('div', { id: 'axes-view' }, this.figure, this.caption);
    this.resize = new ResizeObserver(() => {
      if (this.grid && Math.abs(this.availableWidth() - this.drawnWidth) >= RESIZE_STEP) {
        this.redraw(this.grid);
        this.highlight();
      }
    });
    this.resize.observe(this.element);
  }

  /** Redraws for new settings (at most 16 rows of drawn cells). */
  update(settings: PanelSettings): void {
    const reduction = reductionOf(settings);
    const grid = axesGrid(settings, reduction);
    this.grid = grid;
    this.reductionText = reduction.text;
    this.active = {
      row: Math.min(this.active.row, Math.min(grid.rows.size, 16) - 1),
      column: Math.min(this.active.column, grid.columns.size - 1),
    };
    const { rows, columns, depth } = grid;
    this.figure.setAttribute(
      'aria-label',
      `${rows.size} × ${columns.size} × ${depth.size} block (${rows.name} × ${columns.name} × ` +
        `${depth.name}); arrow keys move the highlighted cell`,
    );
    // Redraw only when the shape changes; a method or group change only moves the highlight.
    const key = [settings.layout, rows.size, columns.size, depth.size].join('x');
    if (key !== this.drawnKey) {
      this.redraw(grid);
      this.drawnKey = key;
    }
    this.highlight();
  }

  /** Stops following the panel's size. */
  dispose(): void {
    this.resize.disconnect();
  }

  private availableWidth(): number {
    return this.element.clientWidth || FALLBACK_WIDTH;
  }

  private redraw(grid: AxesGrid): void {
    this.drawnWidth = this.availableWidth();
    this.layout = layoutGrid(grid, this.drawnWidth);
    const root = this.draw(grid, this.layout);
    this.figure.replaceChildren(root);
    fitViewBox(root, this.layout);
  }

  private draw(grid: AxesGrid, layout: GridLayout): SVGSVGElement {
    const { left, top, cellWidth, cellHeight, drawnRows, drawnColumns, labels } = layout;
    const width = drawnColumns * cellWidth;
    const height = drawnRows * cellHeight;
    // Never wider than the panel: in a very narrow panel the whole block scales down.
    const scale = Math.min(1, this.drawnWidth / layout.width);
    const root = svg('svg', {
      width: String(Math.floor(layout.width * scale)),
      height: String(Math.floor(layout.height * scale)),
      viewBox: `0 0 ${layout.width} ${layout.height}`,
      'aria-hidden': 'true',
    });
    this.cells = [];
    this.faces = [];
    for (let row = 0; row < drawnRows; row++) {
      for (let column = 0; column < drawnColumns; column++) {
        const [first, end] = binColumns(layout, grid, column);
        const element = svg('rect', {
          class: 'cell',
          x: String(left + column * cellWidth),
          y: String(top + row * cellHeight),
          width: String(cellWidth),
          height: String(cellHeight),
          'data-n': String(row),
          'data-c': String(first),
          ...(end - first > 1 && { 'data-c-end': String(end - 1) }),
        });
        element.addEventListener('mouseenter', () => this.activate(row, first));
        this.cells.push({ element, row, column });
        root.append(element);
      }
    }
    // Top face: one strip per drawn column of the first row; right face: one per row of the last column.
    for (let column = 0; column < drawnColumns; column++) {
      const x = left + column * cellWidth;
      const points = [x, top, x + cellWidth, top, x + cellWidth + DEPTH_X, top - DEPTH_Y];
      this.addFace(root, [...points, x + DEPTH_X, top - DEPTH_Y], 0, column);
    }
    for (let row = 0; row < drawnRows; row++) {
      const x = left + width;
      const y = top + row * cellHeight;
      const points = [x, y, x + DEPTH_X, y - DEPTH_Y, x + DEPTH_X, y + cellHeight - DEPTH_Y];
      this.addFace(root, [...points, x, y + cellHeight], row, drawnColumns - 1);
    }
    const label = (x: number, y: number, text: string, anchor = 'start'): SVGTextElement =>
      svg('text', { x: String(x), y: String(y), class: 'axis-label', 'text-anchor': anchor }, text);
    root.append(
      label(left, top + height + 16, labels.columns),
      label(6, top + Math.min(height, 2 * cellHeight) / 2 + 4, labels.rows),
      label(left + width + DEPTH_X + 6, top - DEPTH_Y + 4, labels.depth),
    );
    return root;
  }

  private addFace(
    root: SVGSVGElement,
    points: readonly number[],
    row: number,
    column: number,
  ): void {
    const element = svg('polygon', { class: 'face', points: points.join(' ') });
    const layout = this.layout;
    const first = layout && this.grid ? binColumns(layout, this.grid, column)[0] : column;
    element.addEventListener('mouseenter', () => this.activate(row, first));
    this.faces.push({ element, row, column });
    root.append(element);
  }

  private activate(row: number, column: number): void {
    this.active = { row, column };
    this.highlight();
  }

  private onKey(event: KeyboardEvent): void {
    const { grid, layout } = this;
    if (!grid || !layout) {
      return;
    }
    const moves: Record<string, [number, number]> = {
      ArrowLeft: [0, -1],
      ArrowRight: [0, 1],
      ArrowUp: [-1, 0],
      ArrowDown: [1, 0],
    };
    const move = moves[event.key];
    if (move) {
      event.preventDefault();
      const row = Math.min(Math.max(this.active.row + move[0], 0), layout.drawnRows - 1);
      const drawn = Math.floor(this.active.column / layout.bin) + move[1];
      const column = Math.min(Math.max(drawn, 0), layout.drawnColumns - 1) * layout.bin;
      this.activate(row, column);
    }
  }

  /** Marks the cells that share the active cell's statistic and describes them. */
  private highlight(): void {
    const { grid, layout, active } = this;
    if (!grid || !layout) {
      return;
    }
    const activeColumn = Math.floor(active.column / layout.bin);
    for (const cell of this.cells) {
      const shared = drawnCellShared(grid, layout, active, cell.row, cell.column);
      cell.element.classList.toggle('shared', shared);
      cell.element.classList.toggle(
        'active',
        cell.row === active.row && cell.column === activeColumn,
      );
    }
    for (const face of this.faces) {
      const shared =
        grid.depthShared && drawnCellShared(grid, layout, active, face.row, face.column);
      face.element.classList.toggle('shared', shared);
    }
    const shared = sharedCount(grid, active);
    this.caption.textContent = `${describeCell(grid, active)}: ${sharedText(grid, shared)} Normalizes ${this.reductionText}.`;
    this.caption.dataset['shared'] = String(shared);
    this.caption.dataset['bin'] = String(layout.bin);
  }
}

function describeCell(grid: AxesGrid, active: GridCell): string {
  return grid.sequence
    ? `Token l = ${active.row}, feature d = ${active.column} of sample 0`
    : `Cell n = ${active.row}, c = ${active.column}`;
}

function sharedText(grid: AxesGrid, shared: number): string {
  if (!grid.sequence) {
    return `${shared} highlighted plane${shared === 1 ? ' has' : 's share'} one mean and variance.`;
  }
  const samples = grid.depthShared
    ? `, together with the same values of all ${grid.depth.size} samples,`
    : '';
  return `${shared} highlighted value${shared === 1 ? '' : 's'} of sample 0${samples} share one mean and variance.`;
}

/**
 * Widens the view box to everything drawn when a label came out longer than estimated (another
 * font), so that a label is scaled down rather than cut.
 */
function fitViewBox(root: SVGSVGElement, layout: GridLayout): void {
  if (!root.isConnected) {
    return;
  }
  const box = root.getBBox();
  const x = Math.min(0, Math.floor(box.x));
  const y = Math.min(0, Math.floor(box.y));
  const right = Math.max(layout.width, Math.ceil(box.x + box.width) + 2);
  const bottom = Math.max(layout.height, Math.ceil(box.y + box.height) + 2);
  if (x < 0 || y < 0 || right > layout.width || bottom > layout.height) {
    root.setAttribute('viewBox', `${x} ${y} ${right - x} ${bottom - y}`);
  }
}

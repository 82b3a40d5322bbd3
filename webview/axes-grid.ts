/**
 * What the axes block shows, without the DOM: which front-face cells share one statistic for a
 * method, and how the block is laid out in a given width. The front face is N × C with depth H·W
 * for an image tensor, and L × D (sample 0) with depth N for a sequence tensor, so that every
 * highlighted cell belongs to the active cell's statistic as a whole.
 */
import type { Reduction } from '../src/core/index';
import type { PanelSettings } from './settings';

/** One axis of the block: its name and size. */
export interface GridAxis {
  readonly name: string;
  readonly size: number;
}

/** The block for one setting: its axes and which cells share a statistic. */
export interface AxesGrid {
  readonly rows: GridAxis;
  readonly columns: GridAxis;
  readonly depth: GridAxis;
  /** True for N×L×D, where a front cell is one value of sample 0. */
  readonly sequence: boolean;
  /** One statistic spans the whole depth (the depth faces belong to it). */
  readonly depthShared: boolean;
  /** Cells (r, c) and (r', c') share a statistic when both keys are equal. */
  rowKey(row: number): number;
  columnKey(column: number): number;
}

/** A cell on the front face, in tensor indices. */
export interface GridCell {
  readonly row: number;
  readonly column: number;
}

/** The block for `settings`, whose method reduces `reduction` (axes in the panel's tensor). */
export function axesGrid(settings: PanelSettings, reduction: Reduction): AxesGrid {
  const reduced = new Set(reduction.axes ?? []);
  if (settings.layout === 'nld') {
    // Axes 0, 1, 2 are N, L, D; rows are L, columns D, depth N.
    return {
      rows: { name: 'L', size: settings.length },
      columns: { name: 'D', size: settings.features },
      depth: { name: 'N', size: settings.batch },
      sequence: true,
      depthShared: reduced.has(0),
      rowKey: (l) => (reduced.has(1) ? 0 : l),
      columnKey: (d) => (reduced.has(2) ? 0 : d),
    };
  }
  const channels = settings.channels;
  const groupSize = reduction.groups === undefined ? channels : channels / reduction.groups;
  return {
    rows: { name: 'N', size: settings.batch },
    columns: { name: 'C', size: channels },
    depth: { name: 'H·W', size: settings.height * settings.width },
    sequence: false,
    // Every method here reduces H and W, so a cell (one H·W plane) is always shared whole.
    depthShared: true,
    rowKey: (n) => (reduced.has(0) ? 0 : n),
    // GroupNorm reduces the channel axis only within each group.
    columnKey: (c) => (!reduced.has(1) ? c : Math.floor(c / groupSize)),
  };
}

/** True when cells `a` and `b` share one statistic. */
export function sameStatistic(grid: AxesGrid, a: GridCell, b: GridCell): boolean {
  return (
    grid.rowKey(a.row) === grid.rowKey(b.row) &&
    grid.columnKey(a.column) === grid.columnKey(b.column)
  );
}

/** Front-face cells (over all rows and columns, drawn or not) that share `active`'s statistic. */
export function sharedCount(grid: AxesGrid, active: GridCell): number {
  const rowKey = grid.rowKey(active.row);
  const columnKey = grid.columnKey(active.column);
  let rows = 0;
  for (let r = 0; r < grid.rows.size; r++) {
    rows += grid.rowKey(r) === rowKey ? 1 : 0;
  }
  let columns = 0;
  for (let c = 0; c < grid.columns.size; c++) {
    columns += grid.columnKey(c) === columnKey ? 1 : 0;
  }
  return rows * columns;
}

/** Rows drawn at most; larger batches or sequences show their first rows. */
export const MAX_ROWS = 16;
/** Narrowest and widest drawn cell, px; below the narrowest, neighbouring columns share a cell. */
export const MIN_CELL = 5;
export const MAX_CELL = 24;
/** The depth faces' offset, px. */
export const DEPTH_X = 26;
export const DEPTH_Y = 18;
/** A generous width per character of the 11 px axis labels, so that no label is cut. */
export const CHAR_WIDTH = 7;
const PAD = 6;

/** Where everything of the block goes, in px of the SVG. */
export interface GridLayout {
  /** Tensor columns per drawn column (1 unless the width forces channels together). */
  readonly bin: number;
  readonly drawnColumns: number;
  readonly drawnRows: number;
  readonly cellWidth: number;
  readonly cellHeight: number;
  /** The front face's top-left corner. */
  readonly left: number;
  readonly top: number;
  /** The whole SVG. */
  readonly width: number;
  readonly height: number;
  readonly labels: {
    readonly rows: string;
    readonly columns: string;
    readonly depth: string;
  };
}

/** Lays the block out to fit `available` px (never narrower than its labels need). */
export function layoutGrid(grid: AxesGrid, available: number): GridLayout {
  const labels = {
    rows: `${grid.rows.name} = ${grid.rows.size}`,
    columns: `${grid.columns.name} = ${grid.columns.size}`,
    depth: `${grid.depth.name} = ${grid.depth.size}`,
  };
  const left = textWidth(labels.rows) + 2 * PAD;
  const right = DEPTH_X + PAD + textWidth(labels.depth) + PAD;
  const room = Math.max(0, available - left - right);
  const columns = Math.max(1, grid.columns.size);
  const bin = columns * MIN_CELL <= room ? 1 : Math.ceil((columns * MIN_CELL) / Math.max(room, 1));
  const drawnColumns = Math.ceil(columns / bin);
  const cellWidth = Math.max(MIN_CELL, Math.min(MAX_CELL, Math.floor(room / drawnColumns)));
  const columnLabel = bin > 1 ? `${labels.columns} (${bin} per cell)` : labels.columns;
  const drawnRows = Math.max(1, Math.min(grid.rows.size, MAX_ROWS));
  const cellHeight = Math.max(8, Math.min(22, Math.floor(200 / drawnRows)));
  const top = DEPTH_Y + 16;
  const gridWidth = drawnColumns * cellWidth;
  return {
    bin,
    drawnColumns,
    drawnRows,
    cellWidth,
    cellHeight,
    left,
    top,
    width: Math.max(left + gridWidth + right, left + textWidth(columnLabel) + PAD),
    height: top + drawnRows * cellHeight + 24,
    labels: { ...labels, columns: columnLabel },
  };
}

/** Tensor columns [first, end) behind drawn column `index`. */
export function binColumns(layout: GridLayout, grid: AxesGrid, index: number): [number, number] {
  const first = index * layout.bin;
  return [first, Math.min(first + layout.bin, grid.columns.size)];
}

/** True when drawn cell (row, drawn column) holds a cell sharing `active`'s statistic. */
export function drawnCellShared(
  grid: AxesGrid,
  layout: GridLayout,
  active: GridCell,
  row: number,
  drawnColumn: number,
): boolean {
  const [first, end] = binColumns(layout, grid, drawnColumn);
  for (let column = first; column < end; column++) {
    if (sameStatistic(grid, active, { row, column })) {
      return true;
    }
  }
  return false;
}

function textWidth(text: string): number {
  return text.length * CHAR_WIDTH;
}

/**
 * The N × C × (H·W) block in the style of the GroupNorm paper's figure: the front face is N × C,
 * the depth is H·W. Every cell stands for one H·W plane; the cells that share the active cell's
 * mean and variance are highlighted. Hover a cell, or focus the block and use the arrow keys.
 */
import type { Reduction } from '../src/core/index';
import { el, svg } from './dom';
import { reductionOf, statisticKey } from './methods';
import type { PanelSettings } from './settings';

/** Cells drawn at most per axis; larger shapes show their first rows and columns. */
const MAX_SAMPLES = 16;
const MAX_CHANNELS = 64;
const DEPTH_X = 26;
const DEPTH_Y = 18;
const MARGIN = 48;

/** The block, its caption and the active cell. */
export class AxesView {
  readonly element: HTMLElement;
  private readonly figure: HTMLElement;
  private readonly caption: HTMLElement;
  private settings: PanelSettings | undefined;
  private reduction: Reduction | undefined;
  private active = { n: 0, c: 0 };
  private cells: SVGRectElement[] = [];
  private faces: { element: SVGPolygonElement; n: number; c: number }[] = [];
  private drawnShape = '';

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
  }

  /** Redraws for new settings (cheap: at most 16 × 64 cells). */
  update(settings: PanelSettings): void {
    this.settings = settings;
    this.reduction = reductionOf(settings);
    this.active = {
      n: Math.min(this.active.n, shown(settings).samples - 1),
      c: Math.min(this.active.c, shown(settings).channels - 1),
    };
    this.figure.setAttribute(
      'aria-label',
      `${settings.batch} × ${settings.channels} × ${settings.height * settings.width} block ` +
        '(N × C × H·W); arrow keys move the highlighted cell',
    );
    // Redraw only when the shape changes; a method or group change only moves the highlight.
    const shape = [settings.batch, settings.channels, settings.height, settings.width].join('x');
    if (shape !== this.drawnShape) {
      this.figure.replaceChildren(this.draw(settings));
      this.drawnShape = shape;
    }
    this.highlight();
  }

  private draw(settings: PanelSettings): SVGSVGElement {
    const { samples, channels } = shown(settings);
    const size = Math.max(6, Math.min(24, Math.floor(520 / channels)));
    const cellHeight = Math.max(8, Math.min(22, Math.floor(200 / samples)));
    const left = MARGIN;
    const top = MARGIN + DEPTH_Y;
    const width = channels * size;
    const height = samples * cellHeight;
    const root = svg('svg', {
      width: String(left + width + DEPTH_X + MARGIN),
      height: String(top + height + MARGIN),
      'aria-hidden': 'true',
    });
    this.cells = [];
    this.faces = [];
    for (let n = 0; n < samples; n++) {
      for (let c = 0; c < channels; c++) {
        const cell = svg('rect', {
          class: 'cell',
          x: String(left + c * size),
          y: String(top + n * cellHeight),
          width: String(size),
          height: String(cellHeight),
          'data-n': String(n),
          'data-c': String(c),
        });
        cell.addEventListener('mouseenter', () => this.activate(n, c));
        this.cells.push(cell);
        root.append(cell);
      }
    }
    // Top face: one strip per channel of the first sample; right face: one per sample of the last channel.
    for (let c = 0; c < channels; c++) {
      const x = left + c * size;
      this.addFace(
        root,
        [x, top, x + size, top, x + size + DEPTH_X, top - DEPTH_Y, x + DEPTH_X, top - DEPTH_Y],
        0,
        c,
      );
    }
    for (let n = 0; n < samples; n++) {
      const x = left + width;
      const y = top + n * cellHeight;
      this.addFace(
        root,
        [x, y, x + DEPTH_X, y - DEPTH_Y, x + DEPTH_X, y + cellHeight - DEPTH_Y, x, y + cellHeight],
        n,
        channels - 1,
      );
    }
    root.append(
      svg(
        'text',
        { x: String(left + width / 2), y: String(top + height + 18), class: 'axis-label' },
        `C = ${settings.channels}`,
      ),
      svg(
        'text',
        { x: '4', y: String(top + height / 2), class: 'axis-label' },
        `N = ${settings.batch}`,
      ),
      svg(
        'text',
        { x: String(left + width + DEPTH_X + 2), y: String(top - DEPTH_Y), class: 'axis-label' },
        `H·W = ${settings.height * settings.width}`,
      ),
    );
    return root;
  }

  private addFace(root: SVGSVGElement, points: readonly number[], n: number, c: number): void {
    const element = svg('polygon', { class: 'face', points: points.join(' ') });
    element.addEventListener('mouseenter', () => this.activate(n, c));
    this.faces.push({ element, n, c });
    root.append(element);
  }

  private activate(n: number, c: number): void {
    this.active = { n, c };
    this.highlight();
  }

  private onKey(event: KeyboardEvent): void {
    if (!this.settings) {
      return;
    }
    const { samples, channels } = shown(this.settings);
    const moves: Record<string, [number, number]> = {
      ArrowLeft: [0, -1],
      ArrowRight: [0, 1],
      ArrowUp: [-1, 0],
      ArrowDown: [1, 0],
    };
    const move = moves[event.key];
    if (move) {
      event.preventDefault();
      const n = Math.min(Math.max(this.active.n + move[0], 0), samples - 1);
      const c = Math.min(Math.max(this.active.c + move[1], 0), channels - 1);
      this.activate(n, c);
    }
  }

  /** Marks the cells that share the active cell's statistic and describes them. */
  private highlight(): void {
    const settings = this.settings;
    const reduction = this.reduction;
    if (!settings || !reduction) {
      return;
    }
    const key = (n: number, c: number): number => statisticKey(reduction, settings.channels, n, c);
    const activeKey = key(this.active.n, this.active.c);
    let shared = 0;
    for (const cell of this.cells) {
      const n = Number(cell.dataset['n']);
      const c = Number(cell.dataset['c']);
      const same = key(n, c) === activeKey;
      shared += same ? 1 : 0;
      cell.classList.toggle('shared', same);
      cell.classList.toggle('active', n === this.active.n && c === this.active.c);
    }
    for (const face of this.faces) {
      face.element.classList.toggle('shared', key(face.n, face.c) === activeKey);
    }
    this.caption.textContent =
      `Cell n = ${this.active.n}, c = ${this.active.c}: ${shared} highlighted ` +
      `plane${shared === 1 ? ' has' : 's share'} one mean and variance. ` +
      `Normalizes ${reduction.text}.`;
    this.caption.dataset['shared'] = String(shared);
  }
}

function shown(settings: PanelSettings): { samples: number; channels: number } {
  return {
    samples: Math.min(settings.batch, MAX_SAMPLES),
    channels: Math.min(settings.channels, MAX_CHANNELS),
  };
}

/**
 * Precision: the same method on the same sample in fp32 and in emulated fp16 and bf16 storage.
 * Shows eps as each format stores it (1e-12 is 0 in fp16) and the NaN/Inf that follow when a
 * zero variance meets an eps that rounded to 0.
 */
import type { PrecisionRow } from './compute';
import { el, icon } from './dom';
import { fmt } from './stats-view';
import type { PanelSettings } from './settings';

/** The eps and sample that make fp16's eps underflow visible. */
export const UNDERFLOW_DEMO: Partial<PanelSettings> = { eps: 1e-12, constantChannel: true };

/** The table and the button that loads the underflow demonstration. */
export class PrecisionView {
  readonly element: HTMLElement;
  private readonly table = el('div', { id: 'precision-table' });
  private readonly note = el('p', { id: 'precision-note', role: 'status' });

  constructor(onDemo: () => void) {
    const demo = el(
      'button',
      { id: 'underflow-demo', type: 'button' },
      icon('beaker'),
      ' eps = 1e-12 with a constant channel',
    );
    demo.addEventListener('click', onDemo);
    this.element = el('div', { id: 'precision-view' }, demo, this.table, this.note);
  }

  /** Shows one row per precision. */
  update(settings: PanelSettings, rows: readonly PrecisionRow[]): void {
    this.table.replaceChildren(
      el(
        'table',
        { id: 'precision-stats' },
        el('caption', {}, `The same computation with eps = ${settings.eps} in each storage format`),
        el(
          'thead',
          {},
          el(
            'tr',
            {},
            ...['format', 'eps stored as', 'NaN', '±Inf', 'max |y − y_fp32|'].map((t) =>
              el('th', { scope: 'col' }, t),
            ),
          ),
        ),
        el(
          'tbody',
          {},
          ...rows.map((row) =>
            el(
              'tr',
              {
                'data-precision': row.precision,
                ...(row.nanCount + row.infCount > 0 ? { class: 'invalid' } : {}),
              },
              el('th', { scope: 'row' }, row.precision),
              el('td', { class: 'stored-eps' }, String(row.storedEps)),
              el('td', { class: 'nan-count' }, String(row.nanCount)),
              el('td', { class: 'inf-count' }, String(row.infCount)),
              el(
                'td',
                { class: 'max-error' },
                Number.isNaN(row.maxError) ? 'NaN' : fmt(row.maxError),
              ),
            ),
          ),
        ),
      ),
    );
    const broken = rows.filter((row) => row.nanCount + row.infCount > 0);
    const underflow = rows.filter((row) => settings.eps > 0 && row.storedEps === 0);
    this.note.replaceChildren(
      ...(broken.length > 0 ? [icon('warning'), ' '] : []),
      [
        ...underflow.map((row) => `eps ${settings.eps} is stored as 0 in ${row.precision}.`),
        ...broken.map(
          (row) =>
            `${row.precision}: ${row.nanCount} NaN and ${row.infCount} ±Inf outputs (a zero variance plus an eps of ${row.storedEps}).`,
        ),
      ].join(' ') || 'Every format gives finite outputs.',
    );
  }
}

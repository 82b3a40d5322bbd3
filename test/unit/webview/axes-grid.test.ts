import assert from 'node:assert/strict';
import {
  CHAR_WIDTH,
  MIN_CELL,
  axesGrid,
  drawnCellShared,
  layoutGrid,
  sharedCount,
  type AxesGrid,
} from '../../../webview/axes-grid';
import { reductionOf } from '../../../webview/methods';
import { DEFAULT_SETTINGS, clampSettings, type PanelSettings } from '../../../webview/settings';

/** Cells sharing (row, column)'s statistic, counted by brute force from the tensor's definition. */
function bruteForce(settings: PanelSettings, row: number, column: number): number {
  // Which axes each method reduces, written out independently of the descriptors.
  const sequence = settings.layout === 'nld';
  const rows = sequence ? settings.length : settings.batch;
  const columns = sequence ? settings.features : settings.channels;
  const groupSize = settings.channels / settings.groups;
  const same = (r: number, c: number): boolean => {
    switch (settings.method) {
      case 'batchnorm':
        return c === column;
      case 'layernorm':
      case 'rmsnorm':
        return r === row;
      case 'instancenorm':
        return r === row && c === column;
      case 'groupnorm':
        return r === row && Math.floor(c / groupSize) === Math.floor(column / groupSize);
    }
  };
  let count = 0;
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < columns; c++) {
      count += same(r, c) ? 1 : 0;
    }
  }
  return count;
}

const settingsOf = (change: Partial<PanelSettings>): PanelSettings =>
  clampSettings({ ...DEFAULT_SETTINGS, ...change });
const gridOf = (settings: PanelSettings): AxesGrid => axesGrid(settings, reductionOf(settings));

describe('webview axes grid', () => {
  const image = { layout: 'nchw', batch: 4, channels: 12, height: 3, width: 5, groups: 3 } as const;
  const sequence = { layout: 'nld', batch: 3, length: 7, features: 10 } as const;
  const cases: readonly Partial<PanelSettings>[] = [
    { ...image, method: 'batchnorm' },
    { ...image, method: 'layernorm' },
    { ...image, method: 'instancenorm' },
    { ...image, method: 'groupnorm' },
    { ...image, method: 'rmsnorm' },
    { ...sequence, method: 'batchnorm' },
    { ...sequence, method: 'layernorm' },
    { ...sequence, method: 'rmsnorm' },
  ];
  for (const change of cases) {
    it(`counts the shared cells of ${change.method} on ${change.layout}`, () => {
      const settings = settingsOf(change);
      const grid = gridOf(settings);
      for (const [row, column] of [
        [0, 0],
        [2, 5],
        [1, 9],
      ] as const) {
        assert.equal(
          sharedCount(grid, { row, column }),
          bruteForce(settings, row, column),
          `cell (${row}, ${column})`,
        );
      }
    });
  }

  it('puts the sequence block as L × D with the samples as depth, shared only by BN', () => {
    const ln = gridOf(settingsOf({ ...sequence, method: 'layernorm' }));
    assert.deepEqual(
      [ln.rows, ln.columns, ln.depth],
      [
        { name: 'L', size: 7 },
        { name: 'D', size: 10 },
        { name: 'N', size: 3 },
      ],
    );
    assert.equal(ln.depthShared, false);
    assert.equal(gridOf(settingsOf({ ...sequence, method: 'batchnorm' })).depthShared, true);
    assert.equal(gridOf(settingsOf({ ...image, method: 'instancenorm' })).depthShared, true);
  });

  it('keeps GroupNorm and InstanceNorm off sequence tensors', () => {
    assert.equal(settingsOf({ ...sequence, method: 'groupnorm' }).method, 'layernorm');
    assert.equal(settingsOf({ ...sequence, method: 'instancenorm' }).method, 'layernorm');
  });

  it('lays the block out inside the available width, labels included', () => {
    for (const channels of [4, 64, 256]) {
      for (const width of [320, 480, 900]) {
        const grid = gridOf(settingsOf({ ...image, channels, height: 28, width: 28 }));
        const layout = layoutGrid(grid, width);
        const label = (text: string): number => text.length * CHAR_WIDTH;
        // The depth label starts right of the depth face and must end inside the SVG.
        const gridRight = layout.left + layout.drawnColumns * layout.cellWidth;
        assert.ok(gridRight + 26 + 6 + label(layout.labels.depth) <= layout.width);
        assert.ok(layout.width <= width, `C = ${channels} in ${width} px: ${layout.width} px`);
        assert.equal(layout.drawnColumns, Math.ceil(channels / layout.bin));
        assert.ok(layout.cellWidth >= MIN_CELL);
        assert.equal(layout.labels.depth, 'H·W = 784');
      }
    }
  });

  it('shares drawn cells between channels only when the width needs it', () => {
    const grid = gridOf(settingsOf({ ...image, channels: 256, method: 'batchnorm' }));
    assert.equal(layoutGrid(grid, 4000).bin, 1);
    const narrow = layoutGrid(grid, 480);
    assert.ok(narrow.bin > 1);
    assert.match(narrow.labels.columns, /^C = 256 \(\d+ per cell\)$/);
    // BN on channel 10: exactly the drawn column holding channel 10 is highlighted.
    const active = { row: 0, column: 10 };
    const shared = Array.from({ length: narrow.drawnColumns }, (_, j) =>
      drawnCellShared(grid, narrow, active, 0, j),
    );
    assert.deepEqual(
      shared.flatMap((on, j) => (on ? [j] : [])),
      [Math.floor(10 / narrow.bin)],
    );
  });
});

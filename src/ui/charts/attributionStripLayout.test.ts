import { describe, expect, it } from 'vitest';
import { attributionRows, readTimelineItems } from '../why/attributionRows';
import { testReport } from '../why/testReport';
import { attributionStripLayout } from './attributionStripLayout';
import { divergingColour } from './palette';
import { readSlots, timelineLayout } from './timelineLayout';

const report = testReport();
const items = readTimelineItems(report);
const rows = attributionRows(report.methods);

describe('attributionStripLayout', () => {
  const layout = attributionStripLayout(items, rows);

  it('one cell per read item and method, centred under the timeline marks', () => {
    expect(layout.cells).toHaveLength(4 * 6);
    const slots = readSlots(items, 760);
    const timeline = timelineLayout([
      { itemId: 'old', title: null, categories: [], time: null, position: 0, read: false },
      ...items.map((i) => ({ ...i, time: null })),
    ]);
    for (const cell of layout.cells) {
      const centre = cell.x + cell.width / 2;
      expect(centre).toBeCloseTo(slots.get(cell.position)?.x as number, 5);
      expect(centre).toBeCloseTo(
        timeline.marks.find((m) => m.position === cell.position)?.x as number,
        5,
      );
    }
  });

  it('scales each row by its own largest |value|, symmetric around 0', () => {
    const exact = layout.cells.filter((c) => c.method === 'exact');
    expect(exact.map((c) => c.value)).toEqual([0.3, -0.2, 0.5, 0.1, 0.8, 0]);
    expect(exact[4].fill).toBe(divergingColour(1));
    expect(exact[1].fill).toBe(divergingColour(-0.25));
    expect(exact[5].fill).toBe(divergingColour(0));
    expect(layout.rowLabels.map((r) => [r.method, r.scale, r.y])).toEqual([
      ['exact', 'score ±0.800', 6],
      ['attention', 'weight ±0.400', 32],
      ['occlusion', 'score ±0.600', 58],
      ['shap', 'score ±0.750', 84],
    ]);
  });

  it('puts a sign on strong, wide cells (colour is not the only channel)', () => {
    const exact = layout.cells.filter((c) => c.method === 'exact');
    expect(exact.map((c) => c.glyph)).toEqual(['+', '−', '+', '', '+', '']);
    expect(exact[4].glyphFill).toBe('#ffffff');
    expect(exact[1].tooltip).toBe('exact: −0.200 score for =HYPERLINK("http://x") (#5)');
  });

  it('shows a missing value as a neutral cell without a value', () => {
    const partial = [{ method: 'lime', unit: 'score', values: new Map([[4, 1]]) }];
    const cells = attributionStripLayout(items, partial).cells;
    expect(cells).toHaveLength(6);
    expect(cells[1].value).toBeNull();
    expect(cells[1].glyph).toBe('');
    expect(cells[1].tooltip).toBe('lime: no value for =HYPERLINK("http://x") (#5)');
  });

  it('leaves unread items out and states its content', () => {
    const withUnread = [{ ...items[0], position: 1, itemId: 'x', read: false }, ...items];
    expect(attributionStripLayout(withUnread, rows).cells).toEqual(layout.cells);
    expect(layout.description).toBe(
      'Attributions of 6 read history items by 4 methods (exact, attention, occlusion, shap), each row scaled to its own largest |value|; purple pushes the item up, orange pushes it down. Strongest per method: exact Dune (+0.800); attention Dune (+0.400); occlusion Dune (+0.600); shap Dune (+0.750).',
    );
    expect(layout.height).toBe(154);
  });

  it('no rows: empty', () => {
    const empty = attributionStripLayout(items, []);
    expect(empty.empty).toBe(true);
    expect(empty.cells).toEqual([]);
    expect(empty.description).toBe('No attributions yet.');
  });
});

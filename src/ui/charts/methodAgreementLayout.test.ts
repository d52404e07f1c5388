import { describe, expect, it } from 'vitest';
import { methodAgreement } from '../why/agreement';
import { testReport } from '../why/testReport';
import { formatCorrelation, methodAgreementLayout } from './methodAgreementLayout';
import { divergingColour } from './palette';

describe('methodAgreementLayout', () => {
  const report = testReport();
  const titles = new Map(report.history.map((h) => [h.item, h.title ?? h.item]));
  const layout = methodAgreementLayout(methodAgreement(report), (id) => titles.get(id) ?? id);

  it('an n x n grid of numbered, coloured cells', () => {
    expect(layout.cells).toHaveLength(16);
    const cell = layout.cells.find((c) => c.row === 'exact' && c.column === 'attention');
    // Label column: 8 + the widest name (occlusion, 56 px) + 8; headers 45° above the grid.
    expect(cell).toMatchObject({ text: '0.85', x: 112, y: 55, size: 38 });
    expect(cell?.fill).toBe(divergingColour(cell?.value as number));
    expect(layout.cells.filter((c) => c.row === c.column).every((c) => c.text === '1.00')).toBe(
      true,
    );
    expect(layout.rowLabels.map((l) => l.method)).toEqual([
      'exact',
      'attention',
      'occlusion',
      'shap',
    ]);
  });

  it('states the common top 3 by title and how to read the colours', () => {
    expect(layout.notes.map((n) => n.text)).toEqual([
      "In every method's top 3: Dune, Alien.",
      "Spearman's rank correlation: +1 (purple) the same",
      'order, −1 (orange) the reverse.',
    ]);
    expect(
      layout.description.startsWith('Rank correlation between 4 methods: exact–attention 0.85,'),
    ).toBe(true);
    expect(layout.description.endsWith("In every method's top 3: Dune, Alien.")).toBe(true);
  });

  it('one or no method: says there is nothing to compare', () => {
    const one = methodAgreementLayout(
      methodAgreement({ methods: { exact: report.methods.exact } }),
    );
    expect(one.cells).toHaveLength(1);
    expect(one.notes.map((n) => n.text)).toEqual(['Only exact ran: nothing to compare it with.']);
    const none = methodAgreementLayout(methodAgreement({ methods: {} }));
    expect(none.cells).toEqual([]);
    expect(none.description).toBe('No two methods ran: nothing to compare.');
  });
});

describe('formatCorrelation', () => {
  it('two decimals with a real minus, no negative zero', () => {
    expect(formatCorrelation(0.8451)).toBe('0.85');
    expect(formatCorrelation(-0.5)).toBe('−0.50');
    expect(formatCorrelation(-0.001)).toBe('0.00');
    expect(formatCorrelation(1)).toBe('1.00');
  });
});

import { describe, expect, it } from 'vitest';
import {
  attributionBarItems,
  attributionRows,
  okMethods,
  readTimelineItems,
} from './attributionRows';
import { testReport } from './testReport';

describe('report to chart inputs', () => {
  const report = testReport();

  it('okMethods keeps the methods that ran, in order', () => {
    expect(okMethods(report.methods).map((m) => m.method)).toEqual([
      'exact',
      'attention',
      'occlusion',
      'shap',
    ]);
  });

  it('readTimelineItems: the read history as timeline items with epoch times', () => {
    const items = readTimelineItems(report);
    expect(items).toHaveLength(6);
    expect(items[0]).toEqual({
      itemId: 'm1',
      title: 'Solaris',
      categories: ['Sci-Fi'],
      time: Date.UTC(2025, 1, 18, 12),
      position: 4,
      read: true,
    });
    expect(
      readTimelineItems({ history: [{ ...report.history[0], time: null }] })[0].time,
    ).toBeNull();
  });

  it('attributionRows: one row per method that ran, values by position', () => {
    const rows = attributionRows(report.methods);
    expect(rows.map((r) => [r.method, r.unit])).toEqual([
      ['exact', 'score'],
      ['attention', 'weight'],
      ['occlusion', 'score'],
      ['shap', 'score'],
    ]);
    expect(rows[0].values.get(5)).toBe(-0.2);
    expect([...rows[3].values.keys()]).toEqual([4, 5, 6, 7, 8, 9]);
  });

  it('attributionBarItems: a method with titles and categories; empty when it did not run', () => {
    const items = attributionBarItems(report, 'exact');
    expect(items[2]).toEqual({
      itemId: 'm3',
      title: 'Alien',
      categories: ['Sci-Fi', 'Horror'],
      position: 6,
      value: 0.5,
    });
    expect(attributionBarItems(report, 'ig')).toEqual([]);
    expect(attributionBarItems(report, 'lime')).toEqual([]);
  });
});

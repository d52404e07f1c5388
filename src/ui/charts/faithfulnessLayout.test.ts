import { describe, expect, it } from 'vitest';
import { testReport } from '../why/testReport';
import { faithfulnessLayout, faithfulnessMethods } from './faithfulnessLayout';

const { faithfulness } = testReport();

describe('faithfulnessMethods', () => {
  it('methods with curves, in order, random last', () => {
    expect(faithfulnessMethods(faithfulness)).toEqual(['exact', 'shap', 'random']);
    expect(faithfulnessMethods(faithfulness, ['shap', 'lime'])).toEqual(['shap', 'random']);
    expect(faithfulnessMethods({})).toEqual([]);
  });
});

describe('faithfulnessLayout', () => {
  const layout = faithfulnessLayout(faithfulness, { width: 640 });

  it('two panels side by side on one y scale, x from 0 to 100 %', () => {
    expect(layout.panels.map((p) => [p.kind, p.plot])).toEqual([
      ['deletion', { left: 48, right: 316, top: 24, bottom: 174 }],
      ['insertion', { left: 360, right: 628, top: 24, bottom: 174 }],
    ]);
    expect(layout.panels[0].xTicks.map((t) => t.label)).toEqual(['0%', '50%', '100%']);
    expect(layout.yTicks.map((t) => t.label)).toEqual(['−1', '0', '1', '2']);
  });

  it('one series per method, random grey and dashed without markers', () => {
    expect(layout.series.map((s) => [s.method, s.colour, s.dash, s.marker !== ''])).toEqual([
      ['exact', '#0072B2', '', true],
      ['shap', '#E69F00', '', true],
      ['random', '#6b7280', '5 4', false],
    ]);
    const exact = layout.series[0];
    expect(exact.deletionPoints).toHaveLength(11);
    expect(exact.deletionPoints[0]).toEqual({ fraction: 0, value: 2, x: 48, y: 24 });
    expect(exact.insertionPoints[10]).toEqual({ fraction: 1, value: 2, x: 628, y: 24 });
    expect(exact.deletionPath.startsWith('M48,24L74.8,')).toBe(true);
    expect(exact.deletionAuc).toBe(0.5);
  });

  it('AUCs in the legend and the description; POS@K rows per method', () => {
    expect(layout.legend.map((e) => e.label)).toEqual([
      'exact: deletion AUC 0.500, insertion AUC 1.40',
      'shap: deletion AUC 0.550, insertion AUC 1.35',
      'random: deletion AUC 1.20, insertion AUC 0.900',
    ]);
    expect(layout.posK).toEqual(['5', '10', '20']);
    expect(layout.posRows.map((r) => [r.method, r.deletion['10'], r.insertion['20']])).toEqual([
      ['exact', 0.5, 1],
      ['shap', 0.5, 1],
      ['random', 0.5, 1],
    ]);
    expect(layout.description).toBe(
      'Faithfulness of 2 method orders against random: exact deletion AUC 0.500, insertion AUC 1.40; shap deletion AUC 0.550, insertion AUC 1.35; random deletion AUC 1.20, insertion AUC 0.900. Lower deletion and higher insertion areas than random mean a more faithful order.',
    );
  });

  it('no curves: empty', () => {
    const empty = faithfulnessLayout({}, { width: 640 });
    expect(empty.empty).toBe(true);
    expect(empty.series).toEqual([]);
    expect(empty.description).toBe('No faithfulness curves.');
  });
});

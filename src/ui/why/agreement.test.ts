import { describe, expect, it } from 'vitest';
import type { ExplanationReport } from '../../core/explain/report';
import { methodAgreement, top3 } from './agreement';
import { testReport } from './testReport';

const round = (rows: number[][]) => rows.map((r) => r.map((v) => Math.round(v * 1000) / 1000));

describe('methodAgreement', () => {
  it('correlates every ok method with at least 2 items, and finds the common top 3', () => {
    const agreement = methodAgreement(testReport());
    expect(agreement.methods).toEqual(['exact', 'attention', 'occlusion', 'shap']);
    const m = round(agreement.spearman);
    expect(m.map((r, i) => r[i])).toEqual([1, 1, 1, 1]);
    // Symmetric.
    for (let i = 0; i < 4; i++) for (let j = 0; j < 4; j++) expect(m[i][j]).toBe(m[j][i]);
    // exact and shap order the six items the same way.
    expect(m[0][3]).toBe(1);
    // attention has ties (0.1 four times): average ranks.
    expect(m[0][1]).toBe(0.845);
    // Every method puts m5 (Dune) and m3 (Alien) in its top 3.
    expect(agreement.commonTop3).toEqual(['m5', 'm3']);
    expect(agreement.commonTop3Positions).toEqual([8, 6]);
  });

  it('leaves out unavailable methods and methods with fewer than 2 items', () => {
    const report = testReport();
    const one: ExplanationReport['methods'] = {
      ...report.methods,
      shap: {
        method: 'shap',
        status: 'ok',
        unit: 'score',
        attributions: [{ item: 'm1', position: 4, value: 1 }],
        evaluations: 1,
        ms: 0,
        estimator: 'exact',
        stderr: 0,
        stderrPerItem: [0],
        permutations: 0,
        samples: 0,
        efficiencyGap: 0,
      },
    };
    expect(methodAgreement({ methods: one }).methods).toEqual(['exact', 'attention', 'occlusion']);
    expect(methodAgreement({ methods: {} })).toEqual({
      methods: [],
      spearman: [],
      commonTop3: [],
      commonTop3Positions: [],
    });
  });

  it('names a repeated item once in the common top 3', () => {
    const attributions = [
      { item: 'a', position: 0, value: 3 },
      { item: 'a', position: 1, value: 2 },
      { item: 'b', position: 2, value: 1 },
    ];
    const method = { status: 'ok', unit: 'score', attributions, evaluations: 1, ms: 0 } as const;
    const agreement = methodAgreement({
      methods: {
        exact: { ...method, method: 'exact' },
        occlusion: { ...method, method: 'occlusion' },
      },
    });
    expect(agreement.commonTop3).toEqual(['a', 'b']);
    expect(agreement.commonTop3Positions).toEqual([0, 1, 2]);
    expect(agreement.spearman).toEqual([
      [1, 1],
      [1, 1],
    ]);
  });
});

describe('top3', () => {
  it('takes the largest values first, ties to the more recent item', () => {
    const list = [
      { item: 'a', position: 0, value: 1 },
      { item: 'b', position: 1, value: 1 },
      { item: 'c', position: 2, value: 5 },
      { item: 'd', position: 3, value: -9 },
    ];
    expect(top3(list).map((a) => a.item)).toEqual(['c', 'b', 'a']);
  });
});

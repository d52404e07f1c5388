import { describe, expect, it } from 'vitest';
import type { ExplanationReport } from '../../core/explain/report';
import { explanationSummary, listNames, recencyPhrase, summaryMethod } from './explanationSummary';
import { HISTORY, testReport } from './testReport';

describe('explanationSummary', () => {
  it('tells the category, the time window, what pulls it down and the counterfactual', () => {
    expect(explanationSummary(testReport())).toBe(
      '“Interstellar” is at rank 3 in weighted\'s recommendations. Recommended mostly because of your Sci-Fi: 3 of the 5 most influential items (by shap) are Sci-Fi, all in the last month of your history. By time, items from 1–7 days before your latest interaction push it up the most (+1.35 of +1.40 in all). “=HYPERLINK("http://x")” pulls it down the most (−0.250). Without “Alien” and “Dune”, “Interstellar” would fall from rank 3 to rank 41.',
    );
  });

  it('speaks for the chosen method, and says when it is unavailable', () => {
    expect(explanationSummary(testReport(), 'exact')).toContain(
      '3 of the 4 most influential items (by exact) are Sci-Fi',
    );
    const ig = explanationSummary(testReport(), 'ig');
    expect(ig).toContain(
      'ig is not available here (weighted has no history embeddings to integrate gradients over); using shap.',
    );
  });

  it('says that weights are not score shares', () => {
    const text = explanationSummary(testReport(), 'attention');
    expect(text).toContain('Its attention values are weights: what the model looked at');
    expect(text).toContain('your recent Sci-Fi: 2 of the 5 most influential items (by attention)');
    expect(text).not.toContain('pulls it down');
  });

  it('pop: the score does not depend on the history', () => {
    const text = explanationSummary(testReport({ historyIndependent: true, model: 'pop' }));
    expect(text).toBe(
      "“Interstellar” is at rank 3 in pop's recommendations. pop's score does not depend on your history (it ranks items the same way for everyone), so no item in your history pushed it up or down.",
    );
  });

  it('no history: nothing to explain', () => {
    expect(explanationSummary(testReport({ history: [], read: 0 }))).toContain(
      'The model reads no items of this history, so nothing in it can explain the recommendation.',
    );
  });

  it('margin target: says what is explained', () => {
    const text = explanationSummary(
      testReport({ target: { kind: 'margin', competitor: 'm42', k: 10, value: 1, empty: 0 } }),
    );
    expect(text).toContain(
      'This explains its lead over the item ranked 11 (“m42”), which decides whether it stays in the top 10, not its raw score.',
    );
  });

  it('no method ran: gives the reason, keeps the counterfactual', () => {
    const report = testReport();
    const text = explanationSummary(testReport({ methods: { ig: report.methods.ig } }));
    expect(text).toContain(
      'No attribution method could explain it: weighted has no history embeddings to integrate gradients over.',
    );
    expect(text).toContain('would fall from rank 3 to rank 41');
    expect(explanationSummary(testReport({ methods: {}, counterfactual: null }))).toBe(
      "“Interstellar” is at rank 3 in weighted's recommendations. No attribution method has finished yet.",
    );
  });

  it('no categories: names the top item; no counterfactual found: says so', () => {
    const history = HISTORY.map((h) => ({ ...h, categories: [] }));
    const report = testReport({
      history,
      rollups: { category: {}, window: {} },
      counterfactual: {
        ...(testReport().counterfactual as NonNullable<ExplanationReport['counterfactual']>),
        status: 'none',
        removed: [],
        removedPositions: [],
        newRank: null,
      },
    });
    const text = explanationSummary(report);
    expect(text).toContain(
      'Recommended mostly because of “Dune”, the most influential item in your history (by shap); the 5 most influential items are all in the last month of your history.',
    );
    expect(text).toContain(
      'No small set of history items was found whose removal pushes “Interstellar” out of the top 10.',
    );
    const withReason = testReport({
      counterfactual: {
        ...(report.counterfactual as NonNullable<ExplanationReport['counterfactual']>),
        reason: 'Removing up to 10 of the most influential items (by shap) keeps it in the top 10.',
      },
    });
    expect(
      explanationSummary(withReason).endsWith(
        'Removing up to 10 of the most influential items (by shap) keeps it in the top 10.',
      ),
    ).toBe(true);
  });

  it('nothing pushes it up', () => {
    const report = testReport();
    const shap = report.methods.shap as Extract<typeof report.methods.shap, { status: 'ok' }>;
    const negative = {
      ...shap,
      attributions: shap.attributions.map((a) => ({ ...a, value: -Math.abs(a.value) })),
    };
    expect(explanationSummary(testReport({ methods: { shap: negative } }))).toContain(
      'According to shap, no item in your history pushes it up.',
    );
  });
});

describe('summaryMethod', () => {
  it('prefers shap, then exact, occlusion…; falls back to any method that ran', () => {
    const report = testReport();
    expect(summaryMethod(report)?.method).toBe('shap');
    expect(summaryMethod(report, 'occlusion')?.method).toBe('occlusion');
    expect(summaryMethod({ methods: { attention: report.methods.attention } })?.method).toBe(
      'attention',
    );
    expect(summaryMethod({ methods: { ig: report.methods.ig } })).toBeNull();
  });
});

describe('listNames', () => {
  it('joins names, counts repeats, caps the list', () => {
    expect(listNames(['A'])).toBe('“A”');
    expect(listNames(['A', 'B'])).toBe('“A” and “B”');
    expect(listNames(['A', 'B', 'C'])).toBe('“A”, “B” and “C”');
    expect(listNames(['A', 'A', 'A'])).toBe('“A” (3 interactions)');
    expect(listNames(['A', 'B', 'C', 'D', 'E'])).toBe('“A”, “B”, “C” and 2 more items');
  });
});

describe('recencyPhrase', () => {
  it('measures from the latest read interaction', () => {
    expect(recencyPhrase([HISTORY[5]], HISTORY)).toEqual({
      phrase: 'in the last day of your history',
      recent: true,
    });
    expect(recencyPhrase(HISTORY.slice(2), HISTORY)).toEqual({
      phrase: 'all in the last week of your history',
      recent: true,
    });
    expect(recencyPhrase(HISTORY, HISTORY).phrase).toBe('all in the last month of your history');
  });

  it('counts recency ranks when there are no times', () => {
    const untimed = HISTORY.map((h) => ({ ...h, time: null }));
    expect(recencyPhrase(untimed.slice(3), untimed)).toEqual({
      phrase: 'all among your 5 most recent interactions',
      recent: true,
    });
    expect(recencyPhrase(untimed, untimed).phrase).toBe(
      'all among your 20 most recent interactions',
    );
  });
});

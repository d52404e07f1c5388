/**
 * The comparison's two tables: one row per model (accuracy with 95 % intervals, beyond
 * accuracy, cost) and one row per pair (paired difference and tests, list overlap, explanation
 * agreement), each row carrying its figures as data attributes for tests and scripts.
 */

import { COMPARE_TOP_K } from '../../core/compare/profile';
import type { ComparisonReport } from '../../worker/api';
import { metric, pairVerdict, pValueText, sizeText, withInterval } from './compareText';

interface ModelTableProps {
  report: ComparisonReport;
  colourOf: (key: string) => string;
}

/** The models side by side. */
export function ModelTable({ report, colourOf }: ModelTableProps) {
  return (
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a region that scrolls sideways must be reachable by keyboard (axe scrollable-region-focusable).
    <section className="table-scroll" aria-label="Models side by side" tabIndex={0}>
      <table className="compare-table" data-testid="compare-models-table">
        <caption className="visually-hidden">
          Accuracy of each model with 95 % bootstrap intervals over {report.users} users, and
          figures beyond accuracy.
        </caption>
        <thead>
          <tr>
            <th scope="col">Model</th>
            <th scope="col">NDCG@10 [95 % CI]</th>
            <th scope="col">HR@10 [95 % CI]</th>
            <th scope="col">MRR [95 % CI]</th>
            <th scope="col">Recall@20 [95 % CI]</th>
            <th scope="col" title="Distinct items in the top-10 lists over the catalogue">
              Coverage@10
            </th>
            <th scope="col" title="Inequality of how often items are recommended (0 = even)">
              Gini@10
            </th>
            <th scope="col" title="Share of recommendations outside the 20 % most popular items">
              Long tail
            </th>
            <th scope="col" title="Mean pairwise category dissimilarity within a list">
              Diversity
            </th>
            <th scope="col" title="Mean self-information of recommended items, in bits">
              Novelty
            </th>
            <th scope="col">Train s</th>
            <th scope="col">Size</th>
            <th scope="col" title="Scoring time per user (the whole catalogue)">
              ms / user
            </th>
          </tr>
        </thead>
        <tbody>
          {report.models.map((m) => (
            <tr
              key={m.key}
              data-testid="compare-row"
              data-model={m.key}
              data-ndcg10={m.metrics.ndcg10}
              data-ndcg10-lo={m.ci.ndcg10.lo}
              data-ndcg10-hi={m.ci.ndcg10.hi}
              data-hr10={m.metrics.hr10}
              data-coverage10={m.beyond.coverage10}
              data-gini={m.beyond.gini10}
            >
              <th scope="row">
                <span className="swatch" style={{ background: colourOf(m.key) }} aria-hidden />
                {m.key}
              </th>
              <td>{withInterval(m.metrics.ndcg10, m.ci.ndcg10.lo, m.ci.ndcg10.hi)}</td>
              <td>{withInterval(m.metrics.hr10, m.ci.hr10.lo, m.ci.hr10.hi)}</td>
              <td>{withInterval(m.metrics.mrr, m.ci.mrr.lo, m.ci.mrr.hi)}</td>
              <td>{withInterval(m.metrics.recall20, m.ci.recall20.lo, m.ci.recall20.hi)}</td>
              <td>{metric(m.beyond.coverage10)}</td>
              <td>{metric(m.beyond.gini10)}</td>
              <td>{metric(m.beyond.longTail10)}</td>
              <td>{metric(m.beyond.diversity10)}</td>
              <td>{Number.isFinite(m.beyond.novelty10) ? m.beyond.novelty10.toFixed(2) : '–'}</td>
              <td>{m.trainSeconds === null ? '–' : m.trainSeconds.toFixed(1)}</td>
              <td>{sizeText(m.sizeBytes)}</td>
              <td>{m.latencyMsPerUser.toFixed(2)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

interface PairTableProps {
  report: ComparisonReport;
  /** Occlusion agreement per pair once the explanation sample ran (else the report's nulls). */
  agreementOf: (a: string, b: string) => number | null;
  onShowPair: (a: string, b: string) => void;
  shownPair: [string, string];
}

/** Every pair of models: the paired difference, its tests, list overlap and agreement. */
export function PairTable({ report, agreementOf, onShowPair, shownPair }: PairTableProps) {
  return (
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a region that scrolls sideways must be reachable by keyboard (axe scrollable-region-focusable).
    <section className="table-scroll" aria-label="Pairs of models" tabIndex={0}>
      <table className="compare-table" data-testid="compare-pairs-table">
        <caption className="visually-hidden">
          Each pair of models: NDCG@10 difference with a paired bootstrap interval and tests, how
          much their top-{COMPARE_TOP_K} lists overlap, and how alike they explain.
        </caption>
        <thead>
          <tr>
            <th scope="col">Pair</th>
            <th scope="col">ΔNDCG@10 [95 % CI]</th>
            <th scope="col" title="Paired bootstrap, two-sided">
              p (bootstrap)
            </th>
            <th scope="col" title="Wilcoxon signed-rank over users whose NDCG@10 differs">
              p (Wilcoxon)
            </th>
            <th scope="col">Jaccard@10</th>
            <th scope="col" title="Rank-biased overlap, p = 0.9">
              RBO
            </th>
            <th scope="col" title="Mean Spearman ρ of occlusion attributions (explanation sample)">
              ρ explanations
            </th>
            <th scope="col">
              <span className="visually-hidden">Scatter</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {report.pairwise.map((p) => {
            const rho = agreementOf(p.a, p.b);
            const shown = shownPair[0] === p.a && shownPair[1] === p.b;
            return (
              <tr
                key={`${p.a}|${p.b}`}
                data-testid="compare-pair"
                data-a={p.a}
                data-b={p.b}
                data-delta-ndcg10={p.deltaNdcg10}
                data-p-value={p.pValue}
                data-wilcoxon-p={p.wilcoxonP}
                data-jaccard10={p.jaccard10}
                data-rbo={p.rbo}
                data-attribution-rho={rho ?? ''}
                title={pairVerdict(p)}
              >
                <th scope="row">
                  {p.a} − {p.b}
                </th>
                <td>{withInterval(p.deltaNdcg10, p.deltaCi.lo, p.deltaCi.hi)}</td>
                <td>{pValueText(p.pValue)}</td>
                <td>{pValueText(p.wilcoxonP)}</td>
                <td>{metric(p.jaccard10)}</td>
                <td>{metric(p.rbo)}</td>
                <td>{rho === null ? 'not run' : metric(rho)}</td>
                <td>
                  <button type="button" aria-pressed={shown} onClick={() => onShowPair(p.a, p.b)}>
                    Per user
                    <span className="visually-hidden">
                      : {p.a} against {p.b}
                    </span>
                  </button>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <ul className="pair-verdicts">
        {report.pairwise.map((p) => (
          <li key={`${p.a}|${p.b}`}>{pairVerdict(p)}</li>
        ))}
      </ul>
    </section>
  );
}

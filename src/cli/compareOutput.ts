/**
 * `lens compare` as text: one table of the models (metrics with their 95 % intervals, beyond
 * accuracy, cost), one of the pairs (paired difference and tests, list overlap, explanation
 * agreement), and the agreement per method. Reads the object `--json` prints.
 */
import type { ComparisonExport } from '../core/compare/export';
import { num } from './explainOutput';
import { count, table } from './output';

const withCi = (v: number, ci: { lo: number; hi: number }) =>
  `${num(v)} [${num(ci.lo)}, ${num(ci.hi)}]`;
const maybe = (v: number | null, format: (x: number) => string = num) =>
  v === null || Number.isNaN(v) ? '-' : format(v);
const pValue = (p: number) => (p < 0.001 ? '<0.001' : p.toFixed(3));
const bytes = (b: number) =>
  b >= 1024 * 1024 ? `${(b / 1024 / 1024).toFixed(1)} MB` : `${(b / 1024).toFixed(1)} KB`;

export function formatCompare(data: ComparisonExport): string {
  const out: string[] = [];
  out.push(
    `Cohort ${data.cohort}: ${count(data.users)} of ${count(data.usersTotal)} test users. ${data.definition}`,
  );
  out.push(
    `Intervals: 95 % percentile bootstrap over users (${count(data.resamples)} resamples, seed ${data.seed}).`,
  );
  out.push('');
  out.push(
    table([
      ['model', 'NDCG@10 [95 % CI]', 'HR@10 [95 % CI]', 'MRR', 'Recall@20'],
      ...data.models.map((m) => [
        m.key,
        withCi(m.metrics.ndcg10, m.ci.ndcg10),
        withCi(m.metrics.hr10, m.ci.hr10),
        num(m.metrics.mrr),
        num(m.metrics.recall20),
      ]),
    ]),
  );
  out.push('');
  out.push(
    table([
      [
        'model',
        'coverage@10',
        'Gini@10',
        'long tail@10',
        'diversity@10',
        'novelty (bits)',
        'size',
        'ms/user',
      ],
      ...data.models.map((m) => [
        m.key,
        num(m.beyond.coverage10),
        num(m.beyond.gini10),
        num(m.beyond.longTail10),
        maybe(m.beyond.diversity10),
        m.beyond.novelty10.toFixed(2),
        maybe(m.sizeBytes, bytes),
        m.latencyMsPerUser.toFixed(2),
      ]),
    ]),
  );
  out.push('');
  out.push(
    table([
      [
        'pair',
        'ΔNDCG@10 [95 % CI]',
        'p (bootstrap)',
        'p (Wilcoxon)',
        'Jaccard@10',
        'RBO',
        'ρ occlusion',
      ],
      ...data.pairwise.map((p) => [
        `${p.a} - ${p.b}`,
        withCi(p.deltaNdcg10, p.deltaCi),
        pValue(p.pValue),
        pValue(p.wilcoxonP),
        num(p.jaccard10),
        num(p.rbo),
        maybe(p.attributionAgreement),
      ]),
    ]),
  );
  const agreement = data.agreement;
  if (agreement) {
    out.push('');
    out.push(
      `Explanation agreement over ${count(agreement.users)} sampled users (seed ${agreement.seed}): ` +
        'Spearman ρ of two models’ attributions of the same test item, per method.',
    );
    out.push(
      table([
        ['pair', 'method', 'ρ', 'users'],
        ...agreement.pairs
          .filter((p) => p.users > 0)
          .map((p) => [`${p.a} - ${p.b}`, p.method, maybe(p.rho), String(p.users)]),
      ]),
    );
    out.push('');
    out.push('Faithfulness: deletion AUC scaled to 1 = full history, 0 = empty (lower is better).');
    out.push(
      table([
        ['model', 'method', 'deletion AUC', 'random order', 'users'],
        ...agreement.faithfulness
          .filter((f) => f.users > 0)
          .map((f) => [
            f.model,
            f.method,
            maybe(f.deletionAuc),
            maybe(f.randomDeletionAuc),
            String(f.users),
          ]),
      ]),
    );
  }
  return `${out.join('\n')}\n`;
}

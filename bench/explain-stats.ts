/**
 * What the explanation benchmark keeps of one explanation, and the medians it reports. Plain
 * TypeScript with no Node imports: the benchmark page (bench/explain-page) slims the worker's
 * report with the same function, so Node and Chromium runs are summarised identically.
 */

/** The fields of an explanation (the engine's, or the worker's report) the benchmark reads. */
interface ExplanationLike {
  score: number;
  rank: number;
  read: number;
  unread: number;
  target: { value: number; empty: number };
  methods: Partial<Record<string, MethodLike>>;
  counterfactual: {
    status: string;
    removed: unknown[];
    newRank: number | null;
    candidatesScored: number;
  } | null;
  evaluations: number;
  latencyMs: Partial<Record<string, number>>;
}

interface MethodLike {
  status: 'ok' | 'unavailable';
  ms: number;
  reason?: string;
  evaluations?: number;
  attributions?: { value: number }[];
  steps?: number;
  completenessGap?: number;
  converged?: boolean;
  r2?: number;
  seedSpread?: number;
  seedRankAgreement?: number;
  samplesPerSeed?: number[];
  estimator?: string;
  stderr?: number;
  efficiencyGap?: number;
  samples?: number;
  permutations?: number;
}

/** Methods whose attribution values are kept (for agreement with occlusion). */
const KEEP_VALUES = new Set(['ig', 'lime', 'occlusion', 'shap']);

/** A method's result as kept in the results file: its diagnostics, values instead of attributions. */
export type SlimMethod = Omit<MethodLike, 'attributions'> & { values?: number[] };

export interface SlimExplanation {
  score: number;
  rank: number;
  read: number;
  unread: number;
  target: { value: number; empty: number };
  methods: Record<string, SlimMethod>;
  counterfactual: {
    status: string;
    removed: number;
    newRank: number | null;
    candidatesScored: number;
  } | null;
  evaluations: number;
  latencyMs: Record<string, number>;
}

/** One timed explanation call. */
export interface CallMeasure {
  /** Caller's wall time from the call to the resolved result. */
  wallMs: number;
  /** From the call to the first attribution method that produced a result (attention or gradients). */
  firstResultMs: number | null;
  firstMethod: string | null;
  explanation: SlimExplanation;
}

/** Drops attributions (but the values of ig/lime/occlusion/shap), history, curves, roll-ups. */
export function slimExplanation(e: ExplanationLike): SlimExplanation {
  const methods: Record<string, SlimMethod> = {};
  for (const [name, m] of Object.entries(e.methods)) {
    if (!m) continue;
    const { attributions, ...rest } = m as MethodLike & { rollout?: unknown; unit?: unknown };
    const slim: SlimMethod & { rollout?: unknown; unit?: unknown; method?: unknown } = { ...rest };
    delete slim.rollout;
    delete slim.unit;
    delete slim.method;
    delete (slim as { stderrPerItem?: unknown }).stderrPerItem;
    delete (slim as { note?: unknown }).note;
    if (attributions && KEEP_VALUES.has(name)) slim.values = attributions.map((a) => a.value);
    methods[name] = slim;
  }
  const latencyMs: Record<string, number> = {};
  for (const [k, v] of Object.entries(e.latencyMs)) if (typeof v === 'number') latencyMs[k] = v;
  const cf = e.counterfactual;
  return {
    score: e.score,
    rank: e.rank,
    read: e.read,
    unread: e.unread,
    target: { value: e.target.value, empty: e.target.empty },
    methods,
    counterfactual: cf
      ? {
          status: cf.status,
          removed: cf.removed.length,
          newRank: cf.newRank,
          candidatesScored: cf.candidatesScored,
        }
      : null,
    evaluations: e.evaluations,
    latencyMs,
  };
}

export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

export function quantile(values: readonly number[], q: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const at = (sorted.length - 1) * q;
  const lo = Math.floor(at);
  const hi = Math.ceil(at);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (at - lo);
}

const r = (v: number | null, digits = 1) =>
  v === null || !Number.isFinite(v) ? null : Math.round(v * 10 ** digits) / 10 ** digits;

/** Median and 90th percentile of a list of milliseconds. */
export interface MsStat {
  median: number | null;
  p90: number | null;
  n: number;
}

export function msStat(values: readonly number[]): MsStat {
  return { median: r(median(values)), p90: r(quantile(values, 0.9)), n: values.length };
}

function ranks(values: readonly number[]): number[] {
  const order = values.map((v, i) => [v, i] as const).sort((a, b) => a[0] - b[0]);
  const out = new Array<number>(values.length);
  for (let k = 0; k < order.length; ) {
    let end = k;
    while (end + 1 < order.length && order[end + 1][0] === order[k][0]) end++;
    for (let j = k; j <= end; j++) out[order[j][1]] = (k + end) / 2;
    k = end + 1;
  }
  return out;
}

/** Spearman rank correlation (ties get mean ranks); null when either side is constant. */
export function spearman(a: readonly number[], b: readonly number[]): number | null {
  if (a.length !== b.length || a.length < 2) return null;
  const ra = ranks(a);
  const rb = ranks(b);
  const mean = (ra.length - 1) / 2;
  let num = 0;
  let da = 0;
  let db = 0;
  for (let i = 0; i < ra.length; i++) {
    num += (ra[i] - mean) * (rb[i] - mean);
    da += (ra[i] - mean) ** 2;
    db += (rb[i] - mean) ** 2;
  }
  return da > 0 && db > 0 ? num / Math.sqrt(da * db) : null;
}

const argmax = (v: readonly number[]) => v.reduce((best, x, i) => (x > v[best] ? i : best), 0);

/** Per-method latency of the `all` call (the engine's own timings), with the call's totals. */
export interface AllSummary {
  wallMs: MsStat;
  engineTotalMs: MsStat;
  firstResultMs: MsStat;
  /** Which method produced the first result, and how often. */
  firstMethod: Record<string, number>;
  methodMs: Record<string, MsStat>;
  evaluations: { median: number | null; max: number | null };
  /** Share of users whose whole `all` call (wall) was under the 300 ms. */
  shareUnder300Ms: number;
  shareFirstUnder50Ms: number | null;
}

export function summariseAll(runs: readonly CallMeasure[]): AllSummary {
  const methodNames = new Set<string>();
  for (const run of runs)
    for (const k of Object.keys(run.explanation.latencyMs)) methodNames.add(k);
  methodNames.delete('total');
  const methodMs: Record<string, MsStat> = {};
  for (const name of methodNames) {
    const values = runs
      .map((run) => {
        const m = run.explanation.methods[name];
        if (m && m.status !== 'ok') return null;
        return run.explanation.latencyMs[name] ?? null;
      })
      .filter((v): v is number => v !== null);
    if (values.length > 0) methodMs[name] = msStat(values);
  }
  const firstMethod: Record<string, number> = {};
  for (const run of runs) {
    const key = run.firstMethod ?? 'none';
    firstMethod[key] = (firstMethod[key] ?? 0) + 1;
  }
  const firsts = runs.map((x) => x.firstResultMs).filter((v): v is number => v !== null);
  const evaluations = runs.map((x) => x.explanation.evaluations);
  return {
    wallMs: msStat(runs.map((x) => x.wallMs)),
    engineTotalMs: msStat(runs.map((x) => x.explanation.latencyMs.total ?? Number.NaN)),
    firstResultMs: msStat(firsts),
    firstMethod,
    methodMs,
    evaluations: {
      median: median(evaluations),
      max: evaluations.length ? Math.max(...evaluations) : null,
    },
    shareUnder300Ms:
      r(runs.filter((x) => x.wallMs < 300).length / Math.max(1, runs.length), 3) ?? 0,
    shareFirstUnder50Ms: firsts.length
      ? r(firsts.filter((v) => v < 50).length / firsts.length, 3)
      : null,
  };
}

/** The diagnostics that matter, over the users of one (dataset, history, environment). */
export interface Diagnostics {
  ig: {
    completenessGapMedian: number | null;
    completenessGapMax: number | null;
    stepsUsed: Record<string, number>;
    convergedShare: number | null;
  } | null;
  lime: {
    r2Median: number | null;
    r2Min: number | null;
    seedSpreadMedian: number | null;
    seedRankAgreementMedian: number | null;
    samplesPerSeedMedian: number | null;
    samplesPerSeedMax: number | null;
  } | null;
  shap: {
    estimators: Record<string, number>;
    /** Largest per-item standard error, absolute, and relative to |f(x) − f(∅)|. */
    stderrMedian: number | null;
    relativeStderrMedian: number | null;
    efficiencyGapMax: number | null;
    samplesMedian: number | null;
  } | null;
  counterfactual: {
    foundShare: number | null;
    removedMedian: number | null;
    candidatesScoredMedian: number | null;
  } | null;
  /** Median Spearman with occlusion, and top-1 agreement with occlusion, as the reference reports. */
  agreementWithOcclusion: Record<
    string,
    { spearmanMedian: number | null; top1Share: number | null }
  >;
}

const okMethod = (run: CallMeasure, name: string): SlimMethod | null => {
  const m = run.explanation.methods[name];
  return m && m.status === 'ok' ? m : null;
};

const count = (values: readonly string[]) => {
  const out: Record<string, number> = {};
  for (const v of values) out[v] = (out[v] ?? 0) + 1;
  return out;
};

const present = <T>(values: readonly (T | null | undefined)[]): T[] =>
  values.filter((v): v is T => v !== null && v !== undefined);

export function diagnostics(runs: readonly CallMeasure[]): Diagnostics {
  const ig = present(runs.map((x) => okMethod(x, 'ig')));
  const lime = present(runs.map((x) => okMethod(x, 'lime')));
  const shapRuns = runs.filter((x) => okMethod(x, 'shap'));
  const cfs = present(runs.map((x) => x.explanation.counterfactual)).filter(
    (c) => c.status !== 'unavailable',
  );
  const agreement: Diagnostics['agreementWithOcclusion'] = {};
  for (const name of ['ig', 'lime', 'shap']) {
    const pairs = present(
      runs.map((x) => {
        const a = okMethod(x, name)?.values;
        const o = okMethod(x, 'occlusion')?.values;
        return a && o && a.length === o.length ? ([a, o] as const) : null;
      }),
    );
    if (pairs.length === 0) continue;
    agreement[name] = {
      spearmanMedian: r(median(present(pairs.map(([a, o]) => spearman(a, o)))), 3),
      top1Share: r(pairs.filter(([a, o]) => argmax(a) === argmax(o)).length / pairs.length, 3),
    };
  }
  const gaps = present(ig.map((m) => m.completenessGap));
  const samples = lime.flatMap((m) => m.samplesPerSeed ?? []);
  return {
    ig: ig.length
      ? {
          completenessGapMedian: r(median(gaps), 5),
          completenessGapMax: gaps.length ? r(Math.max(...gaps), 5) : null,
          stepsUsed: count(ig.map((m) => String(m.steps))),
          convergedShare: r(ig.filter((m) => m.converged).length / ig.length, 3),
        }
      : null,
    lime: lime.length
      ? {
          r2Median: r(median(present(lime.map((m) => m.r2))), 4),
          r2Min: r(Math.min(...present(lime.map((m) => m.r2))), 4),
          seedSpreadMedian: r(median(present(lime.map((m) => m.seedSpread))), 4),
          seedRankAgreementMedian: r(median(present(lime.map((m) => m.seedRankAgreement))), 4),
          samplesPerSeedMedian: median(samples),
          samplesPerSeedMax: samples.length ? Math.max(...samples) : null,
        }
      : null,
    shap: shapRuns.length
      ? {
          estimators: count(shapRuns.map((x) => okMethod(x, 'shap')?.estimator ?? '?')),
          stderrMedian: r(median(present(shapRuns.map((x) => okMethod(x, 'shap')?.stderr))), 6),
          relativeStderrMedian: r(
            median(
              present(
                shapRuns.map((x) => {
                  const s = okMethod(x, 'shap')?.stderr;
                  const span = Math.abs(x.explanation.target.value - x.explanation.target.empty);
                  return s === undefined || span === 0 ? null : s / span;
                }),
              ),
            ),
            5,
          ),
          efficiencyGapMax: r(
            Math.max(...present(shapRuns.map((x) => okMethod(x, 'shap')?.efficiencyGap))),
            6,
          ),
          samplesMedian: median(present(shapRuns.map((x) => okMethod(x, 'shap')?.samples))),
        }
      : null,
    counterfactual: cfs.length
      ? {
          foundShare: r(cfs.filter((c) => c.status === 'found').length / cfs.length, 3),
          removedMedian: median(cfs.filter((c) => c.status === 'found').map((c) => c.removed)),
          candidatesScoredMedian: median(cfs.map((c) => c.candidatesScored)),
        }
      : null,
    agreementWithOcclusion: agreement,
  };
}

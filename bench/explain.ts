/**
 * `npm run bench -- explain`: how long "why this item?" takes, for one user-item at history 50
 * and 200, in Node (wasm) and in the page's worker in headless Chromium (wasm), next to the
 * PyTorch reference of the same pipeline run in the same benchmark run on the same machine.
 *
 * Subjects (each a model per history length: maxLen 50 for history 50, maxLen 200 for 200):
 * - `ml-100k`: sasrec with the product's defaults (1 block), trained through `trainVariant`
 *   under a time limit, or `--model50 DIR --model200 DIR`. Node and Chromium. The issue's
 *   target is judged on it.
 * - `ml-100k-2blocks`: sasrec with 2 blocks, the reference's size (`--ref-size-model50/200`,
 *   else trained). Node only unless `--ref-size-browser`; `--no-ref-size` skips it.
 * - `sample`: the bundled sample; history 50 with its shipped model (public/sample-model,
 *   copied at the start; a small sasrec is trained when it is absent), history 200 with a small
 *   sasrec of maxLen 200 trained here unless the shipped model reads 200 items.
 * Users: for ml-100k the reference's (users with at least 200 interactions before their test
 * item), so both explain the same user-items; for the sample a seeded choice among the same
 * kind of users. Per user: the whole history before the test item, of which the model reads
 * the last L (its maxLen), and the model's top-1 item with every seen item excluded: the
 * reference's "last L items, the whole known history excluded", and what the page asks. One
 * untimed warm-up user first. Calls: `all` (every method + counterfactual + faithfulness, the
 * product's defaults), then alone: IG at 50 steps and LIME with one seed (the reference's
 * settings; Node only, the worker API does not take them) and SHAP.
 *
 * Options: --users N (default 20), --quick (5 users, short training), --model50 DIR,
 * --model200 DIR, --ref-size-model50 DIR, --ref-size-model200 DIR, --no-ref-size,
 * --ref-size-browser, --ref-size-users N (10), --train-cap S (150), --sample-model DIR, --ml100k DIR, --no-browser,
 * --no-reference, --no-sample, --no-ml100k, --ref-out DIR, --ref-minutes M (3), --wait-load X
 * (1.5) and --wait-minutes M (30; 0 = do not wait for a quiet machine).
 *
 * Import this only after `allowTfjsBundlerImports()` (bench/run.ts installs it first).
 */
import { existsSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { wasmBinaryFolder } from '../src/cli/backend';
import { initBackend } from '../src/core/backend';
import type { ExplainOptionsInput } from '../src/core/explain';
import type { TrainedRecommender } from '../src/core/models/trained';
import type { ExplainCallOptions } from '../src/worker/api';
import {
  type ExplainBrowser,
  explainInPage,
  importModelInPage,
  loadDataInPage,
  openExplainBrowser,
} from './explain-browser';
import {
  type BenchCase,
  type BenchModel,
  benchCase,
  chooseUsers,
  describeModelDir,
  eligibleUsers,
  explainInNode,
  restoreModelDir,
  snapshotModelDir,
  trainSasrecDir,
} from './explain-node';
import {
  ensureReferenceModel,
  findTorchPython,
  type ReferenceResult,
  runReferenceExplain,
} from './explain-reference';
import {
  type AllSummary,
  type CallMeasure,
  type Diagnostics,
  diagnostics,
  type MsStat,
  msStat,
  summariseAll,
} from './explain-stats';
import { round } from './stats';
import { type LoadedBenchData, loadBenchData } from './train-node';
import { loadNow, type MachineFacts, machineFacts, writeNamedResult } from './train-report';

/** The issue's target: every method together, and the first result, at history 50 on wasm. */
export const TARGET = { allMs: 300, firstResultMs: 50 } as const;

/** The reference's figures as the issue quotes them (the run's own figures are what we compare). */
export const ISSUE_REFERENCE = {
  50: { ig: 14, lime: 256, occlusion: 39 },
  200: { ig: 154, lime: 1312, occlusion: 242 },
} as const;

const HISTORIES = [50, 200] as const;

interface AloneCall {
  name: string;
  method: string;
  what: string;
  node: ExplainOptionsInput;
  page: ExplainCallOptions | null;
}

/** The calls made after `all` for every user, each for one method. */
const ALONE: AloneCall[] = [
  {
    name: 'ig50',
    method: 'ig',
    what: 'IG at exactly 50 steps (the reference: 50 midpoints; ours: trapezoid, 51 points), alone',
    node: { methods: ['ig'], ig: { minSteps: 50, maxSteps: 50 } },
    page: null,
  },
  {
    name: 'lime1',
    method: 'lime',
    what: 'LIME with one seed, at most 1,000 samples (rounds of 250, stops once stable), alone',
    node: { methods: ['lime'], lime: { samples: 1000, seeds: 1 } },
    page: null,
  },
  {
    name: 'shap',
    method: 'shap',
    what: 'SHAP alone (without LIME samples to reuse)',
    node: { methods: ['shap'] },
    page: { methods: ['shap'] },
  },
];

function option(name: string): string | undefined {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 ? process.argv[at + 1] : undefined;
}
const flag = (name: string) => process.argv.includes(`--${name}`);
const numberOption = (name: string, fallback: number) => {
  const value = option(name);
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) throw new Error(`--${name} needs a number, got "${value}".`);
  return n;
};

interface AloneSummary {
  what: string;
  /** The method's own time (the engine's latency for it). */
  methodMs: MsStat;
  /** The whole call, faithfulness of that one method included. */
  wallMs: MsStat;
  diagnostics: Diagnostics;
}

interface EnvResult {
  environment: 'node' | 'chromium';
  users: number;
  loadAverage: { start: number[]; end: number[] };
  all: AllSummary;
  diagnostics: Diagnostics;
  alone: Record<string, AloneSummary>;
  perUser: {
    user: string;
    item: string;
    read: number;
    unread: number;
    rank: number;
    allWallMs: number;
    firstResultMs: number | null;
    methodMs: Record<string, number>;
    igSteps: number | null;
    igGap: number | null;
    evaluations: number;
  }[];
}

interface HistoryResult {
  history: number;
  model: string;
  node: EnvResult | null;
  chromium: EnvResult | null;
}

interface SubjectResult {
  key: string;
  label: string;
  dataset: string;
  files: { interactions: string; items: string | null };
  users: { eligible: number; timed: string[]; warmUp: string; chosenBy: string };
  models: Record<string, BenchModel>;
  histories: HistoryResult[];
}

interface Cell {
  ms: number | null;
  ratio: number | null;
  note: string;
}

interface ComparisonRow {
  history: number;
  method: 'ig' | 'lime' | 'occlusion';
  referenceMs: number | null;
  /** The reference's figure as the issue quotes it (another run, same machine type). */
  issueReferenceMs: number;
  /** Per subject: at the reference's settings (Node), and at the product's defaults (`all`). */
  subjects: Record<string, { referenceSettings: Cell; node: Cell; chromium: Cell | null }>;
}

export interface ExplainBenchResult {
  date: string;
  command: string;
  machine: MachineFacts & {
    /** 1-minute load average when the measurements began, and how long the bench waited for it. */
    loadBeforeMeasuring: number;
    waitedSeconds: number;
    quietThreshold: number;
    quiet: boolean;
  };
  settings: Record<string, unknown>;
  target: {
    allMs: number;
    firstResultMs: number;
    on: string;
    node: { allMedianMs: number | null; firstMedianMs: number | null; met: boolean } | null;
    chromium: { allMedianMs: number | null; firstMedianMs: number | null; met: boolean } | null;
  };
  subjects: SubjectResult[];
  reference: ReferenceResult | { skipped: string };
  comparison: ComparisonRow[];
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits (polling each minute) until the 1-minute load average is under `threshold`. */
async function waitForQuiet(threshold: number, minutes: number) {
  const started = Date.now();
  for (;;) {
    const load = loadavg()[0];
    const waited = (Date.now() - started) / 1000;
    if (load < threshold) return { load, waited, quiet: true };
    if (waited >= minutes * 60) {
      console.log(
        `[explain] load ${load.toFixed(2)} after ${Math.round(waited / 60)} min: measuring anyway`,
      );
      return { load, waited, quiet: false };
    }
    console.log(
      `[explain] load average ${load.toFixed(2)} >= ${threshold}: waiting (${Math.round(waited / 60)} of ${minutes} min)`,
    );
    await sleep(60_000);
  }
}

const perUserRow = (c: BenchCase, m: CallMeasure): EnvResult['perUser'][number] => {
  const ig = m.explanation.methods.ig;
  const methodMs: Record<string, number> = {};
  for (const [k, v] of Object.entries(m.explanation.latencyMs)) methodMs[k] = round(v, 1);
  return {
    user: c.user,
    item: c.itemId,
    read: m.explanation.read,
    unread: m.explanation.unread,
    rank: m.explanation.rank,
    allWallMs: round(m.wallMs, 1),
    firstResultMs: m.firstResultMs === null ? null : round(m.firstResultMs, 1),
    methodMs,
    igSteps: ig?.status === 'ok' ? (ig.steps ?? null) : null,
    igGap: ig?.status === 'ok' ? (ig.completenessGap ?? null) : null,
    evaluations: m.explanation.evaluations,
  };
};

/** Runs every call for the warm-up case (untimed) and then the timed cases. */
async function measure(
  environment: 'node' | 'chromium',
  cases: BenchCase[],
  aloneCalls: AloneCall[],
  call: (c: BenchCase, options: 'all' | AloneCall) => Promise<CallMeasure | null>,
  label: string,
): Promise<EnvResult> {
  const start = loadNow();
  const [warm, ...timed] = cases;
  await call(warm, 'all');
  for (const a of aloneCalls) await call(warm, a);
  const all: CallMeasure[] = [];
  const alone: Record<string, CallMeasure[]> = {};
  const perUser: EnvResult['perUser'] = [];
  for (const [k, c] of timed.entries()) {
    const m = await call(c, 'all');
    if (!m) throw new Error('the all call returned nothing');
    all.push(m);
    perUser.push(perUserRow(c, m));
    for (const a of aloneCalls) {
      const r = await call(c, a);
      if (!r) continue;
      alone[a.name] = [...(alone[a.name] ?? []), r];
    }
    console.log(
      `[explain] ${label} ${environment} user ${k + 1}/${timed.length} (${c.user}): all ${m.wallMs.toFixed(0)} ms, ` +
        `first ${m.firstResultMs?.toFixed(0) ?? '-'} ms, read ${m.explanation.read}`,
    );
  }
  const aloneSummary: Record<string, AloneSummary> = {};
  for (const a of aloneCalls) {
    const runs = alone[a.name];
    if (!runs?.length) continue;
    aloneSummary[a.name] = {
      what: a.what,
      methodMs: msStat(runs.map((x) => x.explanation.latencyMs[a.method] ?? Number.NaN)),
      wallMs: msStat(runs.map((x) => x.wallMs)),
      diagnostics: diagnostics(runs),
    };
  }
  return {
    environment,
    users: timed.length,
    loadAverage: { start, end: loadNow() },
    all: summariseAll(all),
    diagnostics: diagnostics(all),
    alone: aloneSummary,
    perUser,
  };
}

/** One model pair on one dataset, ready to measure. */
interface Subject {
  key: string;
  label: string;
  dataset: 'ml-100k' | 'sample';
  interactions: string;
  items: string | null;
  data: LoadedBenchData;
  /** Model folder per history length. */
  modelDirs: Record<number, string>;
  models: Record<string, BenchModel>;
  users: SubjectResult['users'];
  browser: boolean;
  alone: AloneCall[];
}

const ratio = (ours: number | null | undefined, reference: number | null | undefined) =>
  ours === null || ours === undefined || !reference ? null : round(ours / reference, 2);

const stepsNote = (env: EnvResult | null) =>
  `adaptive: ${Object.entries(env?.diagnostics.ig?.stepsUsed ?? {})
    .map(([s, n]) => `${s} steps x${n}`)
    .join(', ')}`;

function comparison(subjects: SubjectResult[], reference: ReferenceResult | null): ComparisonRow[] {
  const rows: ComparisonRow[] = [];
  const ml = subjects.filter((s) => s.dataset === 'ml-100k');
  if (ml.length === 0) return rows;
  for (const history of HISTORIES) {
    const ref = reference?.histories[String(history)];
    const refMs = {
      ig: ref?.ig_ms.median ?? null,
      lime: ref?.lime_ms.median ?? null,
      occlusion: ref?.occ_ms.median ?? null,
    };
    for (const method of ['ig', 'lime', 'occlusion'] as const) {
      const row: ComparisonRow = {
        history,
        method,
        referenceMs: refMs[method],
        issueReferenceMs: ISSUE_REFERENCE[history][method],
        subjects: {},
      };
      for (const s of ml) {
        const h = s.histories.find((x) => x.history === history);
        if (!h?.node) continue;
        const node = h.node;
        const matched =
          method === 'ig'
            ? { ms: node.alone.ig50?.methodMs.median ?? null, note: '50 steps' }
            : method === 'lime'
              ? {
                  ms: node.alone.lime1?.methodMs.median ?? null,
                  note: `1 seed, median ${node.alone.lime1?.diagnostics.lime?.samplesPerSeedMedian ?? '?'} samples`,
                }
              : { ms: node.all.methodMs.occlusion?.median ?? null, note: 'exact' };
        const defaults = (env: EnvResult | null): Cell | null => {
          if (!env) return null;
          const ms = env.all.methodMs[method]?.median ?? null;
          const note =
            method === 'ig'
              ? stepsNote(env)
              : method === 'lime'
                ? `3 seeds, median ${env.diagnostics.lime?.samplesPerSeedMedian ?? '?'} samples/seed`
                : 'exact';
          return { ms, ratio: ratio(ms, refMs[method]), note };
        };
        row.subjects[s.key] = {
          referenceSettings: { ...matched, ratio: ratio(matched.ms, refMs[method]) },
          node: defaults(node) as Cell,
          chromium: defaults(h.chromium),
        };
      }
      rows.push(row);
    }
  }
  return rows;
}

const show = (v: number | null | undefined) => (v === null || v === undefined ? '-' : String(v));

function printTables(result: ExplainBenchResult): void {
  for (const s of result.subjects) {
    const rows: Record<string, Record<string, string>> = {};
    for (const h of s.histories) {
      for (const env of [h.node, h.chromium]) {
        if (!env) continue;
        const m = env.all.methodMs;
        rows[`h${h.history} ${env.environment}`] = {
          'all (wall)': show(env.all.wallMs.median),
          first: show(env.all.firstResultMs.median),
          attention: show(m.attention?.median),
          saliency: show(m.saliency?.median),
          ig: show(m.ig?.median),
          occlusion: show(m.occlusion?.median),
          lime: show(m.lime?.median),
          shap: show(m.shap?.median),
          cf: show(m.counterfactual?.median),
          faith: show(m.faithfulness?.median),
          'ig50 alone': show(env.alone.ig50?.methodMs.median),
          'lime1 alone': show(env.alone.lime1?.methodMs.median),
          'shap alone': show(env.alone.shap?.methodMs.median),
          evals: show(env.all.evaluations.median),
        };
      }
    }
    console.log(`\nMedian ms over users: ${s.label}`);
    console.table(rows);
  }
  if (result.comparison.length > 0) {
    const rows: Record<string, Record<string, string>> = {};
    for (const c of result.comparison) {
      const row: Record<string, string> = { PyTorch: show(c.referenceMs) };
      for (const [key, cell] of Object.entries(c.subjects)) {
        row[`${key} ref. settings`] =
          `${show(cell.referenceSettings.ms)} (${show(cell.referenceSettings.ratio)}x)`;
        row[`${key} defaults`] = `${show(cell.node.ms)} (${show(cell.node.ratio)}x)`;
        if (cell.chromium) {
          row[`${key} Chromium`] = `${show(cell.chromium.ms)} (${show(cell.chromium.ratio)}x)`;
        }
      }
      rows[`h${c.history} ${c.method}`] = row;
    }
    console.log('\nAgainst the PyTorch reference (this run), median ms (ours / reference):');
    console.table(rows);
  }
  const t = result.target;
  const verdict = (x: typeof t.node) =>
    x
      ? `all ${show(x.allMedianMs)} ms, first ${show(x.firstMedianMs)} ms: ${x.met ? 'met' : 'NOT met'}`
      : 'not run';
  console.log(
    `\nTarget (${t.on}: all < ${t.allMs} ms, first result < ${t.firstResultMs} ms): ` +
      `Node ${verdict(t.node)}; Chromium ${verdict(t.chromium)}.`,
  );
  console.log(
    `Load average before measuring ${result.machine.loadBeforeMeasuring} ` +
      `(${result.machine.quiet ? 'quiet' : 'NOT quiet'}), at the end ${result.machine.loadAverageEnd.join(' / ')}.`,
  );
}

/** The ml-100k model pair of one size: given folders, or trained now. */
async function ml100kModels(
  data: LoadedBenchData,
  size: { blocks: number | null; optionPrefix: string },
  capSeconds: number,
): Promise<{ modelDirs: Record<number, string>; models: Record<string, BenchModel> }> {
  const modelDirs: Record<number, string> = {};
  const models: Record<string, BenchModel> = {};
  for (const h of HISTORIES) {
    const given = option(`${size.optionPrefix}${h}`);
    if (given) {
      modelDirs[h] = given;
      models[String(h)] = await describeModelDir(given, 'given');
      continue;
    }
    const blocks = size.blocks ?? 'default';
    console.log(`[explain] training sasrec maxLen ${h}, blocks ${blocks}, ${capSeconds} s limit`);
    const out = await trainSasrecDir(data, 'u.data', {
      maxLen: h,
      blocks: size.blocks,
      capSeconds,
      log: console.log,
    });
    modelDirs[h] = out;
    models[String(h)] = await describeModelDir(out, 'trained by the bench');
  }
  return { modelDirs, models };
}

async function sampleSubject(root: string, quick: boolean, count: number): Promise<Subject> {
  const interactions = join(root, 'sample-data', 'interactions.csv');
  const items = join(root, 'sample-data', 'items.csv');
  const data = await loadBenchData(interactions, items);
  const shipped = option('sample-model') ?? join(root, 'public', 'sample-model');
  const train = async (maxLen: number, capSeconds: number) => {
    console.log(`[explain] sample: training sasrec maxLen ${maxLen} (${capSeconds} s limit)`);
    const dir = await trainSasrecDir(data, 'interactions.csv', {
      maxLen,
      blocks: null,
      capSeconds,
      log: console.log,
    });
    return { dir, model: await describeModelDir(dir, 'trained by the bench') };
  };
  let short: { dir: string; model: BenchModel };
  try {
    if (!existsSync(join(shipped, 'model.json'))) throw new Error(`no model in ${shipped}`);
    // A copy: the shipped files may be rewritten (npm run sample-model) while the bench runs.
    const dir = snapshotModelDir(shipped);
    (await restoreModelDir(dir, data.dataset)).dispose();
    short = { dir, model: { ...(await describeModelDir(dir, 'shipped')), dir: shipped } };
  } catch (error) {
    console.log(`[explain] sample: no usable shipped model (${(error as Error).message})`);
    short = await train(50, quick ? 20 : 60);
  }
  // History 200 needs a model that reads 200 items; the shipped one reads fewer.
  const long = Number(short.model.hyper.maxLen) >= 200 ? short : await train(200, quick ? 20 : 90);
  const eligible = eligibleUsers(data.dataset, 200);
  const [warmUp, ...timed] = chooseUsers(eligible, count + 1, 42);
  return {
    key: 'sample',
    label: `sample: ${short.model.modelId} (${short.model.source}) at 50, sasrec maxLen ${long.model.hyper.maxLen} at 200`,
    dataset: 'sample',
    interactions,
    items,
    data,
    modelDirs: { 50: short.dir, 200: long.dir },
    models: { '50': short.model, '200': long.model },
    users: {
      eligible: eligible.length,
      timed,
      warmUp,
      chosenBy: 'seeded choice (seed 42) among the eligible users',
    },
    browser: true,
    alone: ALONE,
  };
}

/** Every case of one subject and history (warm-up first), built with the Node model. */
async function casesFor(s: Subject, model: TrainedRecommender): Promise<BenchCase[]> {
  const out: BenchCase[] = [];
  for (const user of [s.users.warmUp, ...s.users.timed]) {
    out.push(await benchCase(s.data.dataset, model, user));
  }
  return out;
}

export async function runExplainBench(root: string): Promise<void> {
  const loadAtStart = loadNow();
  const quick = flag('quick');
  const count = numberOption('users', quick ? 5 : 20);
  const withBrowser = !flag('no-browser');
  const ml100kDir =
    option('ml100k') ?? process.env.ML100K_DIR ?? join(root, '..', 'shared', 'data', 'ml-100k');
  const withMl = !flag('no-ml100k') && existsSync(join(ml100kDir, 'u.data'));
  if (!withMl && !flag('no-ml100k')) {
    console.log(
      `[explain] ml-100k skipped: no MovieLens 100K at ${ml100kDir} (pass --ml100k DIR).`,
    );
  }
  const wasm = await initBackend({ wasmPaths: wasmBinaryFolder() });
  if (wasm.backend !== 'wasm') throw new Error(`wasm did not start in Node: ${wasm.reason}`);

  // The reference's model first (training is heavy: done before the quiet wait).
  const referenceDir = join(root, '..', 'shared', 'reference');
  const refOut = option('ref-out') ?? '/tmp/interest-lens-explain-reference';
  let referenceSkip: string | null = null;
  const torch = flag('no-reference') ? null : findTorchPython();
  if (flag('no-reference')) referenceSkip = '--no-reference';
  else if (!withMl) referenceSkip = 'no ml-100k';
  else if (!existsSync(join(referenceDir, 'explain_bench.py')))
    referenceSkip = `no ${referenceDir}`;
  else if (!torch) referenceSkip = 'no Python with torch (apt-get install python3-torch)';
  let trainedReference = false;
  if (!referenceSkip && torch) {
    trainedReference = ensureReferenceModel(
      referenceDir,
      refOut,
      torch.python,
      numberOption('ref-minutes', quick ? 1 : 3),
    );
  }

  // Our models (trained now unless given): also before the quiet wait.
  const subjects: Subject[] = [];
  if (withMl) {
    const interactions = join(ml100kDir, 'u.data');
    const itemsPath = join(ml100kDir, 'u.item');
    const items = existsSync(itemsPath) ? itemsPath : null;
    const data = await loadBenchData(interactions, items);
    const cap = numberOption('train-cap', quick ? 45 : 150);
    const eligible = eligibleUsers(data.dataset, 200);
    const [warmUp, ...timed] = chooseUsers(eligible, count + 1, 42);
    const users = {
      eligible: eligible.length,
      timed,
      warmUp,
      chosenBy: 'seeded choice (seed 42) among the eligible users',
    };
    const product = await ml100kModels(data, { blocks: null, optionPrefix: 'model' }, cap);
    const base = { dataset: 'ml-100k' as const, interactions, items, data, users };
    subjects.push({
      ...base,
      ...product,
      key: 'ml-100k',
      label: `ml-100k sasrec, the product's defaults (blocks ${product.models['50'].hyper.blocks})`,
      browser: true,
      alone: ALONE,
    });
    if (!flag('no-ref-size')) {
      const sized = await ml100kModels(data, { blocks: 2, optionPrefix: 'ref-size-model' }, cap);
      subjects.push({
        ...base,
        ...sized,
        key: 'ml-100k-2blocks',
        label: "ml-100k sasrec, 2 blocks (the reference's size)",
        browser: flag('ref-size-browser'),
        // SHAP alone adds nothing to the comparison and is the slowest call at this size.
        alone: ALONE.filter((a) => a.name !== 'shap'),
      });
    }
  }
  if (!flag('no-sample')) subjects.push(await sampleSubject(root, quick, count));

  const threshold = numberOption('wait-load', 1.5);
  const quiet = await waitForQuiet(threshold, numberOption('wait-minutes', 30));
  const loadBeforeMeasuring = round(quiet.load, 2);

  let reference: ReferenceResult | null = null;
  if (!referenceSkip && torch) {
    try {
      reference = runReferenceExplain({
        referenceDir,
        refOut,
        python: torch.python,
        torch: torch.torch,
        ml100k: ml100kDir,
        trainedThisRun: trainedReference,
      });
    } catch (error) {
      referenceSkip = (error as Error).message;
    }
  }
  if (reference) {
    // Explain the reference's user-items: its users, in its order.
    const refUsers = reference.userIds;
    for (const s of subjects.filter((x) => x.dataset === 'ml-100k')) {
      const eligible = eligibleUsers(s.data.dataset, 200);
      s.users = {
        eligible: eligible.length,
        timed: refUsers.slice(0, count),
        warmUp:
          chooseUsers(eligible, eligible.length, 42).find((u) => !refUsers.includes(u)) ??
          eligible[0],
        chosenBy: "the PyTorch reference's users (explain_bench.py, seeded), in its order",
      };
    }
  }
  // The 2-block models take ~10x longer per user (every position of block 1 is computed):
  // fewer users for them, the first of the same list.
  const sized = subjects.find((x) => x.key === 'ml-100k-2blocks');
  if (sized) {
    const n = numberOption('ref-size-users', Math.min(count, 10));
    sized.users = { ...sized.users, timed: sized.users.timed.slice(0, n) };
  }

  // Node, then Chromium; the cases come from the Node models (the page gets the same ones).
  const results: SubjectResult[] = [];
  const casesByKey = new Map<string, BenchCase[]>();
  for (const s of subjects) {
    const result: SubjectResult = {
      key: s.key,
      label: s.label,
      dataset: s.dataset,
      files: { interactions: s.interactions, items: s.items },
      users: s.users,
      models: s.models,
      histories: [],
    };
    for (const h of HISTORIES) {
      const model = await restoreModelDir(s.modelDirs[h], s.data.dataset);
      try {
        const cases = await casesFor(s, model);
        casesByKey.set(`${s.key}/${h}`, cases);
        const node = await measure(
          'node',
          cases,
          s.alone,
          (c, call) => explainInNode(s.data.dataset, model, c, call === 'all' ? {} : call.node),
          `${s.key} h${h}`,
        );
        const m = s.models[String(h)];
        result.histories.push({
          history: h,
          model: `${m.modelId} maxLen ${m.hyper.maxLen}${m.hyper.blocks ? ` blocks ${m.hyper.blocks}` : ''}`,
          node,
          chromium: null,
        });
      } finally {
        model.dispose();
      }
    }
    results.push(result);
  }

  let browser: ExplainBrowser | null = null;
  if (withBrowser && subjects.some((s) => s.browser)) {
    browser = await openExplainBrowser(root);
    try {
      console.log(`[explain] Chromium ${browser.version}, worker backend ${browser.backend}`);
      if (browser.backend !== 'wasm')
        throw new Error(`the worker runs ${browser.backend}, not wasm`);
      const page = browser.page;
      let loaded: string | null = null;
      for (const s of subjects.filter((x) => x.browser)) {
        if (loaded !== s.dataset) await loadDataInPage(page, s.interactions, s.items);
        loaded = s.dataset;
        const result = results.find((r) => r.key === s.key);
        for (const h of HISTORIES) {
          // The worker keys a model by its id, so each import replaces the previous sasrec.
          const key = await importModelInPage(page, s.modelDirs[h]);
          const chromium = await measure(
            'chromium',
            casesByKey.get(`${s.key}/${h}`) ?? [],
            s.alone,
            async (c, call) => {
              const options = call === 'all' ? {} : call.page;
              if (options === null) return null;
              const job = { items: c.itemIds, times: Array.from(c.times), item: c.itemId };
              return explainInPage(page, key, job, options);
            },
            `${s.key} h${h}`,
          );
          const entry = result?.histories.find((x) => x.history === h);
          if (entry) entry.chromium = chromium;
        }
      }
    } finally {
      await browser.close();
    }
  }

  const product = results.find((r) => r.key === 'ml-100k');
  const h50 = product?.histories.find((h) => h.history === 50);
  const judge = (env: EnvResult | null | undefined) =>
    env
      ? {
          allMedianMs: env.all.wallMs.median,
          firstMedianMs: env.all.firstResultMs.median,
          met:
            (env.all.wallMs.median ?? Infinity) < TARGET.allMs &&
            (env.all.firstResultMs.median ?? Infinity) < TARGET.firstResultMs,
        }
      : null;
  const machine = machineFacts(loadAtStart, browser?.version ?? null);
  const result: ExplainBenchResult = {
    date: new Date().toISOString(),
    command: `npm run bench -- explain ${process.argv.slice(3).join(' ')}`.trim(),
    machine: {
      ...machine,
      loadBeforeMeasuring,
      waitedSeconds: Math.round(quiet.waited),
      quietThreshold: threshold,
      quiet: quiet.quiet,
    },
    settings: {
      usersAsked: count,
      warmUpUsers: 1,
      histories: HISTORIES,
      history:
        'the whole history before the test item, of which the model reads the last L = maxLen; item = its top-1, every seen item excluded',
      all: 'every method the model offers + counterfactual + faithfulness, product defaults (IG adaptive 32..512 steps to a 1 % gap, LIME 3 seeds x up to 1,000 samples, KernelSHAP on LIME samples)',
      alone: Object.fromEntries(
        ALONE.map((a) => [a.name, { what: a.what, node: a.node, chromium: a.page }]),
      ),
      firstResult:
        "from the call to the first 'method' event with a result (attention or gradients)",
      timings:
        "Node: performance.now() around explainRecommendation; Chromium: in the page, around the worker client's explainHistory (worker round trip and report transfer included)",
    },
    target: {
      allMs: TARGET.allMs,
      firstResultMs: TARGET.firstResultMs,
      on: "ml-100k sasrec (the product's defaults), history 50, wasm, median over users",
      node: judge(h50?.node),
      chromium: judge(h50?.chromium),
    },
    subjects: results,
    reference: reference ?? { skipped: referenceSkip ?? 'unknown' },
    comparison: comparison(results, reference),
  };
  printTables(result);
  const name = quick ? 'explain-quick' : 'explain';
  const path = writeNamedResult(join(root, 'bench', 'results'), name, result);
  console.log(`[explain] wrote ${path}`);
}

/**
 * The PyTorch reference of the explanation pipeline (/work/shared/reference/explain_bench.py),
 * run in the same benchmark run on the same machine: it needs a trained SASRec checkpoint in
 * `$REF_OUT`, so `train.py` runs first when there is none. Its results (and the users it chose)
 * are read back from `$REF_OUT/results.json`.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface ReferenceHistory {
  ig_ms: { median: number; p90: number };
  lime_ms: { median: number; p90: number };
  occ_ms: { median: number; p90: number };
  ig_completeness_gap: {
    median_abs: number;
    max_abs: number;
    median_rel: number;
    max_rel: number;
  };
  spearman_vs_occlusion_median: { ig: number; lime: number };
  top1_item_agreement_with_occlusion: { ig: number; lime: number };
}

export interface ReferenceResult {
  python: string;
  torch: string;
  refOut: string;
  /** The checkpoint's tag and how it was trained (by this run or found in REF_OUT). */
  model: string;
  trainedThisRun: boolean;
  training: { epochsRun: number; maxLen: number; blocks: number; testNdcg10: number } | null;
  /** Users (u.data ids) the reference explained, in its order; the benchmark explains the same. */
  userIds: string[];
  settings: Record<string, unknown>;
  histories: Record<string, ReferenceHistory>;
  wallSeconds: number;
}

/** A Python that imports torch: $PYTHON, Debian's /usr/bin/python3, then python3 on PATH. */
export function findTorchPython(): { python: string; torch: string } | null {
  const candidates = [process.env.PYTHON, '/usr/bin/python3', 'python3'].filter((p): p is string =>
    Boolean(p),
  );
  for (const python of candidates) {
    const probe = spawnSync(python, ['-c', 'import torch, numpy; print(torch.__version__)'], {
      encoding: 'utf8',
    });
    if (probe.status === 0) return { python, torch: probe.stdout.trim() };
  }
  return null;
}

/** User ids of u.data in order of first appearance: the reference's user index -> id. */
function usersInFileOrder(ml100k: string): string[] {
  const seen = new Set<string>();
  for (const line of readFileSync(join(ml100k, 'u.data'), 'utf8').split('\n')) {
    const user = line.split('\t')[0];
    if (user) seen.add(user);
  }
  return [...seen];
}

function run(python: string, args: string[], cwd: string, refOut: string): void {
  const result = spawnSync(python, args, {
    cwd,
    env: { ...process.env, REF_OUT: refOut },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  if (result.status !== 0) {
    throw new Error(`${python} ${args.join(' ')} failed (exit ${result.status}).`);
  }
}

const hasCheckpoint = (refOut: string) =>
  existsSync(join(refOut, 'ckpt')) &&
  readdirSync(join(refOut, 'ckpt')).some((f) => f.startsWith('ml-100k_sasrec'));

/** Trains the reference's SASRec (max length 200) unless REF_OUT already has a checkpoint. */
export function ensureReferenceModel(
  referenceDir: string,
  refOut: string,
  python: string,
  minutes: number,
): boolean {
  if (hasCheckpoint(refOut)) return false;
  console.log(`[explain] training the PyTorch reference SASRec (${minutes} min cap) in ${refOut}`);
  run(
    python,
    [
      'train.py',
      '--dataset',
      'ml-100k',
      '--model',
      'sasrec',
      '--loss',
      'ce',
      '--max-len',
      '200',
      '--max-minutes',
      String(minutes),
    ],
    referenceDir,
    refOut,
  );
  return true;
}

/** Runs explain_bench.py and reads its section of results.json. */
export function runReferenceExplain(options: {
  referenceDir: string;
  refOut: string;
  python: string;
  torch: string;
  ml100k: string;
  trainedThisRun: boolean;
}): ReferenceResult {
  const started = performance.now();
  console.log('[explain] PyTorch reference: explain_bench.py');
  run(options.python, ['explain_bench.py'], options.referenceDir, options.refOut);
  const wallSeconds = (performance.now() - started) / 1000;
  const results = JSON.parse(readFileSync(join(options.refOut, 'results.json'), 'utf8'));
  const explain = results.explain;
  const tag = String(explain.model).split('/')[1];
  const trained = results.results?.['ml-100k']?.[tag];
  const order = usersInFileOrder(options.ml100k);
  const histories: Record<string, ReferenceHistory> = {};
  for (const [key, value] of Object.entries(explain)) {
    if (key.startsWith('history_')) {
      const { per_user_ms: _perUser, ...rest } = value as ReferenceHistory & {
        per_user_ms: unknown;
      };
      histories[key.slice('history_'.length)] = rest;
    }
  }
  return {
    python: options.python,
    torch: options.torch,
    refOut: options.refOut,
    model: explain.model,
    trainedThisRun: options.trainedThisRun,
    training: trained
      ? {
          epochsRun: trained.epochs_run,
          maxLen: trained.hparams?.max_len,
          blocks: trained.hparams?.blocks,
          testNdcg10: trained.test?.['NDCG@10'],
        }
      : null,
    userIds: (explain.users as number[]).map((u) => order[u]),
    settings: explain.settings,
    histories,
    wallSeconds: Math.round(wallSeconds),
  };
}

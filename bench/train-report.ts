/** Shared pieces of the training and accuracy results files: machine facts, tables, writing. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { round } from './stats';
import type { BenchRun } from './train-node';

export interface MachineFacts {
  cores: number;
  cpuModel: string;
  memoryGiB: number;
  node: string;
  /** Chromium's version when a browser part ran; null otherwise. */
  chromium: string | null;
  /** 1-, 5- and 15-minute load averages at the start and end: above the core count, times are inflated. */
  loadAverageStart: number[];
  loadAverageEnd: number[];
}

/** The load average now, rounded, for the results file. */
export const loadNow = (): number[] => loadavg().map((v) => round(v, 2));

export function machineFacts(loadAverageStart: number[], chromium: string | null): MachineFacts {
  return {
    cores: cpus().length,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    memoryGiB: round(totalmem() / 1024 ** 3, 1),
    node: process.version,
    chromium,
    loadAverageStart,
    loadAverageEnd: loadNow(),
  };
}

/** Writes `result` to bench/results/<name>-<date>.json and returns the path. */
export function writeNamedResult(dir: string, name: string, result: { date: string }): string {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `${name}-${result.date.slice(0, 10)}.json`);
  writeFileSync(path, `${JSON.stringify(result, null, 2)}\n`);
  return path;
}

const fmt = (v: number | null | undefined, digits = 4) =>
  v === null || v === undefined || Number.isNaN(v) ? '-' : v.toFixed(digits);

/** One printed row per run: test metrics, speed and how training ended. */
export function runRow(run: BenchRun): Record<string, string | number> {
  return {
    model: run.model,
    backend: run.backend,
    'HR@10': fmt(run.test.hr10),
    'NDCG@10': fmt(run.test.ndcg10),
    MRR: fmt(run.test.mrr),
    'cov@10': fmt(run.test.coverage10, 3),
    'train s': run.trainSeconds.toFixed(1),
    'to best val s': fmt(run.secondsToBestValidation, 1),
    'examples/s': run.examplesPerSecond ?? '-',
    'lr, batch': run.learningRate === null ? '-' : `${run.learningRate}, ${run.batchSize}`,
    epochs: run.kind === 'baseline' ? 'fitted' : `${run.epochsRun} (best ${run.bestEpoch})`,
    stopped: run.stoppedBy,
  };
}

/**
 * The explanation benchmark's page: the app's own worker client (src/worker/client.ts, which
 * spawns the app's worker, built by Vite exactly as the app's), exposed to Playwright as
 * `window.__explainBench`. The files come in through file inputs (as in the app), and every
 * call is timed here in the page: from the call to the first streamed method with a result,
 * and to the resolved report, so the times include the worker round trip the page pays.
 */
import type { ExplainCallOptions, ExplainEvent } from '../../src/worker/api';
import * as client from '../../src/worker/client';
import { type CallMeasure, slimExplanation } from '../explain-stats';

/** One explanation to run: a history (item ids, oldest first, epoch-ms times) and its item. */
export interface PageJob {
  items: string[];
  times: number[];
  item: string;
}

const file = (id: string): File => {
  const input = document.getElementById(id) as HTMLInputElement | null;
  const chosen = input?.files?.[0];
  if (!chosen) throw new Error(`No file in #${id}.`);
  return chosen;
};

const bench = {
  /** Starts TF.js in the worker on wasm (the backend the other browser benchmarks pin). */
  async initBackend() {
    let report = await client.initBackend('wasm');
    if (report.backend !== 'wasm') report = await client.setBackend('wasm');
    return { backend: report.backend, reason: report.reason };
  },

  /** Loads the interaction file (and the item file when one is set) as the app does. */
  async loadData(withItems: boolean) {
    const interactions = file('interactions');
    const summary = await client.loadInteractions(interactions, interactions.name, null);
    if (!withItems) return { users: summary.users, items: summary.items };
    const items = file('items');
    const joined = await client.loadItems(items, items.name, null);
    return { users: joined.users, items: joined.items };
  },

  /** Imports the model files set in the inputs; resolves to the live model's key. */
  async importModel() {
    const card = await client.importModel(file('model-json'), file('model-weights'));
    const source = card.source;
    return { key: card.key, match: 'match' in source ? source.match : source.kind };
  },

  /** Explains one job with the live model `key` and times it. */
  async explain(key: string, job: PageJob, options: ExplainCallOptions): Promise<CallMeasure> {
    let first: { ms: number; method: string } | null = null;
    const started = performance.now();
    const report = await client.explainHistory(
      key,
      { items: job.items, times: job.times },
      job.item,
      options,
      (event: ExplainEvent) => {
        if (!first && event.kind === 'method' && event.result.status === 'ok') {
          first = { ms: performance.now() - started, method: event.method };
        }
      },
    );
    const wallMs = performance.now() - started;
    if (report.item !== job.item) {
      throw new Error(`The worker explained ${report.item}, not ${job.item}.`);
    }
    const firstResult = first as { ms: number; method: string } | null;
    return {
      wallMs,
      firstResultMs: firstResult?.ms ?? null,
      firstMethod: firstResult?.method ?? null,
      explanation: slimExplanation(report),
    };
  },
};

export type ExplainBenchPage = typeof bench;

(window as unknown as { __explainBench: ExplainBenchPage }).__explainBench = bench;

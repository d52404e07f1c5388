/**
 * Explanations through the worker's service with the real ingest, real models (wasm) and the
 * real engine: reports in the dataset's ids, progress streamed method by method, cancel and
 * supersede, what-if histories, the errors the page branches on, no tensor growth, and the
 * same over a Comlink connection as the page will use it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ATTRIBUTION_METHODS } from '../core/explain/types';
import { useBackend } from '../core/models/tfTesting';
import * as tf from '../core/tf';
import type { ExplainCallOptions, ExplainEvent, LensWorkerApi } from './api';
import { createLensClient } from './client';
import { exposeLensApi } from './expose';
import { ingestDeps } from './ingestDeps';
import { createModelDeps } from './modelDeps';
import { createLensService } from './service';
import { createFakeDeps, failure } from './testDeps';

const noop = () => undefined;

// 24 users walking a 20-item cycle (user u starts at item 7u mod 20), 8 to 10 steps each.
const ITEMS = 20;
const rows: { user: string; item: string; time: number }[] = [];
for (let u = 0; u < 24; u++) {
  for (let t = 0; t < 8 + (u % 3); t++) {
    rows.push({ user: `u${u}`, item: `i${(7 * u + t) % ITEMS}`, time: 1_700_000_000 + 3600 * t });
  }
}
const interactions = `user,item,timestamp\n${rows.map((r) => `${r.user},${r.item},${r.time}`).join('\n')}\n`;
const genres = ['Drama', 'Comedy', 'Sci-Fi'];
const itemsFile = `item,title,genres\n${Array.from(
  { length: ITEMS },
  (_, i) => `i${i},Title ${i},${genres[i % 3]}`,
).join('\n')}\n`;
const historyOf = (user: string) => rows.filter((r) => r.user === user).map((r) => r.item);

/** Few LIME samples: the tests check the plumbing, not LIME's precision. */
const FAST: ExplainCallOptions = { lime: { samples: 100 } };

let service: LensWorkerApi;

beforeAll(async () => {
  await useBackend('wasm');
  service = createLensService({ ...createFakeDeps().deps, ...ingestDeps }, createModelDeps());
  await service.loadInteractions(new Blob([interactions]), 'cycle.csv', null, noop);
  await service.loadItems(new Blob([itemsFile]), 'items.csv', null, noop);
  await service.trainModel(
    'sasrec',
    {
      hyper: { dim: 8, maxLen: 6, dropout: 0, blocks: 1 },
      epochs: 2,
      batchSize: 32,
      learningRate: 0.02,
      seed: 7,
    },
    noop,
  );
  await service.trainModel('itemknn', {}, noop);
});

describe('explain through the worker service', () => {
  it('explains the top-1 for a user in ids, streaming started, each method in order, then the rest', async () => {
    const events: ExplainEvent[] = [];
    const report = await service.explain('sasrec', 'u4', null, FAST, (e) => events.push(e));
    const top = (await service.recommend('sasrec', 'u4', 1))[0];
    expect(report).toMatchObject({ model: 'sasrec', modelName: 'sasrec', user: 'u4' });
    expect(report.item).toBe(top.itemId);
    expect(report.rank).toBe(1);
    expect(report.title).toBe(`Title ${report.item.slice(1)}`);
    // u4 has 9 interactions; sasrec reads the last 6.
    expect([report.read, report.unread]).toEqual([6, 3]);
    expect(report.history.map((h) => h.item)).toEqual(historyOf('u4').slice(3));
    expect(report.history.map((h) => h.position)).toEqual([3, 4, 5, 6, 7, 8]);
    const occlusion = report.methods.occlusion;
    expect(occlusion?.status).toBe('ok');
    if (occlusion?.status === 'ok') {
      expect(occlusion.attributions.map((a) => a.item)).toEqual(historyOf('u4').slice(3));
    }
    expect(report.methods.attention).toMatchObject({ status: 'ok', source: 'self-attention' });
    expect(report.methods.exact?.status).toBe('unavailable');
    expect(Object.keys(report.rollups.category.occlusion ?? {}).length).toBeGreaterThan(0);

    expect(events[0]).toEqual({
      kind: 'started',
      item: report.item,
      score: report.score,
      rank: report.rank,
      read: 6,
      unread: 3,
    });
    const methodEvents = events.filter((e) => e.kind === 'method');
    expect(methodEvents.map((e) => e.method)).toEqual(
      ATTRIBUTION_METHODS.filter((m) => m in report.methods),
    );
    methodEvents.forEach((e, k) => {
      expect([e.done, e.total]).toEqual([k + 1, methodEvents.length]);
      // Already in ids, exactly as in the final report.
      expect(e.result).toEqual(report.methods[e.method]);
    });
    expect(events.slice(methodEvents.length + 1).map((e) => e.kind)).toEqual([
      'counterfactual',
      'faithfulness',
    ]);
    const cf = events.find((e) => e.kind === 'counterfactual');
    expect(cf?.kind === 'counterfactual' && cf.result).toEqual(report.counterfactual);
  });

  it('explains a chosen item at its rank, with only the methods asked for', async () => {
    const third = (await service.recommend('sasrec', 'u5', 3))[2];
    const events: ExplainEvent[] = [];
    const report = await service.explain(
      'sasrec',
      'u5',
      third.itemId,
      { methods: ['occlusion', 'saliency'], target: 'margin', k: 5 },
      (e) => events.push(e),
    );
    expect([report.item, report.rank]).toEqual([third.itemId, 3]);
    expect(Object.keys(report.methods).sort()).toEqual(['occlusion', 'saliency']);
    expect(report.target).toMatchObject({ kind: 'margin', k: 5 });
    expect(report.counterfactual).toBeNull();
    expect(events.map((e) => e.kind)).toEqual(['started', 'method', 'method', 'faithfulness']);
  });

  it('cancel stops an explanation between methods; the worker explains again afterwards', async () => {
    await service.explain('sasrec', 'u6', null, FAST, noop); // warm-up: lazily built tensors
    const before = tf.memory().numTensors;
    const events: ExplainEvent[] = [];
    const running = service.explain('sasrec', 'u6', null, FAST, (e) => {
      events.push(e);
      if (e.kind === 'method') service.cancelExplanation();
    });
    const error = await failure(running);
    expect(error.code).toBe('cancelled');
    expect(error.message).toMatch(/cancelled/);
    expect(events.map((e) => e.kind)).toEqual(['started', 'method']);
    expect(tf.memory().numTensors).toBe(before);
    const again = await service.explain('sasrec', 'u6', null, FAST, noop);
    expect(again.user).toBe('u6');
    expect(tf.memory().numTensors).toBe(before);
  });

  it('a new explain cancels the running one, which sends nothing more', async () => {
    const first: ExplainEvent[] = [];
    let second: Promise<unknown> | null = null;
    let sentAfterSecond = 0;
    const running = service.explain('sasrec', 'u7', null, FAST, (e) => {
      if (second) sentAfterSecond++;
      first.push(e);
      if (e.kind === 'started') {
        second = service.explain('sasrec', 'u8', null, { methods: ['occlusion'] }, noop);
      }
    });
    const error = await failure(running);
    expect(error.code).toBe('cancelled');
    expect(error.message).toMatch(/newer explanation/);
    expect(sentAfterSecond).toBe(0);
    expect(second).not.toBeNull();
    expect(await second).toMatchObject({ user: 'u8' });
  });

  it('what-if: the same history gives the same answer; removing an item changes the score', async () => {
    const history = historyOf('u9');
    const original = await service.explain('itemknn', 'u9', null, FAST, noop);
    const item = original.item;
    const same = await service.explainHistory('itemknn', { items: history }, item, FAST, noop);
    expect(same.user).toBeNull();
    expect(same.score).toBeCloseTo(original.score, 6);
    expect(same.rank).toBe(original.rank);
    // Remove the most influential item by occlusion.
    const occlusion = original.methods.occlusion;
    if (occlusion?.status !== 'ok') throw new Error('occlusion should be available');
    const top = [...occlusion.attributions].sort((a, b) => b.value - a.value)[0];
    expect(top.value).toBeGreaterThan(0);
    const edited = history.filter((_, k) => k !== top.position);
    const times = edited.map((_, k) => (k === 0 ? null : 1_700_000_000_000 + k * 60_000));
    const whatIf = await service.explainHistory(
      'itemknn',
      { items: edited, times },
      item,
      FAST,
      noop,
    );
    expect(whatIf.score).toBeCloseTo(original.score - top.value, 4);
    expect(whatIf.history.map((h) => h.item)).toEqual(edited);
    expect(whatIf.history[0].time).toBeNull();
    expect(whatIf.history[1].time).toBe(new Date(1_700_000_060_000).toISOString());
    // A neural model's score moves too.
    const sasrec = await service.explainHistory('sasrec', { items: history }, item, FAST, noop);
    const sasrecEdited = await service.explainHistory(
      'sasrec',
      { items: history.slice(0, -1) },
      item,
      FAST,
      noop,
    );
    expect(sasrecEdited.score).not.toBeCloseTo(sasrec.score, 4);
    // Everything removed: the methods say there is nothing to attribute.
    const empty = await service.explainHistory('sasrec', { items: [] }, item, FAST, noop);
    expect([empty.read, empty.unread]).toEqual([0, 0]);
    expect(empty.methods.occlusion).toMatchObject({ status: 'unavailable' });
  });

  it('says which user, item, model or option is wrong, with a code the page branches on', async () => {
    // One at a time: each call would cancel the one before it.
    const cases: [() => Promise<unknown>, string, RegExp][] = [
      [() => service.explain('sasrec', 'nobody', null, {}, noop), 'unknown-user', /no user nobody/],
      [() => service.explain('sasrec', 'u1', 'i999', {}, noop), 'unknown-item', /no item i999/],
      [
        () => service.explainHistory('sasrec', { items: ['i1', 'x1', 'i2', 'x2'] }, null, {}, noop),
        'unknown-item',
        /not in the loaded dataset: x1, x2\./,
      ],
      [() => service.explain('gru', 'u1', null, {}, noop), 'no-model', /no trained model gru/],
      [() => service.explain('sasrec', 'u1', null, { k: 0 }, noop), 'invalid-options', /k must be/],
      [
        () => service.explain('sasrec', 'u1', null, { methods: ['magic' as 'ig'] }, noop),
        'invalid-options',
        /unknown method magic/,
      ],
      [
        () => service.explain('sasrec', 'u1', null, { limeSamples: 5 } as ExplainCallOptions, noop),
        'invalid-options',
        /unknown option limeSamples/,
      ],
      [
        () => service.explain('sasrec', 'u1', null, { seed: 0.5 }, noop),
        'invalid-options',
        /seed must be a safe integer/,
      ],
      [
        () => service.explainHistory('sasrec', { items: ['i1'], times: [1, 2] }, null, {}, noop),
        'invalid-options',
        /one epoch-millisecond number/,
      ],
      [
        () => service.explain('sasrec', 'u1', null, { target: 'margin', k: 50 }, noop),
        'not-explainable',
        /fewer than 50 other unseen items/,
      ],
    ];
    for (const [call, code, message] of cases) {
      const error = await failure(call());
      expect([error.code, error.message]).toEqual([code, expect.stringMatching(message)]);
    }
  });

  it('keeps the tensor count flat over repeated explanations of both models', async () => {
    await service.explain('sasrec', 'u10', null, FAST, noop);
    const before = tf.memory().numTensors;
    for (let k = 0; k < 8; k++) {
      await service.explain(k % 2 ? 'itemknn' : 'sasrec', `u${10 + k}`, null, FAST, noop);
      await service.explainHistory('sasrec', { items: historyOf(`u${k}`) }, null, FAST, noop);
    }
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('explain over Comlink', () => {
  const ports: MessagePort[] = [];
  afterAll(() => {
    for (const port of ports) port.close();
  });

  it('streams plain-data events through the callback proxy and resolves with the report', async () => {
    const client = createLensClient(() => {
      const { port1, port2 } = new MessageChannel();
      ports.push(port1, port2);
      exposeLensApi(service, port1);
      return Object.assign(port2, { terminate: () => port2.close() });
    });
    const events: ExplainEvent[] = [];
    const report = await client.explain('sasrec', 'u3', null, FAST, (e) => events.push(e));
    // Progress travels on the callback proxy's own port, so it may land just after the result.
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(events[0]).toMatchObject({ kind: 'started', item: report.item, rank: report.rank });
    expect(events.at(-1)?.kind).toBe('faithfulness');
    const occlusion = events.find((e) => e.kind === 'method' && e.method === 'occlusion');
    expect(occlusion?.kind === 'method' && occlusion.result).toEqual(report.methods.occlusion);

    // The page's Cancel button, while the worker is busy (the default, slower options).
    const cancelled: ExplainEvent[] = [];
    const running = client.explain('sasrec', 'u3', null, {}, (e) => {
      cancelled.push(e);
      if (e.kind === 'started') void client.cancelExplanation();
    });
    expect((await failure(running)).code).toBe('cancelled');
    expect(cancelled.map((e) => e.kind)).not.toContain('faithfulness');

    // A what-if edit while one runs: the page does not wait, the newer call wins.
    let edited: Promise<unknown> | null = null;
    const superseded = client.explain('sasrec', 'u3', null, {}, (e) => {
      if (e.kind === 'started' && !edited) {
        edited = client.explainHistory('sasrec', { items: historyOf('u3').slice(1) }, null);
      }
    });
    expect((await failure(superseded)).code).toBe('cancelled');
    expect(await edited).toMatchObject({ user: null, unread: historyOf('u3').length - 1 - 6 });
  });
});

describe('the Why view methods on a real model', () => {
  it('agree with the explanation: rank, read window, top-K of an edited history', async () => {
    const own = historyOf('u4');
    const report = await service.explain('sasrec', 'u4', null, FAST, noop);
    const ranked = await service.rankItem('sasrec', 'u4', report.item, null);
    expect(ranked.rank).toBe(report.rank);
    expect(ranked.score).toBeCloseTo(report.score, 5);

    const timeline = await service.userTimeline('sasrec', 'u4');
    expect(timeline.items.map((t) => t.itemId)).toEqual(own);
    expect(timeline.readLimit).toBe(6);
    expect(timeline.items.filter((t) => t.read).map((t) => t.position)).toEqual(
      report.history.map((h) => h.position),
    );
    expect(timeline.items[0]).toMatchObject({
      title: `Title ${own[0].slice(1)}`,
      time: 1_700_000_000_000,
    });
    expect((await service.userTimeline('itemknn', 'u4')).items.every((t) => t.read)).toBe(true);

    // The user's own history as a what-if gives the user's own list.
    const same = await service.recommendHistory('sasrec', { items: own }, 5);
    const recommended = await service.recommend('sasrec', 'u4', 5);
    expect(same.map((r) => r.itemId)).toEqual(recommended.map((r) => r.itemId));

    // An edited history: the rank the view shows "after" is the explanation's.
    const edited = own.slice(0, -2);
    const whatIf = await service.explainHistory(
      'sasrec',
      { items: edited },
      report.item,
      FAST,
      noop,
    );
    const after = await service.rankItem('sasrec', null, report.item, { items: edited });
    expect(after.rank).toBe(whatIf.rank);
    expect((await service.searchItems('title 1', 3)).map((m) => m.title)).toEqual(
      expect.arrayContaining(['Title 1']),
    );
  });
});

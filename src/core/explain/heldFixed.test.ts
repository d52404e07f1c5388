/**
 * A model without a window (itemknn) over a history longer than MAX_EXPLAINED_ITEMS: the older
 * read items are held fixed as context. Its exact contributions must then treat the context as
 * always present (an explained item repeating a context item adds nothing to the distinct-item
 * sum), so they stay Shapley values of the explained items and sum to f(x) − f(context only).
 */
import { describe, expect, it } from 'vitest';
import { temporalLeaveLastOut } from '../train/split';
import { type InteractionRow, makeDataset } from '../train/testing';
import { trainVariant } from '../train/variants';
import { explainRecommendation, MAX_EXPLAINED_ITEMS } from '.';

describe('held-fixed context (itemknn, long history)', () => {
  it('gives items repeated from the context no share, and exact still sums to f(x) − f(∅)', async () => {
    const rows: InteractionRow[] = [];
    // Other users tie items 1..19 and 0 together, so similarities are non-zero.
    for (let u = 0; u < 30; u++) {
      for (let t = 0; t < 12; t++) rows.push([`u${u}`, `i${(u + t) % 20}`, t]);
    }
    // The explained user: 88 old interactions over items 1..10, then 512 over items 1..19.
    const heavy = 'heavy';
    for (let t = 0; t < 88; t++) rows.push([heavy, `i${1 + (t % 10)}`, 1000 + t]);
    for (let t = 0; t < MAX_EXPLAINED_ITEMS; t++) {
      rows.push([heavy, `i${1 + (t % 19)}`, 2000 + t]);
    }
    const dataset = makeDataset(rows);
    const split = temporalLeaveLastOut(dataset);
    const { model } = await trainVariant(dataset, split, 'itemknn');
    const u = dataset.userIds.indexOf(heavy);
    const from = dataset.userOffsets[u];
    const to = dataset.userOffsets[u + 1];
    const history = {
      offsets: Int32Array.of(0, to - from),
      items: dataset.item.slice(from, to),
      timestamps: dataset.timestamp.slice(from, to),
    };
    const item = dataset.itemIds.indexOf('i0');
    const e = await explainRecommendation(
      { model, history, item, itemCategories: dataset.itemCategories, categoryNames: [] },
      { methods: ['exact', 'occlusion'], faithfulness: false },
    );
    expect(e.heldFixed).toBe(88);
    expect(e.read).toBe(600);
    const exact = e.methods.exact;
    if (exact?.status !== 'ok') throw new Error('exact did not run');
    const id = (i: number) => dataset.itemIds[i];
    const inContext = new Set(Array.from({ length: 10 }, (_, k) => `i${1 + k}`));
    let sum = 0;
    for (const a of exact.attributions) {
      sum += a.value;
      if (inContext.has(id(a.item))) expect(a.value, id(a.item)).toBe(0);
    }
    // Items 11..19 occur only in the explained part: some of them are similar to i0.
    expect(exact.attributions.some((a) => !inContext.has(id(a.item)) && a.value > 0)).toBe(true);
    // Efficiency: the explained items together carry exactly f(x) − f(context only).
    expect(sum).toBeCloseTo(e.target.value - e.target.empty, 5);
    model.dispose();
  });
});

/**
 * The models' own attention: sasrec's last-query self-attention (head-averaged) with rollout,
 * din's target attention toward the explained item, twotower's pooling weights; absent, with
 * a reason, where a model has none.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useBackend } from '../models/tfTesting';
import type { TrainedRecommender } from '../models/trained';
import type { ModelId } from '../models/types';
import { historyTokens } from '../train/batches';
import { explainRecommendation } from './engine';
import {
  distinctItems,
  int8,
  MAX_LEN,
  NUM_ITEMS,
  oneHistory,
  request,
  untrained,
  valuesOf,
} from './testing';
import type { AttentionResult, Explanation } from './types';

const sum = (v: readonly number[]) => v.reduce((t, x) => t + x, 0);

function attentionOf(e: Explanation): AttentionResult {
  const a = e.methods.attention;
  if (a?.status !== 'ok') throw new Error(`no attention: ${a?.reason}`);
  return a as AttentionResult;
}

const explainAttention = (
  model: TrainedRecommender,
  history: number[],
  item: number | null = null,
) => explainRecommendation(request(model, history, item), { methods: ['attention'] });

const models = new Map<string, TrainedRecommender>();

beforeAll(async () => {
  await useBackend('wasm');
  for (const id of ['sasrec', 'din', 'twotower', 'gru', 'weighted', 'ncf'] as ModelId[]) {
    models.set(id, untrained(id));
  }
  models.set('twotower-mean', untrained('twotower', 3, { pooling: 'mean' }));
});

afterAll(() => {
  for (const m of models.values()) m.dispose();
});

describe('sasrec self-attention', () => {
  it.each([
    ['a short history', distinctItems(5, 81)],
    ['a full window', distinctItems(MAX_LEN, 82)],
    ['a history longer than the window', distinctItems(MAX_LEN + 3, 83)],
  ])(
    'on %s: the last query’s weights and the rollout each sum to 1 over the read items',
    async (_what, history) => {
      const e = await explainAttention(models.get('sasrec') as TrainedRecommender, history);
      const a = attentionOf(e);
      expect(a.source).toBe('self-attention');
      expect(a.unit).toBe('weight');
      expect(a.blocks).toBe(2);
      expect(a.heads).toBe(2);
      const read = Math.min(history.length, MAX_LEN);
      expect(a.attributions).toHaveLength(read);
      const weights = valuesOf(a.attributions);
      expect(weights.every((w) => w >= 0)).toBe(true);
      expect(sum(weights)).toBeCloseTo(1, 5);
      expect(a.rollout).toHaveLength(read);
      const rollout = valuesOf(a.rollout ?? []);
      expect(rollout.every((w) => w >= 0)).toBe(true);
      expect(sum(rollout)).toBeCloseTo(1, 5);
      // Rollout mixes in the residual path: it is not the last block's weights.
      expect(rollout).not.toEqual(weights);
      expect(a.attributions.map((x) => x.item)).toEqual(history.slice(-read));
    },
  );

  it('matches the model’s own view, head-averaged at the last query', async () => {
    const model = models.get('sasrec') as TrainedRecommender;
    const history = distinctItems(5, 84);
    const a = attentionOf(await explainAttention(model, history));
    const neural = model.neural;
    if (!neural?.capabilities.selfAttention) throw new Error('sasrec lost its view');
    const blocks = neural.capabilities.selfAttention(historyTokens(oneHistory(history), MAX_LEN));
    const last = (await blocks[blocks.length - 1].data()) as Float32Array;
    for (const b of blocks) b.dispose();
    // [1, heads, maxLen, maxLen]: the last query row of each head, read columns.
    const heads = 2;
    const expected = history.map((_, k) => {
      const key = MAX_LEN - history.length + k;
      let total = 0;
      for (let h = 0; h < heads; h++) total += last[(h * MAX_LEN + MAX_LEN - 1) * MAX_LEN + key];
      return total / heads;
    });
    valuesOf(a.attributions).forEach((v, k) => {
      expect(v).toBeCloseTo(expected[k], 6);
    });
  });

  it('passes through the int8 variant, close to the float original', async () => {
    const history = distinctItems(6, 85);
    const q = int8('sasrec');
    try {
      const float = attentionOf(
        await explainAttention(models.get('sasrec') as TrainedRecommender, history),
      );
      const quantized = attentionOf(await explainAttention(q.model, history));
      expect(quantized.source).toBe('self-attention');
      const diff = valuesOf(quantized.attributions).map((v, k) =>
        Math.abs(v - float.attributions[k].value),
      );
      expect(Math.max(...diff)).toBeLessThan(0.05);
    } finally {
      q.dispose();
    }
  });
});

describe('din target attention', () => {
  it('attends toward the explained item: another item gets other weights', async () => {
    const model = models.get('din') as TrainedRecommender;
    const history = distinctItems(6, 86);
    const top = await explainAttention(model, history);
    const other = Array.from({ length: NUM_ITEMS }, (_, j) => j).find(
      (j) => j !== top.item && !history.includes(j),
    ) as number;
    const second = await explainAttention(model, history, other);
    const a = attentionOf(top);
    const b = attentionOf(second);
    expect(a.source).toBe('target-attention');
    expect(b.source).toBe('target-attention');
    expect(a.attributions).toHaveLength(6);
    expect(valuesOf(b.attributions)).not.toEqual(valuesOf(a.attributions));
    // Each is exactly the model's view toward that item.
    const neural = model.neural;
    if (!neural?.capabilities.targetAttention) throw new Error('din lost its view');
    const tokens = historyTokens(oneHistory(history), neural.maxLen);
    for (const [result, item] of [
      [a, top.item],
      [b, other],
    ] as const) {
      const view = neural.capabilities.targetAttention(tokens, Int32Array.of(item));
      const all = Array.from(await view.data());
      view.dispose();
      const expected = all.slice(neural.maxLen - history.length);
      valuesOf(result.attributions).forEach((v, k) => {
        expect(v).toBeCloseTo(expected[k], 6);
      });
    }
  });
});

describe('twotower pooling', () => {
  it('reports attention pooling weights summing to 1 over the read items', async () => {
    const a = attentionOf(
      await explainAttention(models.get('twotower') as TrainedRecommender, distinctItems(5, 87)),
    );
    expect(a.source).toBe('pooling');
    expect(a.attributions).toHaveLength(5);
    expect(sum(valuesOf(a.attributions))).toBeCloseTo(1, 5);
    expect(new Set(valuesOf(a.attributions).map((v) => v.toFixed(6))).size).toBeGreaterThan(1);
  });

  it('reports 1/n per item under mean pooling', async () => {
    const a = attentionOf(
      await explainAttention(
        models.get('twotower-mean') as TrainedRecommender,
        distinctItems(4, 88),
      ),
    );
    expect(a.source).toBe('pooling');
    for (const v of valuesOf(a.attributions)) expect(v).toBeCloseTo(0.25, 6);
  });
});

describe('models without attention', () => {
  it.each(['gru', 'weighted', 'ncf'])('%s: attention is unavailable, with a reason', async (id) => {
    const e = await explainAttention(models.get(id) as TrainedRecommender, distinctItems(5, 89));
    const a = e.methods.attention;
    expect(a?.status).toBe('unavailable');
    if (a?.status === 'unavailable') expect(a.reason).toMatch(new RegExp(`${id} has no attention`));
  });
});

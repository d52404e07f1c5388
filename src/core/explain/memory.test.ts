/**
 * No explanation leaks a tensor: for every model, the live tensor count after 200 explanation
 * calls (every method, both targets, both removals, both IG baselines, histories shorter and
 * longer than the window) equals the count before them (after a warm-up that builds what a
 * model keeps, such as the int8 variant's dequantised copy). Split over three files so they
 * can run side by side: memory (baselines, pooling models), memoryAttention (din, int8 din,
 * sasrec), memoryRecurrent (gru, layered).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { useBackend } from '../models/tfTesting';
import type { ModelId } from '../models/types';
import { LOOP_HYPER, tensorCountsOverCalls, trained, untrained } from './testing';

const CALLS = 200;

beforeAll(async () => {
  await useBackend('wasm');
});

describe.each(['pop', 'itemknn', 'weighted', 'twotower', 'ncf'] as ModelId[])('%s', (id) => {
  it(`holds no more tensors after ${CALLS} explanations`, async () => {
    const model =
      id === 'pop' || id === 'itemknn' ? await trained(id) : untrained(id, 3, LOOP_HYPER);
    try {
      const { before, after } = await tensorCountsOverCalls(model, CALLS);
      expect(after).toBe(before);
    } finally {
      model.dispose();
    }
  });
});

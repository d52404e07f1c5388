/** Tensor leak check (see memory.test.ts) for the recurrent models, layered with categories. */
import { beforeAll, describe, expect, it } from 'vitest';
import { useBackend } from '../models/tfTesting';
import type { ModelId } from '../models/types';
import { LOOP_HYPER, tensorCountsOverCalls, untrained } from './testing';

const CALLS = 200;

beforeAll(async () => {
  await useBackend('wasm');
});

describe.each(['gru', 'layered'] as ModelId[])('%s', (id) => {
  it(`holds no more tensors after ${CALLS} explanations`, async () => {
    const model = untrained(id, 3, LOOP_HYPER);
    try {
      const { before, after } = await tensorCountsOverCalls(model, CALLS);
      expect(after).toBe(before);
    } finally {
      model.dispose();
    }
  });
});

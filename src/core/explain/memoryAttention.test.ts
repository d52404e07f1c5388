/** Tensor leak check (see memory.test.ts) for the attention models and an int8 variant. */
import { beforeAll, describe, expect, it } from 'vitest';
import { useBackend } from '../models/tfTesting';
import type { ModelId } from '../models/types';
import { int8, LOOP_HYPER, tensorCountsOverCalls, untrained } from './testing';

const CALLS = 200;

beforeAll(async () => {
  await useBackend('wasm');
});

describe.each(['din', 'sasrec'] as ModelId[])('%s', (id) => {
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

describe('int8 din', () => {
  it(`holds no more tensors after ${CALLS} explanations`, async () => {
    const q = int8('din', 3, LOOP_HYPER);
    try {
      const { before, after } = await tensorCountsOverCalls(q.model, CALLS);
      expect(after).toBe(before);
    } finally {
      q.dispose();
    }
  });
});

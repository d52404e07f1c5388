/**
 * The valid model files the model-file fuzz mutates (see `modelCase` in ./generators), all over
 * one small dataset (the explanation tests' categorised cycle: 12 users, 20 items, 4
 * categories), so an unmutated file loads with `loadSavedModel` on it: pop and itemknn (fitted),
 * gru (one epoch, so its record has metrics and curves), and untrained twotower (with item
 * features), layered and sasrec with the explanation tests' tiny hyper-parameters.
 */
import type { Dataset } from '../data/types';
import { TINY_HYPER, testData, untrained } from '../explain/testing';
import type { ModelId } from '../models/types';
import { encodeModel } from '../persist/format';
import { craftedRecord } from '../persist/testModelFiles';
import { trainVariant } from '../train/variants';
import type { ModelBase } from './generators';

export async function fuzzModelBases(): Promise<{ dataset: Dataset; bases: ModelBase[] }> {
  const { dataset, split, features } = testData();
  const bases: ModelBase[] = [];
  const save = (id: ModelId, run: () => ReturnType<typeof encodeModel>) =>
    bases.push({ name: id, files: run() });
  for (const id of ['pop', 'itemknn', 'gru'] as const) {
    const { model, record } = await trainVariant(dataset, split, id, {
      hyper: id === 'gru' ? TINY_HYPER.gru : undefined,
      epochs: 1,
      patience: 1,
      batchSize: 16,
      seed: 5,
      features,
    });
    try {
      save(id, () => encodeModel(model, record, dataset, 'fuzz.csv', id));
    } finally {
      model.dispose();
    }
  }
  for (const id of ['twotower', 'layered', 'sasrec'] as const) {
    const model = untrained(id);
    try {
      save(id, () =>
        encodeModel(model, craftedRecord(id, model.hyper), dataset, 'fuzz.csv', `${id}`),
      );
    } finally {
      model.dispose();
    }
  }
  return { dataset, bases };
}

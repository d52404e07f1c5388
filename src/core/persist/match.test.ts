import { describe, expect, it } from 'vitest';
import type { HistoryBatch } from '../models/baseline-types';
import { ModelFileError } from '../models/modelFileError';
import { cycleDataset } from '../models/tfTesting';
import { evaluate } from '../train/evaluate';
import { temporalLeaveLastOut } from '../train/split';
import { type InteractionRow, makeDataset } from '../train/testing';
import { topK, trainVariant } from '../train/variants';
import { decodeModel } from './decode';
import { encodeModel } from './format';
import { matchDataset } from './match';
import { loadSavedModel } from './restore';

const original = cycleDataset(40, 30, 9);
const split = temporalLeaveLastOut(original);
const knn = await trainVariant(original, split, 'itemknn');
const files = encodeModel(knn.model, knn.record, original, 'cycle.csv', 'knn');
const { meta } = decodeModel(files.modelJson, files.weightsBin);

/** 20 users over `ids`, each walking 6 consecutive ids. */
function datasetOver(ids: string[]) {
  const rows: InteractionRow[] = [];
  for (let u = 0; u < 20; u++) {
    for (let t = 0; t < 6; t++) rows.push([`v${u}`, ids[(3 * u + t) % ids.length], 1000 * t]);
  }
  return makeDataset(rows);
}

const history = (items: number[]): HistoryBatch => ({
  offsets: Int32Array.of(0, items.length),
  items: Int32Array.from(items),
  timestamps: new Float64Array(items.length),
});

describe('matchDataset', () => {
  it('says same for the data the model was trained on', () => {
    expect(matchDataset(meta, original)).toEqual({ status: 'same' });
  });

  it('maps by item id when other data shares enough items, saying how many', () => {
    // 18 of the model's 30 ids plus 12 new ones: 60 % of this dataset is known.
    const ids = [
      ...original.itemIds.slice(0, 18),
      ...Array.from({ length: 12 }, (_, i) => `new${i}`),
    ];
    const other = datasetOver(ids);
    const match = matchDataset(meta, other);
    if (match.status !== 'mapped') throw new Error(`expected mapped, got ${match.status}`);
    expect(match).toMatchObject({ mappedItems: 18, unknownItems: 12, absentItems: 12 });
    for (let j = 0; j < 30; j++) {
      const at = match.itemMap[j];
      expect(at === -1 ? null : other.itemIds[at]).toBe(j < 18 ? original.itemIds[j] : null);
    }
  });

  it('refuses, with the overlap in the reason, when too few items are known', () => {
    const ids = [...original.itemIds.slice(0, 5), ...Array.from({ length: 20 }, (_, i) => `x${i}`)];
    const match = matchDataset(meta, datasetOver(ids));
    expect(match).toEqual({
      status: 'refused',
      reason:
        'This model was trained on other data ("cycle.csv"): it knows only 5 of this dataset\'s 25 items (20.0 %), and at least 50.0 % are needed to map item ids.',
    });
    expect(() => loadSavedModel(files.modelJson, files.weightsBin, datasetOver(ids))).toThrow(
      ModelFileError,
    );
  });
});

describe('a model mapped onto other data', () => {
  const ids = [
    ...original.itemIds.slice(0, 18),
    ...Array.from({ length: 12 }, (_, i) => `new${i}`),
  ];
  const other = datasetOver(ids);
  const loaded = loadSavedModel(files.modelJson, files.weightsBin, other);
  const index = (id: string) => other.itemIds.indexOf(id);
  const originalIndex = (id: string) => original.itemIds.indexOf(id);

  it('scores known items as the original does and unknown ones -Infinity', async () => {
    expect(loaded.match.status).toBe('mapped');
    expect(loaded.model.numItems).toBe(30);
    expect(loaded.model.neural).toBeNull();
    const known = ['i3', 'i4'].filter((id) => index(id) >= 0);
    expect(known.length).toBe(2);
    // A history with one item the model never saw: that item is skipped.
    const mapped = await loaded.model.score(
      Int32Array.of(0),
      history([index('i3'), index('new0'), index('i4')]),
    );
    const direct = await knn.model.score(Int32Array.of(0), history(known.map(originalIndex)));
    for (let i = 0; i < other.itemIds.length; i++) {
      const id = other.itemIds[i];
      expect(mapped[i], id).toBe(
        id.startsWith('new') ? Number.NEGATIVE_INFINITY : direct[originalIndex(id)],
      );
    }
  });

  it('never recommends unknown items, evaluates without NaN, and cannot be saved again', async () => {
    const top = await topK(loaded.model, history([index('i3')]), 30, true);
    expect(top.length).toBe(17);
    expect(top.every((t) => !other.itemIds[t.item].startsWith('new'))).toBe(true);
    const report = (
      await evaluate(loaded.model.score, temporalLeaveLastOut(other), { which: 'test' })
    ).report;
    expect(report.usersEvaluated).toBe(20);
    expect(() => encodeModel(loaded.model, knn.record, other, 'other.csv', 'again')).toThrow(
      /cannot be saved again; export the original model file instead/,
    );
  });
});

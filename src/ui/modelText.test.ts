import { describe, expect, it } from 'vitest';
import { formatMetric, formatSeconds, protocolLabel, sourceText, trainingLine } from './modelText';

describe('model panel wording', () => {
  it('labels the full-ranking protocol exactly, and the sampled one as such', () => {
    expect(protocolLabel('full-ranking')).toBe(
      'full ranking, seen items excluded, leave-last-out test',
    );
    expect(protocolLabel('sampled-100')).toMatch(/^sampled: 100 random unseen negatives/);
  });

  it('formats metrics, durations and the progress line', () => {
    expect(formatMetric(0.123456)).toBe('0.1235');
    expect(formatMetric(null)).toBe('—');
    expect(formatMetric(Number.NaN)).toBe('—');
    expect(formatSeconds(0.42)).toBe('0.4 s');
    expect(formatSeconds(125)).toBe('2 min 5 s');
    const run = { epochs: 5, epoch: 2, batch: 3, batches: 40, loss: 5.5, examplesPerSec: 1234.4 };
    expect(trainingLine(run)).toBe('Epoch 2 of 5, batch 3 of 40 · loss 5.5000 · 1234 examples/s');
    expect(trainingLine({ ...run, epochs: 0 })).toBe('Fitting and evaluating…');
  });

  it('says where a model came from and how its items were matched', () => {
    expect(sourceText({ kind: 'trained' })).toBe('Trained in this page.');
    const mapped = sourceText({
      kind: 'imported',
      name: 'gru v1',
      datasetName: 'other.csv',
      match: 'mapped',
      matchNote: '90 items matched by id',
    });
    expect(mapped).toContain('Imported from files (“gru v1”)');
    expect(mapped).toContain('trained on other.csv, mapped onto this dataset by item id: 90 items');
  });
});

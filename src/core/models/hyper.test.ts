import { describe, expect, it } from 'vitest';
import {
  AUTO_SOFTMAX_MAX_ITEMS,
  candidateSampling,
  describeNextItemLoss,
  parseHyperText,
  resolveAutoLoss,
  resolveHyper,
  SEQUENCE_HYPER,
} from './hyper';
import { createModel } from './registry';
import { useBackend } from './tfTesting';

describe('parseHyperText', () => {
  it('reads numbers as numbers and other values as names, trimming spaces', () => {
    expect(parseHyperText('maxLen=20, dim = 32,loss=softmax,dropout=0.5')).toEqual({
      maxLen: 20,
      dim: 32,
      loss: 'softmax',
      dropout: 0.5,
    });
  });

  it.each([
    ['maxLen', '"maxLen"'],
    ['maxLen=', '"maxLen="'],
    ['=3', '"=3"'],
    ['a=1=2', '"a=1=2"'],
    ['dim=8,,maxLen=3', '""'],
  ])('refuses the malformed pair in %s', (text, quoted) => {
    expect(() => parseHyperText(text)).toThrow(
      `hyper-parameters are name=value pairs separated by commas; got ${quoted}`,
    );
  });

  it('refuses a repeated name', () => {
    expect(() => parseHyperText('dim=8,dim=16')).toThrow(
      'hyper-parameter dim is given more than once',
    );
  });
});

describe('resolveHyper', () => {
  it('fills defaults and keeps given values', () => {
    const out = resolveHyper('gru', SEQUENCE_HYPER, { maxLen: 20 });
    expect(out.maxLen).toBe(20);
    expect(out.dim).toBe(SEQUENCE_HYPER.dim.default);
  });

  it('lists every problem in one message', () => {
    expect(() =>
      resolveHyper('gru', SEQUENCE_HYPER, { dims: 8, maxLen: 1, dropout: 2, loss: 'mse' }),
    ).toThrow(
      'Invalid gru hyper-parameters: unknown parameter dims; maxLen must be an integer in 2..512; got 1; dropout must be a number in 0..0.9; got 2; loss must be one of',
    );
  });
});

describe('the next-item loss auto picks and describes', () => {
  const defaults = resolveHyper('sasrec', SEQUENCE_HYPER, {});

  it('keeps the exact softmax up to AUTO_SOFTMAX_MAX_ITEMS items and samples above', () => {
    expect(AUTO_SOFTMAX_MAX_ITEMS).toBe(12_000);
    expect(resolveAutoLoss(defaults, 12_000).loss).toBe('softmax');
    expect(resolveAutoLoss(defaults, 12_001).loss).toBe('sampled-softmax');
    expect(resolveAutoLoss({ ...defaults, loss: 'bce' }, 50_000).loss).toBe('bce');
  });

  it('samples candidates only for the sampled softmax, by its parameters', () => {
    expect(candidateSampling(resolveAutoLoss(defaults, 100))).toBeUndefined();
    expect(candidateSampling(resolveAutoLoss(defaults, 20_000))).toEqual({
      negatives: 256,
      popularity: 0.5,
      inBatch: true,
    });
    const off = { ...defaults, loss: 'sampled-softmax', inBatchNegatives: 'off' };
    expect(candidateSampling(off)?.inBatch).toBe(false);
  });

  it('says in one line which loss a model trains with (the training record shows it)', async () => {
    await useBackend('wasm');
    expect(describeNextItemLoss(resolveAutoLoss(defaults, 1682), 1682)).toBe(
      'softmax over all 1,682 items (exact)',
    );
    expect(describeNextItemLoss(resolveAutoLoss(defaults, 20_000), 20_000)).toBe(
      "sampled softmax over 20,000 items: 256 negatives a batch drawn 50% by popularity^0.75, 50% uniformly, plus the batch's targets, log-Q corrected",
    );
    const uniform = {
      ...defaults,
      loss: 'sampled-softmax',
      popularNegatives: 0,
      inBatchNegatives: 'off',
    };
    expect(describeNextItemLoss(uniform, 500)).toBe(
      'sampled softmax over 500 items: 256 negatives a batch drawn uniformly, log-Q corrected',
    );
    expect(describeNextItemLoss({ ...defaults, loss: 'bce' }, 500)).toBe(
      'binary cross-entropy, 1 uniform negative(s) per position',
    );
    const model = createModel('gru', 20_000, { dim: 8, maxLen: 4 });
    expect(model.lossDescription).toMatch(/^sampled softmax over 20,000 items/);
    expect(model.trainingCandidates).toEqual({ negatives: 256, popularity: 0.5, inBatch: true });
    expect(model.trainingSharedNegatives).toBe(0);
    model.dispose();
  });
});

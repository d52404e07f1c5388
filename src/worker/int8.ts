/**
 * The int8 variant of a trained neural model, derived in the worker and evaluated exactly like
 * its float original (same split, same metric code), so the card can show what compression
 * costs in accuracy and what it saves in bytes.
 */
import type { QuantizedRecommender } from '../core/models/quantizedRecommender';
import { quantizedVariant } from '../core/models/quantizedRecommender';
import { NEURAL_MODELS } from '../core/models/registry';
import {
  type ItemFeatures,
  perUserRanks,
  type TrainedRecommender,
  type TrainingRecord,
} from '../core/models/trained';
import { evaluate } from '../core/train/evaluate';
import { neuralRecommender } from '../core/train/neuralVariant';
import type { LeaveLastOutSplit } from '../core/train/split';

export interface Int8Variant {
  model: TrainedRecommender;
  record: TrainingRecord;
  bytes: { float32: number; int8: number };
}

/**
 * Quantises `original` (which stays untouched and owned by the caller) and evaluates the
 * result on validation and test. Baselines have no weight matrices to quantise: refused.
 */
export async function deriveInt8Variant(
  original: TrainedRecommender,
  record: TrainingRecord,
  split: LeaveLastOutSplit,
  features: ItemFeatures | null,
): Promise<Int8Variant> {
  const entry = NEURAL_MODELS[original.id];
  if (!original.neural || !entry) {
    throw new Error(`${original.id} is not a neural model: there are no weights to quantise.`);
  }
  const started = performance.now();
  const quantized: QuantizedRecommender = quantizedVariant(original.neural, entry.factory, {
    features: original.features ?? features ?? undefined,
  });
  const model = neuralRecommender(quantized, original.features ?? features);
  try {
    const evaluateOn = async (which: 'validation' | 'test') =>
      evaluate(model.score, split, { which, k: [10, 20] });
    const validation = (await evaluateOn('validation')).report;
    const tested = await evaluateOn('test');
    const test = tested.report;
    return {
      model,
      bytes: quantized.bytes,
      record: {
        ...record,
        validation,
        test,
        testRanks: perUserRanks(tested.users, tested.ranks),
        // Derived, not trained: the seconds are those of quantising and evaluating.
        trainSeconds: (performance.now() - started) / 1000,
        trainedAt: new Date().toISOString(),
      },
    };
  } catch (error) {
    model.dispose();
    throw error;
  }
}

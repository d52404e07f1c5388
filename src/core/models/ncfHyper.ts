/** The documented hyper-parameters of `ncf` (see ncf.ts), kept apart so the model file stays small. */
import { type HyperSpec, historyLength, SEQUENCE_HYPER } from './hyper';

export const NCF_HYPER: Record<string, HyperSpec> = {
  // The user side is a mean over the history, which has no notion of order: reading only the
  // 20 most recent items makes it a recent-interest mean. ml-100k validation NDCG@10 in 2 min
  // (lr 0.01): 0.084 at maxLen 20, batch 32; 0.072 at 50, batch 64; 0.064 at 50, batch 128.
  maxLen: historyLength(20),
  dim: SEQUENCE_HYPER.dim,
  dropout: SEQUENCE_HYPER.dropout,
  mlpLayers: { kind: 'int', default: 1, min: 1, max: 2, doc: 'ReLU layers of the MLP branch.' },
  loss: {
    kind: 'enum',
    default: 'bce',
    values: ['bce', 'sampled-softmax'],
    doc:
      'bce: binary cross-entropy of the target against `negatives` sampled items (NeuMF); ' +
      'sampled-softmax: cross-entropy of the target against those same sampled items.',
  },
  negatives: {
    kind: 'int',
    default: 4,
    min: 1,
    max: 1000,
    doc: 'Sampled negatives per training example (NeuMF used 4).',
  },
};

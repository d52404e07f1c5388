/** The documented hyper-parameters of `ncf` (see ncf.ts), kept apart so the model file stays small. */
import { type HyperSpec, SEQUENCE_HYPER } from './hyper';

export const NCF_HYPER: Record<string, HyperSpec> = {
  maxLen: SEQUENCE_HYPER.maxLen,
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

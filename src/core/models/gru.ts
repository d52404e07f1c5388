/**
 * `gru`: the GRU4Rec-style next-item model. Item embeddings feed a gated recurrent unit whose
 * state after each step is the user's interest at that moment (the "interest evolution" of the
 * seed papers); the state is scored against the same item embeddings (tied weights).
 *
 * Speed on wasm: the input projection of every step is ONE `[batch * maxLen, d] x [d, 3d]`
 * matmul; only the recurrent `[batch, d] x [d, 3d]` product runs per step. Left padding is
 * skipped by holding the state where the mask is 0, so padding never changes the result.
 *
 * Scale: the tied item table starts small (glorot, std about 0.035 for 1,600 items), so fed as
 * is the gates see near-zero inputs, the state stays near zero and every score starts near 0:
 * the loss stayed near the uniform-softmax value for epochs at the default learning rate (on
 * ml-100k, below pop after a 2-minute run). As sasrec does, the embeddings are multiplied by
 * sqrt(dim) on the way in and the read-out ends in a layer norm, so inputs and the scored
 * interest have unit scale from the first step whatever the catalogue size. Measured on
 * ml-100k at the defaults (wasm, seed 7), test NDCG@10 / HR@10 after 3 epochs: 0.053 / 0.104
 * against 0.018 / 0.036 without them (pop 0.045 / 0.086); 0.062 / 0.118 after 5 epochs.
 *
 * The cell ({@link addGruLayerWeights}, {@link gruStates}) is the one GRU of the code base:
 * layered.ts shares this model's weights, and interests/evolution.ts builds its own with other
 * input, state and output widths.
 */
import * as tf from '../tf';
import { type HyperSpec, resolveAutoLoss, resolveHyper, SEQUENCE_HYPER } from './hyper';
import { dense, dropout, layerNorm, matMul } from './layers';
import { SequenceRecommender } from './sequential';
import type { HyperParameters, NeuralRecommender } from './types';
import { glorotNormal, type SeedStream, type WeightSet } from './weights';

/** gru's parameters: the shared sequence ones (the GRU has `dim` units, so its state is tied to the item table). */
export const GRU_HYPER: Record<string, HyperSpec> = { ...SEQUENCE_HYPER };

/** A GRU cell's weights: gates in the order reset, update, candidate (as Keras and cuDNN lay them out). */
export interface GruCellWeights {
  /** `[input, 3 * state]`. */
  inputKernel: tf.Variable;
  inputBias: tf.Variable;
  /** `[state, 3 * state]`. */
  recurrentKernel: tf.Variable;
  recurrentBias: tf.Variable;
}

/**
 * The GRU's weights, under the names saved models use (`gru_*`; layered.ts shares them): the
 * cell, then a linear read-out of the state (as GRU4Rec implementations have): the state is
 * bounded by tanh, the projection lets the scores' scale grow without inflating the item table.
 */
export interface GruWeights extends GruCellWeights {
  /** `[state, output]`. */
  outputKernel: tf.Variable;
  outputBias: tf.Variable;
}

/** Widths of a GRU: its inputs, its state (the units) and its linear read-out. */
export interface GruSize {
  input: number;
  state: number;
  output: number;
}

/**
 * Registers a GRU's weights of `size` in `weights` as `${prefix}input_kernel`,
 * `${prefix}input_bias`, `${prefix}recurrent_kernel`, `${prefix}recurrent_bias`,
 * `${prefix}output_kernel` and `${prefix}output_bias`, drawing three kernel seeds from `seeds`
 * (input, recurrent, output kernel, in that order); the biases start at zero.
 */
export function addGruLayerWeights(
  weights: WeightSet,
  size: GruSize,
  seeds: SeedStream,
  prefix: string,
): GruWeights {
  const { input, state, output } = size;
  return {
    inputKernel: weights.add(
      `${prefix}input_kernel`,
      glorotNormal([input, 3 * state], seeds.next()),
    ),
    inputBias: weights.add(`${prefix}input_bias`, tf.zeros([3 * state])),
    recurrentKernel: weights.add(
      `${prefix}recurrent_kernel`,
      glorotNormal([state, 3 * state], seeds.next()),
    ),
    recurrentBias: weights.add(`${prefix}recurrent_bias`, tf.zeros([3 * state])),
    outputKernel: weights.add(
      `${prefix}output_kernel`,
      glorotNormal([state, output], seeds.next()),
    ),
    outputBias: weights.add(`${prefix}output_bias`, tf.zeros([output])),
  };
}

/** Registers a `d`-unit GRU's weights (`gru_*`, d inputs and outputs) in `weights`, drawing three kernel seeds from `seeds`. */
export function addGruWeights(weights: WeightSet, d: number, seeds: SeedStream): GruWeights {
  return addGruLayerWeights(weights, { input: d, state: d, output: d }, seeds, 'gru_');
}

/**
 * The GRU's state after every step `[batch, maxLen, state]` for inputs `x` `[batch, maxLen,
 * input]` and the padding mask: one input projection for all steps, then the recurrence. A
 * padding step (mask 0) keeps the previous state, so left padding is a no-op. The state width
 * is the recurrent kernel's, so it may differ from the input width. The read-out is left to the
 * caller.
 */
export function gruStates(x: tf.Tensor3D, mask: tf.Tensor2D, w: GruCellWeights): tf.Tensor3D {
  const [batch, len] = x.shape;
  const units = w.recurrentKernel.shape[0];
  const projected = dense(x, w.inputKernel as tf.Tensor2D, w.inputBias as tf.Tensor1D);
  const steps = tf.unstack(projected, 1) as tf.Tensor2D[];
  const present = tf.unstack(tf.expandDims(mask, 2), 1) as tf.Tensor2D[];
  let state: tf.Tensor2D = tf.zeros([batch, units]);
  const states: tf.Tensor2D[] = [];
  for (let t = 0; t < len; t++) {
    const [xr, xz, xn] = tf.split(steps[t], 3, 1);
    const recurrent = tf.add(matMul(state, w.recurrentKernel), w.recurrentBias);
    const [hr, hz, hn] = tf.split(recurrent, 3, 1);
    const reset = tf.sigmoid(tf.add(xr, hr));
    const update = tf.sigmoid(tf.add(xz, hz));
    const candidate = tf.tanh(tf.add(xn, tf.mul(reset, hn)));
    const next = tf.add(tf.mul(tf.sub(1, update), candidate), tf.mul(update, state));
    state = tf.add(state, tf.mul(present[t], tf.sub(next, state))) as tf.Tensor2D;
    states.push(state);
  }
  return tf.stack(states, 1) as tf.Tensor3D;
}

class GruRecommender extends SequenceRecommender {
  private readonly gru: GruWeights;
  private readonly outputNormGain: tf.Variable;
  private readonly outputNormBias: tf.Variable;

  constructor(numItems: number, hyper: HyperParameters, seed: number) {
    super('gru', numItems, hyper, seed);
    const d = this.embeddingDim;
    this.gru = addGruWeights(this.weights, d, this.initSeeds);
    // Final layer norm of the read-out (as sasrec's): unit-scale interest from the first step.
    this.outputNormGain = this.weights.add('gru_output_norm_gain', tf.ones([d]));
    this.outputNormBias = this.weights.add('gru_output_norm_bias', tf.zeros([d]));
  }

  protected encode(emb: tf.Tensor3D, mask: tf.Tensor2D, training: boolean): tf.Tensor3D {
    const d = emb.shape[2];
    // sqrt(d) brings the small tied embeddings to unit scale (see the file comment).
    const x = dropout(
      tf.mul(emb, Math.sqrt(d)),
      training ? this.dropoutRate : 0,
      training ? this.dropoutSeeds.next() : null,
    ) as tf.Tensor3D;
    const dropped = dropout(
      gruStates(x, mask, this.gru),
      training ? this.dropoutRate : 0,
      training ? this.dropoutSeeds.next() : null,
    );
    const readOut = dense(
      dropped,
      this.gru.outputKernel as tf.Tensor2D,
      this.gru.outputBias as tf.Tensor1D,
    );
    return layerNorm(
      readOut,
      this.outputNormGain as tf.Tensor1D,
      this.outputNormBias as tf.Tensor1D,
    ) as tf.Tensor3D;
  }
}

/** Builds a seeded `gru` model; `hyper` is checked against {@link GRU_HYPER}. */
export function createGru(
  numItems: number,
  hyper: HyperParameters,
  seed: number,
): NeuralRecommender {
  const resolved = resolveAutoLoss(resolveHyper('gru', GRU_HYPER, hyper), numItems);
  return new GruRecommender(numItems, resolved, seed);
}

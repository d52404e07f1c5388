/**
 * `sasrec`: self-attentive sequential recommendation (Kang and McAuley, 2018). Item plus
 * learned position embeddings go through causal self-attention blocks (pre-norm query, residual,
 * point-wise feed-forward), as in the authors' reference code; the output at each position is
 * scored against the item embeddings (tied). Its attention weights are exposed for the
 * attention view.
 *
 * Every projection is a 2-D matmul over `[batch * maxLen, d]`; only the attention itself
 * (`[maxLen, maxLen]` per head) is a batched product.
 */
import * as tf from '../tf';
import { embeddingLookup, gatherRows } from './embedding';
import { type HyperSpec, resolveAutoLoss, resolveHyper, SEQUENCE_HYPER } from './hyper';
import { localIndex } from './itemContent';
import {
  dense,
  dropout,
  layerNorm,
  matMul,
  paddingMask,
  swapLastAxes,
  tokenTensor,
} from './layers';
import { SequenceRecommender } from './sequential';
import type {
  HistoryTokens,
  HyperParameters,
  NeuralCapabilities,
  NeuralRecommender,
} from './types';
import { glorotNormal } from './weights';

/** sasrec's parameters: the shared sequence ones plus depth and heads. */
export const SASREC_HYPER: Record<string, HyperSpec> = {
  ...SEQUENCE_HYPER,
  blocks: {
    kind: 'int',
    default: 1,
    min: 1,
    max: 4,
    doc: 'Self-attention blocks (the paper uses 2; 1 trains twice as fast on wasm and scored higher on ml-100k within a 2-minute budget).',
  },
  heads: { kind: 'int', default: 1, min: 1, max: 8, doc: 'Attention heads (must divide dim).' },
};

/** Added to disallowed attention logits; large but finite so fully masked rows stay finite. */
const MASKED = -1e9;

interface Block {
  attentionGain: tf.Variable;
  attentionBias: tf.Variable;
  query: [tf.Variable, tf.Variable];
  key: [tf.Variable, tf.Variable];
  value: [tf.Variable, tf.Variable];
  output: [tf.Variable, tf.Variable];
  feedForwardGain: tf.Variable;
  feedForwardBias: tf.Variable;
  inner: [tf.Variable, tf.Variable];
  outer: [tf.Variable, tf.Variable];
}

class SasRecRecommender extends SequenceRecommender {
  private readonly heads: number;
  private readonly positions: tf.Variable;
  private readonly blocks: Block[] = [];
  private readonly finalGain: tf.Variable;
  private readonly finalBias: tf.Variable;
  /** Set while {@link selfAttention} runs: receives every block's weights. */
  private captured: tf.Tensor4D[] = [];
  private capturing = false;

  override readonly capabilities: NeuralCapabilities = {
    selfAttention: (h) => this.selfAttentionWeights(h),
  };

  constructor(numItems: number, hyper: HyperParameters, seed: number) {
    super('sasrec', numItems, hyper, seed);
    this.heads = hyper.heads as number;
    const d = this.embeddingDim;
    if (d % this.heads !== 0) {
      throw new RangeError(`sasrec: heads (${this.heads}) must divide dim (${d}).`);
    }
    const w = this.weights;
    const seeds = this.initSeeds;
    const denseLayer = (name: string): [tf.Variable, tf.Variable] => [
      w.add(`${name}_kernel`, glorotNormal([d, d], seeds.next())),
      w.add(`${name}_bias`, tf.zeros([d])),
    ];
    this.positions = w.add('position_embedding', glorotNormal([this.maxLen, d], seeds.next()));
    for (let i = 0; i < (hyper.blocks as number); i++) {
      this.blocks.push({
        attentionGain: w.add(`block${i}_attention_norm_gain`, tf.ones([d])),
        attentionBias: w.add(`block${i}_attention_norm_bias`, tf.zeros([d])),
        query: denseLayer(`block${i}_query`),
        key: denseLayer(`block${i}_key`),
        value: denseLayer(`block${i}_value`),
        output: denseLayer(`block${i}_attention_output`),
        feedForwardGain: w.add(`block${i}_feed_forward_norm_gain`, tf.ones([d])),
        feedForwardBias: w.add(`block${i}_feed_forward_norm_bias`, tf.zeros([d])),
        inner: denseLayer(`block${i}_feed_forward_inner`),
        outer: denseLayer(`block${i}_feed_forward_outer`),
      });
    }
    this.finalGain = w.add('final_norm_gain', tf.ones([d]));
    this.finalBias = w.add('final_norm_bias', tf.zeros([d]));
  }

  private drop(x: tf.Tensor, training: boolean): tf.Tensor {
    return training ? dropout(x, this.dropoutRate, this.dropoutSeeds.next()) : x;
  }

  /** 0 where query q may attend to key k (k <= q and k is an item), a large negative elsewhere: `[batch, 1, L, L]`. */
  private attentionLogitBias(mask: tf.Tensor2D): tf.Tensor4D {
    const len = this.maxLen;
    const causal = tf.linalg.bandPart(tf.ones([len, len]), -1, 0);
    const allowed = tf.mul(tf.reshape(causal, [1, 1, len, len]), tf.reshape(mask, [-1, 1, 1, len]));
    return tf.mul(tf.sub(1, allowed), MASKED) as tf.Tensor4D;
  }

  private selfAttention(
    query: tf.Tensor,
    keys: tf.Tensor,
    logitBias: tf.Tensor4D,
    block: Block,
    training: boolean,
  ): tf.Tensor {
    const [batch, len, d] = query.shape as [number, number, number];
    const headDim = d / this.heads;
    // Queries may be fewer than keys (the last position only, see lastHidden).
    const splitHeads = (x: tf.Tensor) =>
      tf.transpose(tf.reshape(x, [batch, x.shape[1] as number, this.heads, headDim]), [0, 2, 1, 3]);
    const q = splitHeads(
      dense(query, block.query[0] as tf.Tensor2D, block.query[1] as tf.Tensor1D),
    );
    const k = splitHeads(dense(keys, block.key[0] as tf.Tensor2D, block.key[1] as tf.Tensor1D));
    const v = splitHeads(dense(keys, block.value[0] as tf.Tensor2D, block.value[1] as tf.Tensor1D));
    const logits = tf.add(tf.div(matMul(q, swapLastAxes(k)), Math.sqrt(headDim)), logitBias);
    const weights = tf.softmax(logits) as tf.Tensor4D;
    if (this.capturing) this.captured.push(tf.keep(weights));
    const mixed = matMul(this.drop(weights, training), v);
    const merged = tf.reshape(tf.transpose(mixed, [0, 2, 1, 3]), [batch, len, d]);
    return dense(merged, block.output[0] as tf.Tensor2D, block.output[1] as tf.Tensor1D);
  }

  protected encode(emb: tf.Tensor3D, mask: tf.Tensor2D, training: boolean): tf.Tensor3D {
    return this.run(emb, mask, training, false);
  }

  /**
   * The last position's state without computing the others' outputs in the last block: its
   * query, attention row, feed-forward and norms run for one position (keys and values still
   * cover them all). The same numbers as slicing {@link encode}, at a fraction of the cost of
   * the scoring and perturbation paths (about 3x less work per history at 1 block).
   */
  protected override lastHidden(emb: tf.Tensor3D, mask: tf.Tensor2D): tf.Tensor2D {
    const [batch, , d] = emb.shape;
    return tf.reshape(this.run(emb, mask, false, true), [batch, d]) as tf.Tensor2D;
  }

  /**
   * Scoring from tokens with one block (the default): the block's keys and values are linear in
   * the item and position embeddings (keys read x = (√d·e_t + p_t)·present, unnormalised), so
   * they are gathered from the projections of the batch's distinct items (at most a few
   * hundred rows) and of the positions, instead of multiplying every position of every
   * history by W_k and W_v; the query, attention row and feed-forward run for the last position
   * only. The same numbers as {@link encode}'s last position (to float rounding), several
   * times cheaper for the thousands of edited histories an explanation scores, and for
   * evaluation. With more blocks the generic path runs.
   */
  protected override lastHiddenFromTokens(h: HistoryTokens): tf.Tensor2D {
    if (this.blocks.length !== 1) return super.lastHiddenFromTokens(h);
    return tf.tidy(() => {
      const { batch, maxLen: len } = h;
      const d = this.embeddingDim;
      const heads = this.heads;
      const headDim = d / heads;
      const block = this.blocks[0];
      const mask = paddingMask(tokenTensor(h, this.numItems));
      const { unique, local } = localIndex(h.tokens);
      const items = tf.mul(gatherRows(this.itemTable, tf.tensor1d(unique, 'int32')), Math.sqrt(d));
      const index = tf.tensor1d(local[0], 'int32');
      const present = tf.expandDims(mask, 2);
      const project = ([kernel, bias]: [tf.Variable, tf.Variable]) => {
        const byItem = matMul(items, kernel);
        const byPosition = matMul(this.positions, kernel);
        const gathered = tf.reshape(gatherRows(byItem, index), [batch, len, d]);
        const x = tf.add(gathered, tf.expandDims(byPosition, 0));
        return tf.reshape(tf.add(tf.mul(x, present), bias), [batch, len, heads, headDim]);
      };
      const keys = project(block.key);
      const values = project(block.value);
      const last = tf.tensor1d(
        Int32Array.from({ length: batch }, (_, b) => local[0][b * len + len - 1]),
        'int32',
      );
      const presentLast = tf.slice(mask, [0, len - 1], [batch, 1]);
      const positionLast = tf.slice(this.positions, [len - 1, 0], [1, d]);
      const xLast = tf.mul(tf.add(gatherRows(items, last), positionLast), presentLast);
      const query = layerNorm(
        xLast,
        block.attentionGain as tf.Tensor1D,
        block.attentionBias as tf.Tensor1D,
      );
      const q = dense(query, block.query[0] as tf.Tensor2D, block.query[1] as tf.Tensor1D);
      // logits [batch, len, heads]: q_h · k_{t,h} / √headDim, padding keys masked.
      const scaled = tf.reshape(tf.div(q, Math.sqrt(headDim)), [batch, 1, heads, headDim]);
      const logits = tf.add(
        tf.sum(tf.mul(scaled, keys), 3),
        tf.expandDims(tf.mul(tf.sub(1, mask), MASKED), 2),
      );
      const weights = tf.softmax(tf.transpose(logits, [0, 2, 1])); // [batch, heads, len]
      const mixed = tf.sum(tf.mul(tf.expandDims(tf.transpose(weights, [0, 2, 1]), 3), values), 1);
      const attended = dense(
        tf.reshape(mixed, [batch, d]),
        block.output[0] as tf.Tensor2D,
        block.output[1] as tf.Tensor1D,
      );
      const normed = layerNorm(
        tf.add(query, attended),
        block.feedForwardGain as tf.Tensor1D,
        block.feedForwardBias as tf.Tensor1D,
      );
      const inner = tf.relu(
        dense(normed, block.inner[0] as tf.Tensor2D, block.inner[1] as tf.Tensor1D),
      );
      const outer = dense(inner, block.outer[0] as tf.Tensor2D, block.outer[1] as tf.Tensor1D);
      const x = tf.mul(tf.add(normed, outer), presentLast);
      return layerNorm(
        x,
        this.finalGain as tf.Tensor1D,
        this.finalBias as tf.Tensor1D,
      ) as tf.Tensor2D;
    });
  }

  private run(
    emb: tf.Tensor3D,
    mask: tf.Tensor2D,
    training: boolean,
    lastOnly: boolean,
  ): tf.Tensor3D {
    const [, len, d] = emb.shape;
    if (len !== this.maxLen) {
      throw new Error(`sasrec reads histories of exactly ${this.maxLen} positions; got ${len}.`);
    }
    const lastRow = (t: tf.Tensor) => {
      const shape = [...t.shape];
      const begin = shape.map(() => 0);
      begin[shape.length - 2] = shape[shape.length - 2] - 1;
      shape[shape.length - 2] = 1;
      return tf.slice(t, begin, shape);
    };
    let present = tf.expandDims(mask, 2);
    let x = tf.add(tf.mul(emb, Math.sqrt(d)), tf.expandDims(this.positions, 0));
    x = tf.mul(this.drop(x, training), present);
    let logitBias = this.attentionLogitBias(mask);
    this.blocks.forEach((block, i) => {
      const final = lastOnly && i === this.blocks.length - 1;
      if (final) {
        present = lastRow(present);
        logitBias = lastRow(logitBias) as tf.Tensor4D;
      }
      const query = layerNorm(
        final ? lastRow(x) : x,
        block.attentionGain as tf.Tensor1D,
        block.attentionBias as tf.Tensor1D,
      );
      const attended = this.selfAttention(query, x, logitBias, block, training);
      const normed = layerNorm(
        tf.add(query, this.drop(attended, training)),
        block.feedForwardGain as tf.Tensor1D,
        block.feedForwardBias as tf.Tensor1D,
      );
      const inner = tf.relu(
        dense(normed, block.inner[0] as tf.Tensor2D, block.inner[1] as tf.Tensor1D),
      );
      const outer = dense(
        this.drop(inner, training),
        block.outer[0] as tf.Tensor2D,
        block.outer[1] as tf.Tensor1D,
      );
      x = tf.mul(tf.add(normed, this.drop(outer, training)), present);
    });
    return layerNorm(
      x,
      this.finalGain as tf.Tensor1D,
      this.finalBias as tf.Tensor1D,
    ) as tf.Tensor3D;
  }

  /**
   * Every block's attention weights, first block first, each `[batch, heads, maxLen (query),
   * maxLen (key)]`; rows of padding queries are meaningless. The caller owns them.
   */
  private selfAttentionWeights(h: HistoryTokens): tf.Tensor4D[] {
    this.captured = [];
    this.capturing = true;
    try {
      tf.tidy(() => {
        const tokens = tokenTensor(h, this.numItems);
        const emb = embeddingLookup(this.itemTable, tokens) as tf.Tensor3D;
        this.encode(emb, paddingMask(tokens), false);
      });
    } finally {
      this.capturing = false;
    }
    const weights = this.captured;
    this.captured = [];
    if (weights.length !== this.blocks.length) {
      for (const w of weights) w.dispose();
      throw new Error('sasrec: attention weights were not captured.');
    }
    return weights;
  }
}

/** Builds a seeded `sasrec` model; `hyper` is checked against {@link SASREC_HYPER}. */
export function createSasRec(
  numItems: number,
  hyper: HyperParameters,
  seed: number,
): NeuralRecommender {
  const resolved = resolveAutoLoss(resolveHyper('sasrec', SASREC_HYPER, hyper), numItems);
  return new SasRecRecommender(numItems, resolved, seed);
}

/**
 * The int8-quantised variant of any trained neural model, scored and explained like the others
 * so the comparison view can set it beside its float original (see quantize.ts for the scheme
 * and for what "int8 at run time" honestly means in TF.js).
 */
import type * as tf from '../tf';
import {
  dequantizeWeights,
  type QuantizedWeights,
  type QuantizeOptions,
  quantizeWeights,
} from './quantize';
import type { ItemFeatures } from './trained';
import type {
  HistoryTokens,
  HyperParameters,
  ModelFactory,
  ModelId,
  NeuralCapabilities,
  NeuralRecommender,
  TrainingBatch,
} from './types';

export interface QuantizedVariantOptions extends QuantizeOptions {
  /** The item features the original was built with (layered and twotower need them). */
  features?: ItemFeatures;
}

/**
 * Holds the int8 codes and scales of a model's weights (its own state) and a float model built
 * from them on demand. Scoring methods delegate to that float model; training is refused.
 */
export class QuantizedRecommender implements NeuralRecommender {
  readonly variant = 'int8' as const;
  readonly id: ModelId;
  readonly hyper: HyperParameters;
  readonly numItems: number;
  readonly maxLen: number;
  readonly embeddingDim: number;
  readonly trainingNegatives = 0;
  readonly trainingSharedNegatives = 0;
  private codes: QuantizedWeights;
  private loaded: NeuralRecommender | null = null;

  constructor(
    source: NeuralRecommender,
    private readonly factory: ModelFactory,
    private readonly options: QuantizedVariantOptions = {},
  ) {
    this.id = source.id;
    this.hyper = { ...source.hyper };
    this.numItems = source.numItems;
    this.maxLen = source.maxLen;
    this.embeddingDim = source.embeddingDim;
    this.capabilities = passThrough(source.capabilities, () => this.dequantizedModel());
    const weights = source.getWeights();
    try {
      this.codes = quantizeWeights(weights, options);
    } finally {
      for (const t of Object.values(weights)) t.dispose();
    }
  }

  /** The stored weights: int8 codes + per-row scales, and the small tensors kept as float32. */
  get quantized(): QuantizedWeights {
    return this.codes;
  }

  /** Storage of the float original and of this variant, in bytes (see {@link QuantizedWeights}). */
  get bytes(): { float32: number; int8: number } {
    return { float32: this.codes.bytesBefore, int8: this.codes.bytesAfter };
  }

  /**
   * The float model holding the dequantised weights, built on first use (owned by this object:
   * do not dispose it). Model-specific views (layered's heads, din's target attention) use it.
   */
  dequantizedModel(): NeuralRecommender {
    if (!this.loaded) {
      const model = this.factory(this.numItems, this.hyper, 0, this.options.features);
      const weights = dequantizeWeights(this.codes);
      try {
        model.setWeights(weights);
      } catch (error) {
        model.dispose();
        throw error;
      } finally {
        for (const t of Object.values(weights)) t.dispose();
      }
      this.loaded = model;
    }
    return this.loaded;
  }

  /** Frees the float copy; the int8 codes stay and the next scoring call rebuilds it. */
  unload(): void {
    this.loaded?.dispose();
    this.loaded = null;
  }

  scoreAll(h: HistoryTokens): tf.Tensor2D {
    return this.dequantizedModel().scoreAll(h);
  }

  scorePairs(h: HistoryTokens, items: Int32Array): tf.Tensor1D {
    return this.dequantizedModel().scorePairs(h, items);
  }

  embedHistory(h: HistoryTokens): tf.Tensor3D {
    return this.dequantizedModel().embedHistory(h);
  }

  scorePairsFromEmbeddings(emb: tf.Tensor3D, mask: tf.Tensor2D, items: Int32Array): tf.Tensor1D {
    return this.dequantizedModel().scorePairsFromEmbeddings(emb, mask, items);
  }

  /**
   * The original's views, each computed on the dequantised weights: the same names as the
   * original offers, so an explainer treats the int8 variant like its float original.
   */
  readonly capabilities: NeuralCapabilities;

  paddingEmbedding(): tf.Tensor1D {
    return this.dequantizedModel().paddingEmbedding();
  }

  trainingLoss(_batch: TrainingBatch): tf.Scalar {
    throw new Error(
      'A quantised model is derived from a trained one; train the float original and quantise it again.',
    );
  }

  /** None: a quantised model is not trained (see {@link trainingLoss}). */
  trainableVariables(): tf.Variable[] {
    return [];
  }

  /** The dequantised weights (what scoring uses); the caller owns them. */
  getWeights(): Record<string, tf.Tensor> {
    return this.dequantizedModel().getWeights();
  }

  /** Quantises `w` (checked against the architecture first) and replaces the stored codes. */
  setWeights(w: Record<string, tf.Tensor>): void {
    this.dequantizedModel().setWeights(w);
    this.codes = quantizeWeights(w, this.options);
    this.unload();
  }

  dispose(): void {
    this.unload();
  }
}

/**
 * The int8 variant of a trained `model`, built with the same `factory` (the registry entry of
 * its id). The original is left untouched and still owned by the caller.
 */
export function quantizedVariant(
  model: NeuralRecommender,
  factory: ModelFactory,
  options: QuantizedVariantOptions = {},
): QuantizedRecommender {
  if (model instanceof QuantizedRecommender) {
    throw new Error('This model is already quantised; quantise its float original instead.');
  }
  return new QuantizedRecommender(model, factory, options);
}

/** Capabilities with the same names as `offered`, each delegating to `model()`'s. */
function passThrough(
  offered: NeuralCapabilities,
  model: () => NeuralRecommender,
): NeuralCapabilities {
  const out: NeuralCapabilities = {};
  if (offered.selfAttention) out.selfAttention = (h) => callView(model(), 'selfAttention')(h);
  if (offered.targetAttention) {
    out.targetAttention = (h, items) => callView(model(), 'targetAttention')(h, items);
  }
  if (offered.poolingWeights) out.poolingWeights = (h) => callView(model(), 'poolingWeights')(h);
  if (offered.exactContributions) {
    out.exactContributions = (h, items) => callView(model(), 'exactContributions')(h, items);
  }
  if (offered.interestHeads) out.interestHeads = (h) => callView(model(), 'interestHeads')(h);
  return out;
}

function callView<K extends keyof NeuralCapabilities>(
  model: NeuralRecommender,
  name: K,
): NonNullable<NeuralCapabilities[K]> {
  const view = model.capabilities[name];
  if (!view) throw new Error(`The dequantised ${model.id} model lost its ${name} view.`);
  return view;
}

/**
 * What a neural model will allocate, known before it is built: every weight's name and shape
 * from the declared catalogue size, hyper-parameters and item-feature sizes, plus the padded
 * feature lists the item tower packs. A saved model is checked against this plan before any
 * tensor exists: the sizes against {@link MAX_MODEL_BYTES}, the shapes against the file's own
 * weights. Without it a 17 KB file declaring five million categories cost 2.6 GB and 20 s
 * before a shape error, and one listing a million items ran the wasm backend out of memory
 * for good.
 *
 * The planners mirror the models' constructors; weightPlan.test.ts builds every model under
 * several settings and requires the exact same names and shapes, so the two cannot drift.
 */
import { resolveHyper } from './hyper';
import { ModelFileError } from './modelFileError';
import { neuralEntry } from './registry';
import type { ItemFeatures, WeightArray } from './trained';
import type { HyperParameters, ModelId, TrainableModelId } from './types';

/**
 * The most memory one model's weights (with its packed feature lists) may declare: 512 MiB.
 * Restoring holds about twice that for a moment (fresh weights, then the file's copies), and
 * the wasm backend cannot grow past 2-4 GiB in all; past that it fails with "memory access
 * out of bounds" and stays broken until the page reloads. A million items at 128 dims fit.
 */
export const MAX_MODEL_BYTES = 512 * 1024 ** 2;

/** The item features a model is given, as sizes: what its item tower allocates for them. */
export interface FeatureLayout {
  numCategories: number;
  titleBuckets: number;
  /** Longest category list of an item (the packed lists' width); 0: no category table. */
  categoryWidth: number;
  /** Longest title-token list of an item; 0: no title-token table. */
  titleWidth: number;
}

export interface PlannedWeight {
  name: string;
  shape: number[];
  dtype: WeightArray['dtype'];
}

/** One block of memory the plan counts, with what drives its size (for the refusal). */
interface PlannedBlock {
  what: string;
  bytes: number;
}

export interface ModelPlan {
  weights: PlannedWeight[];
  blocks: PlannedBlock[];
  /** Bytes of every weight and packed list together. */
  bytes: number;
}

const count = (n: number) => n.toLocaleString('en');

class PlanBuilder {
  readonly weights: PlannedWeight[] = [];
  readonly blocks: PlannedBlock[] = [];

  /** A float32 weight; `what` names what drives its size (default: the weight's name). */
  weight(name: string, shape: number[], what = `weight ${name}`): void {
    this.weights.push({ name, shape, dtype: 'float32' });
    this.blocks.push({ what, bytes: 4 * shape.reduce((a, b) => a * b, 1) });
  }

  buffer(what: string, bytes: number): void {
    this.blocks.push({ what, bytes });
  }

  build(): ModelPlan {
    return {
      weights: this.weights,
      blocks: this.blocks,
      bytes: this.blocks.reduce((sum, b) => sum + b.bytes, 0),
    };
  }
}

type Planner = (
  p: PlanBuilder,
  numItems: number,
  hyper: HyperParameters,
  features: FeatureLayout | null,
) => void;

const itemsByDims = (n: number, d: number) => `${count(n)} items × ${d} dims`;

/** `[numItems + 1, d]`: row 0 is the padding token (sequential.ts, din.ts, weighted.ts). */
function itemTable(p: PlanBuilder, name: string, n: number, d: number): void {
  p.weight(name, [n + 1, d], itemsByDims(n, d));
}

/** itemContent.ts: the id table, and one table per feature bag that some item uses. */
function itemContent(p: PlanBuilder, n: number, d: number, f: FeatureLayout | null): void {
  itemTable(p, 'item_embedding', n, d);
  if (!f) return;
  const bags: [string, number, number, string, string][] = [
    ['category', f.numCategories, f.categoryWidth, 'categories', 'categories'],
    ['title_token', f.titleBuckets, f.titleWidth, 'title buckets', 'title tokens'],
  ];
  for (const [name, size, width, sizeWhat, widthWhat] of bags) {
    if (width === 0) continue;
    // The padded per-item lists: ids (int32) and weights (float32), (n + 1) x width each.
    p.buffer(`${count(n)} items × ${count(width)} ${widthWhat} each`, 8 * (n + 1) * width);
    p.weight(`${name}_embedding`, [size, d], `${count(size)} ${sizeWhat} × ${d} dims`);
  }
}

/** gru.ts `addGruWeights` (gru and layered). */
function gruCell(p: PlanBuilder, d: number): void {
  p.weight('gru_input_kernel', [d, 3 * d]);
  p.weight('gru_input_bias', [3 * d]);
  p.weight('gru_recurrent_kernel', [d, 3 * d]);
  p.weight('gru_recurrent_bias', [3 * d]);
  p.weight('gru_output_kernel', [d, d]);
  p.weight('gru_output_bias', [d]);
}

const dimOf = (h: HyperParameters) => h.dim as number;

const PLANNERS: Record<Exclude<TrainableModelId, 'pop' | 'itemknn'>, Planner> = {
  gru(p, n, h) {
    const d = dimOf(h);
    itemTable(p, 'item_embedding', n, d);
    gruCell(p, d);
    p.weight('gru_output_norm_gain', [d]);
    p.weight('gru_output_norm_bias', [d]);
  },
  sasrec(p, n, h) {
    const d = dimOf(h);
    const heads = h.heads as number;
    if (d % heads !== 0) throw new RangeError(`sasrec: heads (${heads}) must divide dim (${d}).`);
    itemTable(p, 'item_embedding', n, d);
    p.weight('position_embedding', [h.maxLen as number, d]);
    const dense = (name: string) => {
      p.weight(`${name}_kernel`, [d, d]);
      p.weight(`${name}_bias`, [d]);
    };
    for (let i = 0; i < (h.blocks as number); i++) {
      p.weight(`block${i}_attention_norm_gain`, [d]);
      p.weight(`block${i}_attention_norm_bias`, [d]);
      for (const layer of ['query', 'key', 'value', 'attention_output'])
        dense(`block${i}_${layer}`);
      p.weight(`block${i}_feed_forward_norm_gain`, [d]);
      p.weight(`block${i}_feed_forward_norm_bias`, [d]);
      dense(`block${i}_feed_forward_inner`);
      dense(`block${i}_feed_forward_outer`);
    }
    p.weight('final_norm_gain', [d]);
    p.weight('final_norm_bias', [d]);
  },
  twotower(p, n, h, f) {
    const d = dimOf(h);
    itemContent(p, n, d, f);
    p.weight('user_kernel', [d, d]);
    p.weight('user_bias', [d]);
    p.weight('item_kernel', [d, d]);
    p.weight('item_bias', [d]);
    if (h.pooling === 'attention') p.weight('pooling_query', [d]);
  },
  ncf(p, n, h, f) {
    const d = dimOf(h);
    const layers = h.mlpLayers as number;
    const last = layers === 2 ? Math.max(1, Math.floor(d / 2)) : d;
    itemContent(p, n, d, f);
    for (const name of [
      'history_norm_gain',
      'history_norm_bias',
      'item_norm_gain',
      'item_norm_bias',
    ])
      p.weight(name, [d]);
    p.weight('user_kernel', [d, d]);
    p.weight('user_bias', [d]);
    p.weight('item_kernel', [d, d]);
    p.weight('item_bias', [d]);
    p.weight('mlp_history_kernel', [d, d]);
    p.weight('mlp_item_kernel', [d, d]);
    p.weight('mlp_bias', [d]);
    if (layers === 2) {
      p.weight('mlp2_kernel', [d, last]);
      p.weight('mlp2_bias', [last]);
    }
    p.weight('output_kernel', [d + last, 1]);
    p.weight('output_bias', [1]);
  },
  weighted(p, n, h) {
    const d = dimOf(h);
    itemTable(p, 'history_embedding', n, d);
    itemTable(p, 'item_embedding', n, d);
    p.weight('alpha', []);
    p.weight('beta', []);
  },
  din(p, n, h) {
    const d = dimOf(h);
    const units = h.attentionUnits as number;
    itemTable(p, 'item_embedding', n, d);
    p.weight('item_bias', [n + 1, 1], `${count(n)} item biases`);
    p.weight('attention_position', [h.maxLen as number, units]);
    p.weight('score_scale', [1]);
    p.weight('attention_kernel', [4 * d, units]);
    p.weight('attention_bias', [units]);
    p.weight('attention_output_kernel', [units, 1]);
    p.weight('attention_output_bias', [1]);
  },
  layered(p, n, h, f) {
    if (!f || f.numCategories < 1 || f.categoryWidth === 0) {
      throw new RangeError('layered needs item categories, and this model file holds none.');
    }
    const d = dimOf(h);
    const c = f.numCategories;
    itemTable(p, 'item_embedding', n, d);
    gruCell(p, d);
    for (const head of ['surface', 'middle', 'deep']) {
      p.weight(`${head}_head_kernel`, [d, c], `${d} dims × ${count(c)} categories`);
      p.weight(`${head}_head_bias`, [c]);
    }
  },
};

/** The sizes of `features` as the item tower sees them. */
export function featureLayout(features: ItemFeatures): FeatureLayout {
  const widest = (lists: number[][]) => lists.reduce((m, l) => Math.max(m, l.length), 0);
  return {
    numCategories: features.numCategories,
    titleBuckets: features.titleBuckets,
    categoryWidth: widest(features.categories),
    titleWidth: widest(features.titleTokens),
  };
}

/**
 * The plan of neural model `id` over `numItems` items with the saved `hyper` (defaults filled
 * in as the factory fills them) and `features`. Hyper-parameters the model refuses are a
 * {@link ModelFileError} `invalid-metadata` naming them; nothing is allocated.
 */
export function planNeuralModel(
  id: ModelId,
  numItems: number,
  hyper: HyperParameters,
  features: FeatureLayout | null,
): ModelPlan {
  const entry = neuralEntry(id);
  if (!entry || !Object.hasOwn(PLANNERS, id)) {
    throw new ModelFileError('unknown-model', `${id} is not a neural model of this build.`);
  }
  const p = new PlanBuilder();
  try {
    const resolved = resolveHyper(id, entry.hyper, hyper);
    PLANNERS[id as keyof typeof PLANNERS](p, numItems, resolved, features);
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    throw new ModelFileError(
      'invalid-metadata',
      `The model file's settings do not describe a valid ${id} model: ${why.replace(/^Invalid \S+ hyper-parameters: /, '')}`,
    );
  }
  return p.build();
}

const gib = (bytes: number) => `${(bytes / 1024 ** 3).toFixed(2)} GiB`;

/** Refuses a plan past {@link MAX_MODEL_BYTES}, naming its largest block in one sentence. */
export function checkPlanBudget(plan: ModelPlan, budget = MAX_MODEL_BYTES): void {
  if (plan.bytes <= budget) return;
  const largest = plan.blocks.reduce((a, b) => (b.bytes > a.bytes ? b : a));
  const rest =
    plan.bytes - largest.bytes >= 0.005 * 1024 ** 3 ? ` (${gib(plan.bytes)} in all)` : '';
  throw new ModelFileError(
    'too-large',
    `This model declares ${largest.what} = ${gib(largest.bytes)}${rest}, more than the ${gib(budget)} this page can hold.`,
  );
}

/** Refuses a model file whose weights alone come to more than {@link MAX_MODEL_BYTES}. */
export function checkWeightBytes(bytes: number, budget = MAX_MODEL_BYTES): void {
  if (bytes <= budget) return;
  throw new ModelFileError(
    'too-large',
    `This model file declares ${gib(bytes)} of weights, more than the ${gib(budget)} this page can hold.`,
  );
}

/**
 * Refuses `weights` (the file's, or just their manifest entries) unless they are exactly the
 * plan's: no weight missing or extra, each of the planned shape and dtype. The messages are
 * those a restore into the built model would give, said before anything is built.
 */
export function checkPlannedWeights(
  id: ModelId,
  plan: ModelPlan,
  weights: readonly Pick<WeightArray, 'name' | 'shape' | 'dtype'>[],
): void {
  const fail = (why: string): never => {
    throw new ModelFileError(
      'shape-mismatch',
      `The saved weights do not fit a ${id} model with these hyper-parameters: ${why}`,
    );
  };
  const given = new Map(weights.map((w) => [w.name, w]));
  for (const planned of plan.weights) {
    const w = given.get(planned.name);
    if (!w) fail(`Weights to restore lack ${planned.name}.`);
    else if (
      w.shape.length !== planned.shape.length ||
      w.shape.some((d, i) => d !== planned.shape[i])
    ) {
      fail(
        `Weight ${planned.name} has shape [${w.shape.join(', ')}]; the model needs [${planned.shape.join(', ')}].`,
      );
    } else if (w.dtype !== planned.dtype) {
      fail(`Weight ${planned.name} is ${w.dtype}; the model needs ${planned.dtype}.`);
    }
  }
  const planned = new Set(plan.weights.map((w) => w.name));
  const extra = weights.filter((w) => !planned.has(w.name)).map((w) => w.name);
  if (extra.length > 0) fail(`Unknown weights: ${extra.join(', ')}.`);
}

/**
 * Everything a restore of neural model `id` is checked against before it allocates: the plan
 * from the declared sizes, its memory against the budget, then its shapes against `weights`.
 */
export function checkNeuralRestore(
  id: ModelId,
  numItems: number,
  hyper: HyperParameters,
  weights: readonly Pick<WeightArray, 'name' | 'shape' | 'dtype'>[],
  features: FeatureLayout | null,
): void {
  const plan = planNeuralModel(id, numItems, hyper, features);
  checkPlanBudget(plan);
  checkPlannedWeights(id, plan, weights);
}

/**
 * Named, seeded model weights: creation with reproducible initialisers, snapshots for the
 * trainer's best-epoch bookkeeping, restore and disposal in one place, so no model variant
 * re-implements (or leaks) them.
 */

import { SeededRandom } from '../random';
import * as tf from '../tf';

/** A stream of 31-bit seeds for TF.js random ops, derived from a model's seed. */
export class SeedStream {
  private readonly rng: SeededRandom;

  constructor(seed: number, stream: string) {
    this.rng = new SeededRandom(seed, stream);
  }

  next(): number {
    return this.rng.int(1, 0x7fffffff);
  }
}

/** Glorot (Xavier) normal: std = sqrt(2 / (fanIn + fanOut)), as the reference SASRec uses. */
export function glorotNormal(shape: [number, number], seed: number): tf.Tensor2D {
  const std = Math.sqrt(2 / (shape[0] + shape[1]));
  return tf.randomNormal(shape, 0, std, 'float32', seed);
}

export class WeightSet {
  private readonly vars = new Map<string, tf.Variable>();

  /** Registers `init` (ownership is taken) as the variable `name`. */
  add(name: string, init: tf.Tensor, trainable = true): tf.Variable {
    if (this.vars.has(name)) throw new Error(`Weight ${name} is defined twice.`);
    const variable = tf.variable(init, trainable);
    init.dispose();
    this.vars.set(name, variable);
    return variable;
  }

  get(name: string): tf.Variable {
    const variable = this.vars.get(name);
    if (!variable) throw new Error(`The model has no weight named ${name}.`);
    return variable;
  }

  trainable(): tf.Variable[] {
    return [...this.vars.values()].filter((v) => v.trainable);
  }

  /** Copies of every weight; the caller owns them. */
  snapshot(): Record<string, tf.Tensor> {
    const out: Record<string, tf.Tensor> = {};
    for (const [name, variable] of this.vars) out[name] = tf.clone(variable);
    return out;
  }

  /** Assigns copies of `weights`; refuses a missing name or a shape mismatch before changing anything. */
  restore(weights: Record<string, tf.Tensor>): void {
    for (const [name, variable] of this.vars) {
      const w = weights[name];
      if (!w) throw new Error(`Weights to restore lack ${name}.`);
      if (!tf.util.arraysEqual(w.shape, variable.shape)) {
        throw new Error(
          `Weight ${name} has shape [${w.shape.join(', ')}]; the model needs [${variable.shape.join(', ')}].`,
        );
      }
    }
    const extra = Object.keys(weights).filter((name) => !this.vars.has(name));
    if (extra.length > 0) throw new Error(`Unknown weights: ${extra.join(', ')}.`);
    for (const [name, variable] of this.vars) variable.assign(weights[name]);
  }

  dispose(): void {
    for (const variable of this.vars.values()) variable.dispose();
    this.vars.clear();
  }
}

/**
 * The weight plumbing every neural model shares: all of a model's variables live in one
 * {@link WeightSet}, so training, saving, restoring and freeing are the same four methods.
 */
export abstract class WeightSetModel {
  protected readonly weights = new WeightSet();

  trainableVariables(): tf.Variable[] {
    return this.weights.trainable();
  }

  getWeights(): Record<string, tf.Tensor> {
    return this.weights.snapshot();
  }

  setWeights(w: Record<string, tf.Tensor>): void {
    this.weights.restore(w);
  }

  dispose(): void {
    this.weights.dispose();
  }
}

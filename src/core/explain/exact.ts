/**
 * `exact`: the contributions a glass-box model states itself: `weighted`'s w_t (x_t · v) and
 * `itemknn`'s sim(i, item) (a repeated item's similarity split evenly over its occurrences,
 * which is its Shapley value). Under the margin target, the competitor's contributions are
 * subtracted. pop's score does not depend on the history: every contribution is zero.
 */
import { type ExplainSubject, toAttributions } from './subject';
import type { ExactResult, UnavailableMethod } from './types';

export async function exactContributions(
  subject: ExplainSubject,
): Promise<ExactResult | UnavailableMethod> {
  const started = performance.now();
  const { model, read } = subject;
  const done = (values: ArrayLike<number>, note?: string): ExactResult => ({
    method: 'exact',
    status: 'ok',
    unit: 'score',
    attributions: toAttributions(subject, values),
    evaluations: 0,
    ...(note ? { note } : {}),
    ms: performance.now() - started,
  });
  if (model.historyIndependent) {
    return done(
      new Float64Array(read.length),
      `${model.id}'s score does not depend on the history: no history item has any influence.`,
    );
  }
  const contributions = model.exactContributions;
  if (!contributions) {
    return {
      method: 'exact',
      status: 'unavailable',
      reason: `${model.id} does not state exact contributions (only weighted and itemknn do).`,
      ms: 0,
    };
  }
  // The context (older read items held fixed) is part of what the model reads: an explained
  // item that repeats one of them adds nothing to itemknn's distinct-item sum, and the
  // contributions must say so; only the explained items' shares are reported.
  const items = new Int32Array(subject.context.length + read.length);
  items.set(subject.context);
  items.set(read, subject.context.length);
  const history = {
    offsets: Int32Array.of(0, items.length),
    items,
    timestamps: new Float64Array(items.length).fill(Number.NaN),
  };
  const fixed = subject.context.length;
  const explainedOnly = (all: Float64Array) => all.subarray(all.length - read.length);
  const own = explainedOnly(await contributions.call(model, history, subject.item, fixed));
  if (subject.competitor === null) return done(own);
  const other = explainedOnly(await contributions.call(model, history, subject.competitor, fixed));
  return done(Float64Array.from(own, (v, i) => v - other[i]));
}

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
  const history = {
    offsets: Int32Array.of(0, read.length),
    items: read,
    timestamps: new Float64Array(read.length).fill(Number.NaN),
  };
  const own = await contributions.call(model, history, subject.item);
  if (subject.competitor === null) return done(own);
  const other = await contributions.call(model, history, subject.competitor);
  return done(Float64Array.from(own, (v, i) => v - other[i]));
}

/**
 * `occlusion`: exact leave-one-out. Each read item's attribution is the target's drop when that
 * one interaction is removed (see {@link Removal}); all n edited histories are scored as one
 * batch (in bounded chunks) through the shared perturbation scorer.
 */
import { withoutPositions } from './perturbation';
import { type ExplainSubject, toAttributions } from './subject';
import type { OcclusionResult } from './types';

export async function occlusion(subject: ExplainSubject): Promise<OcclusionResult> {
  const started = performance.now();
  const { scorer } = subject;
  const before = scorer.evaluations;
  const n = subject.read.length;
  const masks = [scorer.full(), ...Array.from({ length: n }, (_, p) => withoutPositions(n, [p]))];
  const values = await scorer.targets(masks);
  const drops = Float64Array.from({ length: n }, (_, p) => values[0] - values[p + 1]);
  return {
    method: 'occlusion',
    status: 'ok',
    unit: 'score',
    attributions: toAttributions(subject, drops),
    evaluations: scorer.evaluations - before,
    ms: performance.now() - started,
  };
}

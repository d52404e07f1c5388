/**
 * The below-baselines check of a model's record on the loaded data (see
 * core/train/baselineCheck.ts), for every model that gets a card: trained here, derived (int8),
 * imported from another engine, or restored from a file or the browser on the same data.
 */
import type { TrainingRecord } from '../core/models/trained';
import type { DataContext } from './dataContext';
import type { LiveModels } from './liveModels';
import type { ModelServiceDeps } from './modelServiceDeps';

export type RecordCheck = (ctx: DataContext, record: TrainingRecord) => Promise<TrainingRecord>;

/**
 * `record` with the check, using the live baselines' own test NDCG@10 where they were trained
 * on this dataset (fitting them otherwise: a second each on the sample). Unchecked when the
 * deps have no check (test fakes).
 */
export function createRecordCheck(deps: ModelServiceDeps, models: LiveModels): RecordCheck {
  return async (ctx, record) => {
    if (!deps.checkBaselines) return record;
    const given: Record<string, number> = {};
    for (const id of ['pop', 'itemknn']) {
      try {
        const card = models.get(id).card;
        const at10 = card.record.test?.atK.find((m) => m.k === 10);
        if (card.source.kind === 'trained' && at10) given[id] = at10.ndcg;
      } catch {
        // Not trained yet: the check fits it.
      }
    }
    return deps.checkBaselines(ctx.base, ctx.split, record, given);
  };
}

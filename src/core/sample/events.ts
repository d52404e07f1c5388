/**
 * Turning a user's plan into a log: sessions placed at realistic times (burst sessions inside
 * their burst window), a layer drawn for every view from the layers active at that instant,
 * an item drawn from the layer's category by popularity, and the view -> click -> cart -> buy
 * funnel on the same item.
 */

import { inContext, SECONDS_PER_DAY, sessionStartOnDay } from './calendar';
import type { Catalog } from './catalog';
import type { SampleConfig } from './config';
import { drawCumulative, type SeededRandom } from './random';
import type { EventType, InterestLayer, SampleInteraction, WeightedCategory } from './types';
import type { UserPlan } from './users';

export interface UserLog {
  interactions: SampleInteraction[];
  viewsDropped: number;
}

/**
 * The layers active at time `t` and their relative weights (zero for an inactive layer; the
 * draw normalises over the active ones), with the deep interests in force at `t`.
 */
export function activeLayers(
  plan: UserPlan,
  config: SampleConfig,
  t: number,
): { weights: number[]; deep: WeightedCategory[]; middle: string | null; surface: string | null } {
  const deep = plan.drift && t >= plan.drift.time ? plan.drift.deepAfter : plan.deep;
  const middle = plan.middle.find((rule) => inContext(rule.context, t))?.category ?? null;
  const surface = plan.surface.find((b) => t >= b.start && t < b.end)?.category ?? null;
  const w = config.layerWeights;
  return {
    weights: [w.deep, middle ? w.middle : 0, surface ? w.surface : 0, w.noise],
    deep,
    middle,
    surface,
  };
}

const LAYER_ORDER: InterestLayer[] = ['deep', 'middle', 'surface', 'noise'];

/** Session start times: burst sessions inside their window, the rest over the timeline. */
function scheduleSessions(
  plan: UserPlan,
  config: SampleConfig,
  rng: SeededRandom,
  dayWeights: number[],
): number[] {
  const starts: number[] = [];
  plan.surface.forEach((burst, b) => {
    for (let s = 0; s < plan.burstSessions[b]; s++) {
      let start = -1;
      for (let attempt = 0; attempt < 10 && start < 0; attempt++) {
        const day =
          Math.floor(rng.uniform(burst.start, burst.end) / SECONDS_PER_DAY) * SECONDS_PER_DAY;
        const t = sessionStartOnDay(rng, day);
        if (t >= burst.start && t < burst.end) start = t;
      }
      starts.push(start >= 0 ? start : rng.int(burst.start, burst.end - 1));
    }
  });
  while (starts.length < plan.sessionViews.length) {
    const day = rng.weightedIndex(dayWeights);
    starts.push(sessionStartOnDay(rng, config.start + day * SECONDS_PER_DAY));
  }
  return starts.sort((a, b) => a - b);
}

class ItemChooser {
  private readonly seen = new Set<number>();
  private readonly seenByCategory = new Map<number, number[]>();

  constructor(
    private readonly catalog: Catalog,
    private readonly config: SampleConfig,
    private readonly rng: SeededRandom,
  ) {}

  /** An item of category `c` (or of any category when c is -1, by global popularity). */
  choose(c: number): number {
    const { catalog, rng } = this;
    const history = c >= 0 ? this.seenByCategory.get(c) : undefined;
    if (history && rng.chance(this.config.revisitProbability)) return rng.pick(history);
    let item = -1;
    // Prefer items not seen yet; after 30 misses (a user who saw the whole head) allow a repeat.
    for (let attempt = 0; attempt < 30; attempt++) {
      item =
        c >= 0
          ? catalog.byCategory[c][drawCumulative(rng, catalog.categorySums[c])]
          : drawCumulative(rng, catalog.globalSums);
      if (!this.seen.has(item)) break;
    }
    this.remember(item);
    return item;
  }

  private remember(item: number): void {
    if (this.seen.has(item)) return;
    this.seen.add(item);
    const c = this.catalog.primary[item];
    const list = this.seenByCategory.get(c);
    if (list) list.push(item);
    else this.seenByCategory.set(c, [item]);
  }
}

/** Generates one user's interactions in time order (strictly increasing timestamps). */
export function simulateUserLog(
  plan: UserPlan,
  config: SampleConfig,
  catalog: Catalog,
  rng: SeededRandom,
  dayWeights: number[],
): UserLog {
  const end = config.start + config.days * SECONDS_PER_DAY;
  const categoryIndex = new Map(catalog.categories.map((c, i) => [c.name, i]));
  const indexOfCategory = (name: string): number => {
    const c = categoryIndex.get(name);
    if (c === undefined) throw new Error(`Planted category "${name}" is not in the catalogue.`);
    return c;
  };
  const chooser = new ItemChooser(catalog, config, rng);
  const starts = scheduleSessions(plan, config, rng, dayWeights);
  const interactions: SampleInteraction[] = [];
  let viewsDropped = 0;
  let last = Number.NEGATIVE_INFINITY;

  const emit = (item: number, t: number, eventType: EventType, layer: InterestLayer) => {
    interactions.push({
      user: plan.user,
      item: catalog.items[item].id,
      timestamp: t,
      eventType,
      layer,
      category: catalog.categories[catalog.primary[item]].name,
    });
    last = t;
  };

  starts.forEach((start, s) => {
    // Sessions never overlap: a session starts at least 10 minutes after the previous one ends.
    let t = Math.max(start, last + rng.int(600, 1800));
    const views = plan.sessionViews[s];
    for (let v = 0; v < views; v++) {
      if (v > 0) t += rng.int(20, 400);
      if (t >= end) {
        viewsDropped += views - v;
        return;
      }
      const active = activeLayers(plan, config, t);
      const layer = LAYER_ORDER[rng.weightedIndex(active.weights)];
      let category: string | null = null;
      if (layer === 'deep') {
        category = active.deep[rng.weightedIndex(active.deep.map((d) => d.weight))].category;
      } else if (layer === 'middle' || layer === 'surface') {
        category = layer === 'middle' ? active.middle : active.surface;
      }
      const item = chooser.choose(category === null ? -1 : indexOfCategory(category));
      emit(item, t, 'view', layer);
      const clickP = config.clickProbability[layer];
      const funnel: [EventType, number][] = [
        ['click', clickP],
        ['cart', config.cartAfterClick],
        ['buy', config.buyAfterCart],
      ];
      for (const [step, p] of funnel) {
        if (!rng.chance(p)) break;
        const next = t + rng.int(5, 120);
        if (next >= end) break;
        t = next;
        emit(item, t, step, layer);
      }
    }
  });
  return { interactions, viewsDropped };
}

/**
 * The sample simulation as one pure function: configuration in, interactions + items +
 * ground truth out. No file system, no clock, no Math.random: the seed decides everything.
 */

import { CONTEXT_DEFINITIONS, isoSeconds, SECONDS_PER_DAY, timelineDayWeights } from './calendar';
import { buildCatalog } from './catalog';
import { resolveSampleConfig, type SampleConfig } from './config';
import { simulateUserLog } from './events';
import { SeededRandom } from './random';
import {
  EVENT_TYPES,
  type EventType,
  type InterestLayer,
  LAYER_CODES,
  type PlantedUser,
  type SampleData,
  type SampleInteraction,
  type SampleSummary,
} from './types';
import { planUser } from './users';

function compareInteractions(a: SampleInteraction, b: SampleInteraction): number {
  if (a.timestamp !== b.timestamp) return a.timestamp - b.timestamp;
  return a.user < b.user ? -1 : a.user > b.user ? 1 : 0;
}

function summarise(
  interactions: SampleInteraction[],
  users: PlantedUser[],
  itemCount: number,
  viewsDropped: number,
): SampleSummary {
  const eventTypes = Object.fromEntries(EVENT_TYPES.map((e) => [e, 0])) as Record<
    EventType,
    number
  >;
  const layers: Record<InterestLayer, number> = { deep: 0, middle: 0, surface: 0, noise: 0 };
  const usedItems = new Set<string>();
  for (const row of interactions) {
    eventTypes[row.eventType]++;
    layers[row.layer]++;
    usedItems.add(row.item);
  }
  return {
    interactions: interactions.length,
    users: users.length,
    items: usedItems.size,
    itemsWithoutInteractions: itemCount - usedItems.size,
    eventTypes,
    layers,
    driftingUsers: users.filter((u) => u.drift !== null).length,
    surfaceBursts: users.reduce((n, u) => n + u.surface.length, 0),
    viewsDroppedAtTimelineEnd: viewsDropped,
  };
}

/**
 * Simulates the sample dataset. Deterministic: the same configuration (default: seed 42)
 * gives identical output on every run and platform. Each user draws from its own stream, so
 * the first N users are the same whatever the number of users.
 */
export function simulateSample(overrides: Partial<SampleConfig> = {}): SampleData {
  const config = resolveSampleConfig(overrides);
  const catalog = buildCatalog(config, new SeededRandom(config.seed, 'catalog'));
  const dayWeights = timelineDayWeights(config.start, config.days);
  const end = config.start + config.days * SECONDS_PER_DAY;

  const interactions: SampleInteraction[] = [];
  const users: PlantedUser[] = [];
  let viewsDropped = 0;
  for (let u = 0; u < config.users; u++) {
    const rng = new SeededRandom(config.seed, `user:${u}`);
    const plan = planUser(u, config, catalog, rng);
    const log = simulateUserLog(plan, config, catalog, rng, dayWeights);
    viewsDropped += log.viewsDropped;
    for (const row of log.interactions) interactions.push(row);
    users.push({
      user: plan.user,
      interactions: log.interactions.length,
      plannedViews: plan.plannedViews,
      deep: plan.deep,
      middle: plan.middle,
      surface: plan.surface,
      drift: plan.drift,
      eventLayers: log.interactions.map((row) => LAYER_CODES[row.layer]).join(''),
    });
  }
  interactions.sort(compareInteractions);

  const items = [...catalog.items].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const itemTruth = [...catalog.truth].sort((a, b) =>
    a.item < b.item ? -1 : a.item > b.item ? 1 : 0,
  );
  return {
    interactions,
    items,
    groundTruth: {
      format: 'interest-lens-sample-ground-truth',
      version: 1,
      seed: config.seed,
      parameters: config,
      timeline: {
        start: config.start,
        end,
        startIso: isoSeconds(config.start),
        endIso: isoSeconds(end),
        timeZone: 'UTC',
      },
      contexts: CONTEXT_DEFINITIONS,
      layerCodes: LAYER_CODES,
      summary: summarise(interactions, users, catalog.items.length, viewsDropped),
      categories: catalog.categories,
      items: itemTruth,
      users,
    },
  };
}

/**
 * What the sample simulation produces: the interaction log, the item catalogue and the
 * ground truth of every interest it planted. The layout of the ground truth is documented
 * field by field in docs/sample-data.md; change both together.
 */
import type { SampleConfig } from './config';

/** The purchase funnel, in order: most rows are views. */
export type EventType = 'view' | 'click' | 'cart' | 'buy';
export const EVENT_TYPES: readonly EventType[] = ['view', 'click', 'cart', 'buy'];

/** Which planted layer generated an event; `noise` is popularity-driven exploration. */
export type InterestLayer = 'deep' | 'middle' | 'surface' | 'noise';

/** One-letter codes of {@link InterestLayer} used in `eventLayers` strings. */
export const LAYER_CODES: Record<InterestLayer, string> = {
  deep: 'd',
  middle: 'm',
  surface: 's',
  noise: 'n',
};

/**
 * The contexts a middle (contextual) interest can be tied to, all in UTC:
 * `weekday` Mon–Fri, `weekend` Sat–Sun, `daytime` 06:00–17:59, `evening` 18:00–05:59.
 */
export type InterestContext = 'weekday' | 'weekend' | 'daytime' | 'evening';

export interface SampleInteraction {
  user: string;
  item: string;
  /** Epoch seconds. */
  timestamp: number;
  eventType: EventType;
  /** The layer that chose this item (funnel steps inherit it from their view). */
  layer: InterestLayer;
  /** The item's primary category (the one the layer drew, except for noise). */
  category: string;
}

export interface SampleItem {
  /**
   * `p` + 5 digits, drawn without replacement from 10000..99999 (non-contiguous); `p` + 6
   * digits from 100000..999999 in catalogues of more than 60,000 items.
   */
  id: string;
  title: string;
  /** 1 to 3 distinct categories; the first is the primary one. */
  categories: string[];
}

export interface WeightedCategory {
  category: string;
  /** Share of the deep layer's draws going to this category; a user's weights sum to 1. */
  weight: number;
}

export interface ContextRule {
  context: InterestContext;
  category: string;
}

export interface SurfaceBurst {
  category: string;
  /** Epoch seconds, inclusive. */
  start: number;
  /** Epoch seconds, exclusive. */
  end: number;
}

export interface DeepDrift {
  /** Epoch seconds: events at or after this time use `deepAfter`. */
  time: number;
  from: string;
  to: string;
  deepBefore: WeightedCategory[];
  deepAfter: WeightedCategory[];
}

export interface PlantedUser {
  user: string;
  /** Rows of this user in interactions.csv. */
  interactions: number;
  /** Views planned by the activity draw (before any drop at the end of the timeline). */
  plannedViews: number;
  /** Long-term interests at the start of the timeline (see `drift` for later ones). */
  deep: WeightedCategory[];
  /** Contextual interests; at most one rule per context, both on the same dimension. */
  middle: ContextRule[];
  /** Short bursts, sorted by start, never overlapping. */
  surface: SurfaceBurst[];
  drift: DeepDrift | null;
  /**
   * One letter per row of this user in time order (d deep, m middle, s surface, n noise):
   * which layer generated each interaction.
   */
  eventLayers: string;
}

export interface CategoryTruth {
  name: string;
  /** Share used to pick users' interests and noise events among categories. */
  popularity: number;
  /** Items whose primary category this is. */
  items: number;
}

export interface ItemTruth {
  item: string;
  category: string;
  /** 1-based Zipf rank within the primary category. */
  rank: number;
  /** Whether the item got the global head boost. */
  head: boolean;
  /** Probability of this item when its category is drawn (after the head boost). */
  weight: number;
}

export interface SampleSummary {
  interactions: number;
  users: number;
  items: number;
  /** Items of the catalogue that no interaction mentions. */
  itemsWithoutInteractions: number;
  eventTypes: Record<EventType, number>;
  layers: Record<InterestLayer, number>;
  driftingUsers: number;
  surfaceBursts: number;
  /** Planned views that would have fallen after the end of the timeline and were not emitted. */
  viewsDroppedAtTimelineEnd: number;
}

export interface SampleGroundTruth {
  format: 'interest-lens-sample-ground-truth';
  version: 1;
  seed: number;
  parameters: SampleConfig;
  timeline: {
    start: number;
    end: number;
    startIso: string;
    endIso: string;
    timeZone: 'UTC';
  };
  contexts: Record<InterestContext, string>;
  layerCodes: Record<InterestLayer, string>;
  summary: SampleSummary;
  categories: CategoryTruth[];
  items: ItemTruth[];
  users: PlantedUser[];
}

export interface SampleData {
  /** Sorted by timestamp, then user id. */
  interactions: SampleInteraction[];
  /** Sorted by item id. */
  items: SampleItem[];
  groundTruth: SampleGroundTruth;
}

/**
 * The vocabulary of layered interests and their evolution: what is asked (a user's history in
 * time order, the item -> category map, the layer parameters) and what comes back (surface,
 * middle and deep layers as category distributions, per-window distributions, drift and change
 * points, a forecast of the next window). Plain data throughout, so a result crosses the worker
 * boundary, is written by the CLI as JSON and drawn by the page without conversion.
 *
 * Interests are distributions over categories. An item with several categories counts
 * 1/|categories| for each; items without a category count for nothing (and are counted, so the
 * page can say how many events had none). By default a run of consecutive events on one item (a
 * view, then its click, cart and buy) counts once in the surface, middle and evolution mixes:
 * one signal of interest, not four (see `InterestOptions.counting`).
 */

/** Categories of every item (dataset order) and their names. */
export interface CategoryMap {
  /** Per item: category indices into `names` (possibly empty). */
  itemCategories: readonly (readonly number[])[];
  names: readonly string[];
  /**
   * True when the categories are k-means clusters of a model's item embeddings (the dataset
   * has no categories): the page marks them as derived.
   */
  derived: boolean;
}

/** One user's history, oldest first (a view of the dataset's arrays). */
export interface InterestHistory {
  items: ArrayLike<number>;
  /** Epoch milliseconds per event; NaN when the dataset has no timestamps. */
  timestamps: ArrayLike<number>;
  /** Action index per event (-1 when none), and the action names (empty when none). */
  actions?: ArrayLike<number>;
  actionNames?: readonly string[];
}

/** Every parameter of the layers, visible and editable in the page and the CLI. */
export interface InterestOptions {
  counting: {
    /**
     * Consecutive events on the same item within a session (at most `surface.sessionGapMinutes`
     * apart) count once (default true) in the surface, middle and evolution mixes: the funnel
     * of one item is one signal, and the rises those layers test need independent signals. The
     * merged signal keeps the first event's time and every action of the run (it belongs to
     * each `action:<name>` context it contains). The deep layer always counts every event: a
     * funnel weighs more than a glance in a long-term interest.
     */
    collapseRepeats: boolean;
  };
  surface: {
    /**
     * `last-n` (default): the last N events; `session`: the latest session (split by an
     * inactivity gap). On the sample, the last 10 events name a burst at its end in 61 % of the
     * bursts, the latest 30-minute session (about 3.5 views) in 44 %.
     */
    mode: 'session' | 'last-n';
    /** Inactivity that ends a session, minutes (default 30); also bounds a merged repeat. */
    sessionGapMinutes: number;
    /** Events of `last-n` (default 10); also the fallback when there are no timestamps. */
    lastN: number;
  };
  middle: {
    /** Fewest events a context needs to be reported (default 5). */
    minEvents: number;
    /**
     * Smallest Jensen-Shannon divergence (bits) between the context's mix and the mix of the
     * user's other events to call it different (default 0.05).
     */
    minDivergence: number;
    /**
     * Smallest rise of the context's top category over the other events, as a two-proportion
     * z, for the context to be reported (default 2): a context of a dozen events differs from
     * the rest by chance alone, and a mirror context (the weekend of a weekday interest) rises
     * only a little.
     */
    minZ: number;
  };
  deep: {
    /** Half-life of the decay weights, days (default 60); events are weighted 2^(-age / half-life). */
    halfLifeDays: number;
  };
  windows: {
    /** `auto` picks day, week or month from the data's time span (about 8 to 60 windows). */
    unit: 'auto' | 'day' | 'week' | 'month';
    /** Events per window when the data has no timestamps (windows by count; default 10). */
    eventsPerWindow: number;
  };
  /**
   * Change points by binary segmentation of the windows: the split into before / after with the
   * largest information gain is a change point when the gain exceeds mean + z·sd of the best
   * gains over shuffled window orders (seeded) and the mixes before and after differ by at
   * least `minDivergence`; then each side is split again.
   */
  changePoints: {
    /** Standard deviations above the shuffled orders' best gains (default 1). */
    z: number;
    /** Smallest Jensen-Shannon divergence (bits) between the mixes before and after (default 0.1). */
    minDivergence: number;
  };
}

export interface CategoryShare {
  category: string;
  share: number;
}

export interface SurfaceLayer {
  /**
   * What is new now: the category whose share rises most over the user's earlier events (the
   * largest positive two-proportion z), or the largest share when there are no earlier events;
   * null when nothing rises. The plain mix is `categories` (usually led by a deep interest).
   */
  top: string | null;
  /** The rise of `top` (two-proportion z; 0 when there is nothing to compare with). */
  topZ: number;
  categories: CategoryShare[];
  /** Events (signals) it is computed from, and when they span (epoch ms; null without timestamps). */
  events: number;
  from: number | null;
  to: number | null;
  /** How it was cut: the latest session, or the last N events (also the fallback). */
  mode: 'session' | 'last-n';
}

/**
 * A context (weekday / weekend / daytime / evening, all UTC, or an action type `action:<name>`)
 * whose category mix differs from the mix of the user's other events, with a category that
 * rises clearly in it (see `InterestOptions.middle`).
 */
export interface MiddleContext {
  context: string;
  /** The mix in this context, largest first. */
  categories: CategoryShare[];
  /**
   * The contextual interest: the category whose share rises most in this context over the
   * user's other events (largest two-proportion z).
   */
  top: string | null;
  /** The rise of `top` as a two-proportion z. */
  topZ: number;
  /** The share of `top` in this context minus its share over all the user's events. */
  lift: number;
  /** Jensen-Shannon divergence from the mix of the user's other events, bits (0..1). */
  divergence: number;
  /** Events (signals) in the context. */
  events: number;
}

/**
 * A long-term interest. `share` is its core weight, normalised over the categories: its
 * decay-weighted share in the time context where it is weakest (weekday, weekend, daytime,
 * evening, UTC; each shrunk toward the overall share so that a thin context cannot decide it)
 * times its stability with windows weighted by recency (the same half-life, so an interest
 * taken up after a drift counts as stable in the windows that matter). A core interest keeps its share in every context and every stretch of
 * time; a contextual (middle) interest collapses outside its context and a burst (surface) is
 * present in few windows, so neither passes for a deep one. Without usable timestamps:
 * (undecayed) share times stability.
 */
export interface DeepCategory extends CategoryShare {
  /** The plain decay-weighted share (weights 2^(-age / half-life), age from the last event). */
  decayedShare: number;
  /** Share of the user's non-empty time windows in which the category appears at all. */
  stability: number;
}

export interface DeepLayer {
  top: string | null;
  categories: DeepCategory[];
  events: number;
}

/** One time window of a user's history (or of a population). */
export interface InterestWindow {
  /** Epoch ms (inclusive / exclusive); signal positions when windows are by count. */
  start: number;
  end: number;
  /** Signals (events, with repeats merged per `counting.collapseRepeats`) in the window. */
  events: number;
  /** Share per category (index into the category names); sums to 1 when events > 0. */
  distribution: number[];
}

export interface InterestEvolution {
  unit: 'day' | 'week' | 'month' | 'count';
  windows: InterestWindow[];
  /** Jensen-Shannon divergence (bits) between consecutive non-empty windows; drift[i] is between window i and the previous non-empty one (0 for the first). */
  drift: number[];
  /**
   * Window indices (ascending) where the mix changes for good (see `InterestOptions.changePoints`):
   * the window where the new mix starts, or the middle of the empty windows between the two.
   */
  changePoints: number[];
}

/** Everything observed for one user. */
export interface UserInterests {
  categories: readonly string[];
  derived: boolean;
  surface: SurfaceLayer;
  middle: MiddleContext[];
  deep: DeepLayer;
  overall: CategoryShare[];
  evolution: InterestEvolution;
  /** Events read (before `asOf`), and how many were merged into the signal before them. */
  events: number;
  repeatsMerged: number;
  /** Signals whose item has no category. */
  uncategorised: number;
  /** Degenerate data said plainly (equal timestamps, no timestamps, one window ...). */
  notes: string[];
}

/** Every field optional, at every depth: what a caller passes to `resolveInterestOptions`. */
export type DeepPartial<T> = {
  [K in keyof T]?: T[K] extends object ? DeepPartial<T[K]> : T[K];
};

/** A group of users for the population view: all, or the top / bottom 20 % by interactions. */
export type Cohort = 'all' | 'heavy' | 'light';

/** The evolution of a group of users on one grid shared by all of them. */
export interface PopulationEvolution extends InterestEvolution {
  users: number;
  /** Events read, over all the group's users. */
  events: number;
  notes: string[];
}

export const DEFAULT_INTEREST_OPTIONS: InterestOptions = {
  counting: { collapseRepeats: true },
  surface: { mode: 'last-n', sessionGapMinutes: 30, lastN: 10 },
  middle: { minEvents: 5, minDivergence: 0.05, minZ: 2 },
  deep: { halfLifeDays: 60 },
  windows: { unit: 'auto', eventsPerWindow: 10 },
  changePoints: { z: 1, minDivergence: 0.1 },
};

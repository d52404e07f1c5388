/**
 * A history as the layers read it: with `collapseRepeats`, a run of consecutive events on the
 * same item within a session (each at most `gapMs` after the one before; any gap without
 * timestamps), such as a view then its click, cart and buy, is one signal of interest, at the
 * time of its first event and carrying every action of the run; otherwise every event is its
 * own signal. Coming back to an item in a later session is a new signal.
 */

export interface InterestEvents {
  items: Int32Array;
  /** Epoch ms per signal (the first event's time); NaN when there are no timestamps. */
  times: Float64Array;
  /** Distinct action indices per signal (empty when the data has none); null without actions. */
  actions: number[][] | null;
  /** Events read (before merging repeats). */
  events: number;
}

/** The signals of events `from..to` of a history (ascending time or file order). */
export function collectEvents(
  items: ArrayLike<number>,
  timestamps: ArrayLike<number>,
  actions: ArrayLike<number> | undefined,
  collapseRepeats: boolean,
  from = 0,
  to = items.length,
  gapMs = Number.POSITIVE_INFINITY,
): InterestEvents {
  const keptItems: number[] = [];
  const keptTimes: number[] = [];
  const keptActions: number[][] | null = actions ? [] : null;
  for (let i = from; i < to; i++) {
    const merge =
      collapseRepeats &&
      i > from &&
      items[i] === items[i - 1] &&
      !(timestamps[i] - timestamps[i - 1] > gapMs);
    if (!merge) {
      keptItems.push(items[i]);
      keptTimes.push(timestamps[i]);
      keptActions?.push([]);
    }
    if (keptActions && actions) {
      const a = actions[i];
      const list = keptActions[keptActions.length - 1];
      if (a >= 0 && !list.includes(a)) list.push(a);
    }
  }
  return {
    items: Int32Array.from(keptItems),
    times: Float64Array.from(keptTimes),
    actions: keptActions,
    events: Math.max(0, to - from),
  };
}

import { describe, expect, it } from 'vitest';
import { detectChangePoints } from './changePoints';
import { countCategories } from './distribution';
import {
  cohortUsers,
  populationEvolution,
  resolveInterestOptions,
  timeGrid,
  userInterests,
  windowUnitFor,
} from './observed';
import { MAX_WINDOWS, MS_DAY, timeContexts, utcHour, utcWeekday } from './time';
import {
  type CategoryMap,
  DEFAULT_INTEREST_OPTIONS,
  type InterestHistory,
  type InterestOptions,
} from './types';

// Items 0-9 are category A, 10-19 B, 20-29 C, 30-39 D; item 40 has no category.
const names = ['A', 'B', 'C', 'D'];
const categories: CategoryMap = {
  itemCategories: [...Array.from({ length: 40 }, (_, i) => [Math.floor(i / 10)]), []],
  names,
  derived: false,
};
const item = (category: number, n: number) => category * 10 + (n % 10);
/** 2025-01-06 (a Monday) + `day` days, at `hour`:`minute` UTC. */
const at = (day: number, hour = 12, minute = 0) => Date.UTC(2025, 0, 6 + day, hour, minute);
const defaults = resolveInterestOptions();
const withOptions = (o: Parameters<typeof resolveInterestOptions>[0]): InterestOptions =>
  resolveInterestOptions(o);

function history(events: [number, number][], actions?: number[], actionNames?: string[]) {
  const h: InterestHistory = {
    items: Int32Array.from(events.map((e) => e[0])),
    timestamps: Float64Array.from(events.map((e) => e[1])),
  };
  if (actions) {
    h.actions = Int32Array.from(actions);
    h.actionNames = actionNames ?? [];
  }
  return h;
}

describe('resolveInterestOptions', () => {
  it('fills the defaults and merges a partial input section by section', () => {
    expect(resolveInterestOptions()).toEqual(DEFAULT_INTEREST_OPTIONS);
    const o = resolveInterestOptions({ deep: { halfLifeDays: 14 }, surface: { lastN: 5 } });
    expect(o.deep.halfLifeDays).toBe(14);
    expect(o.surface).toEqual({ ...DEFAULT_INTEREST_OPTIONS.surface, lastN: 5 });
    expect(o.middle).toEqual(DEFAULT_INTEREST_OPTIONS.middle);
  });

  it.each([
    ['surface.mode', { surface: { mode: 'recent' } }],
    ['surface.sessionGapMinutes', { surface: { sessionGapMinutes: 0 } }],
    ['surface.lastN', { surface: { lastN: 2.5 } }],
    ['middle.minEvents', { middle: { minEvents: 0 } }],
    ['middle.minDivergence', { middle: { minDivergence: 1.5 } }],
    ['middle.minZ', { middle: { minZ: -1 } }],
    ['deep.halfLifeDays', { deep: { halfLifeDays: -3 } }],
    ['deep.halfLifeDays', { deep: { halfLifeDays: Number.NaN } }],
    ['windows.unit', { windows: { unit: 'year' } }],
    ['windows.eventsPerWindow', { windows: { eventsPerWindow: 0 } }],
    ['changePoints.z', { changePoints: { z: Number.POSITIVE_INFINITY } }],
    ['changePoints.minDivergence', { changePoints: { minDivergence: -0.1 } }],
    ['counting.collapseRepeats', { counting: { collapseRepeats: 'yes' } }],
  ])('refuses a bad %s in one sentence naming it', (field, input) => {
    const run = () => resolveInterestOptions(input as never);
    expect(run).toThrow(RangeError);
    expect(run).toThrow(
      new RegExp(`^Interest option ${field.replace('.', '\\.')} must be [^.]+.*\\.$`),
    );
  });
});

describe('time', () => {
  it('picks day, week or month windows for roughly 8 to 60 windows', () => {
    expect(windowUnitFor(10 * MS_DAY)).toBe('day');
    expect(windowUnitFor(60 * MS_DAY)).toBe('day');
    expect(windowUnitFor(61 * MS_DAY)).toBe('week');
    expect(windowUnitFor(120 * MS_DAY)).toBe('week');
    expect(windowUnitFor(420 * MS_DAY)).toBe('week');
    expect(windowUnitFor(421 * MS_DAY)).toBe('month');
    expect(windowUnitFor(0)).toBe('day');
    expect(windowUnitFor(Number.NaN)).toBe('day');
  });

  it('builds calendar-month grids and midnight-aligned day and week grids (UTC)', () => {
    const months = timeGrid(Date.UTC(2024, 11, 15, 8), Date.UTC(2025, 1, 2), 'month');
    expect(months.bounds).toEqual([
      Date.UTC(2024, 11, 1),
      Date.UTC(2025, 0, 1),
      Date.UTC(2025, 1, 1),
      Date.UTC(2025, 2, 1),
    ]);
    const weeks = timeGrid(at(0, 15), at(13, 23), 'week');
    expect(weeks.bounds).toEqual([at(0, 0), at(7, 0), at(14, 0)]);
    const days = timeGrid(at(0, 15), at(0, 16), 'day');
    expect(days.bounds).toEqual([at(0, 0), at(1, 0)]);
    expect(() => timeGrid(0, (MAX_WINDOWS + 5) * MS_DAY, 'day')).toThrow(RangeError);
  });

  it('places instants in the UTC contexts', () => {
    expect(utcWeekday(at(5))).toBe(6); // Saturday
    expect(utcHour(at(0, 18, 30))).toBe(18);
    expect(timeContexts(at(0, 6))).toEqual([0, 2]); // Monday 06:00: weekday, daytime
    expect(timeContexts(at(6, 5, 59))).toEqual([1, 3]); // Sunday 05:59: weekend, evening
    expect(timeContexts(at(4, 17, 59))).toEqual([0, 2]); // Friday 17:59
    expect(timeContexts(at(4, 18))).toEqual([0, 3]);
  });
});

describe('degenerate histories are said plainly', () => {
  it('an empty history gives empty layers and a note', () => {
    const r = userInterests(history([]), categories, defaults);
    expect(r.surface.top).toBeNull();
    expect(r.surface.events).toBe(0);
    expect(r.middle).toEqual([]);
    expect(r.deep.top).toBeNull();
    expect(r.deep.categories).toEqual([]);
    expect(r.overall).toEqual([]);
    expect(r.evolution.windows).toEqual([]);
    expect(r.events).toBe(0);
    expect(r.notes).toEqual(['This user has no events.']);
  });

  it('without timestamps: windows by count in file order, the last N events, and a note', () => {
    const events: [number, number][] = Array.from({ length: 25 }, (_, i) => [
      item(i < 15 ? 0 : 1, i),
      Number.NaN,
    ]);
    const r = userInterests(history(events), categories, defaults);
    expect(r.evolution.unit).toBe('count');
    expect(r.evolution.windows.map((w) => [w.start, w.end, w.events])).toEqual([
      [0, 10, 10],
      [10, 20, 10],
      [20, 25, 5],
    ]);
    expect(r.evolution.windows[1].distribution).toEqual([0.5, 0.5, 0, 0]);
    expect(r.evolution.drift[1]).toBeGreaterThan(0);
    expect(r.notes.join(' ')).toMatch(/no timestamps: file order is the sequence, windows hold 10/);
    expect(r.surface.mode).toBe('last-n');
    expect(r.surface.events).toBe(10);
    expect(r.surface.from).toBeNull();
    expect(r.middle.every((m) => m.context.startsWith('action:'))).toBe(true);
    // Undecayed: B (10 of 25) trails A (15 of 25), both present in every window they span.
    expect(r.deep.categories[0].decayedShare).toBeCloseTo(0.6, 12);

    const session = userInterests(
      history(events),
      categories,
      withOptions({ surface: { mode: 'session' } }),
    );
    expect(session.surface.mode).toBe('last-n');
    expect(session.notes.join(' ')).toMatch(/Sessions need distinct timestamps/);
  });

  it('all timestamps equal (or all 0): the same as none, said with the time', () => {
    const events: [number, number][] = Array.from({ length: 12 }, (_, i) => [item(0, i), 0]);
    const r = userInterests(history(events), categories, defaults);
    expect(r.evolution.unit).toBe('count');
    expect(r.notes.join(' ')).toMatch(
      /All 12 events carry the same timestamp \(1970-01-01T00:00Z\)/,
    );
  });

  it('some timestamps at 0 are flagged as placeholders', () => {
    const r = userInterests(
      history([
        [item(0, 0), 0],
        [item(0, 1), at(0)],
        [item(0, 2), at(1)],
      ]),
      categories,
      defaults,
    );
    expect(r.notes.join(' ')).toMatch(/1 of 3 events have timestamp 0/);
  });

  it('a user within one window gets one window and a note', () => {
    const r = userInterests(
      history([
        [item(0, 0), at(2, 9)],
        [item(1, 0), at(2, 10)],
      ]),
      categories,
      defaults,
    );
    expect(r.evolution.unit).toBe('day');
    expect(r.evolution.windows).toHaveLength(1);
    expect(r.evolution.changePoints).toEqual([]);
    expect(r.notes).toContain('All events fall in one day: there is no evolution to show.');
  });

  it('timestamps over more than MAX_WINDOWS months fall back to windows by count', () => {
    const r = userInterests(
      history([
        [item(0, 0), Date.parse('0001-01-01T00:00:00Z')],
        [item(1, 0), at(0)],
      ]),
      categories,
      defaults,
    );
    expect(r.evolution.unit).toBe('count');
    expect(r.notes.join(' ')).toMatch(/span more than 2000 months/);
  });

  it('only uncategorised items: empty layers, counted, and a note', () => {
    const r = userInterests(
      history([
        [40, at(0)],
        [40, at(3)],
      ]),
      categories,
      withOptions({ counting: { collapseRepeats: false } }),
    );
    expect(r.uncategorised).toBe(2);
    expect(r.deep.top).toBeNull();
    expect(r.surface.top).toBeNull();
    expect(r.notes.join(' ')).toMatch(/None of these events has an item with a category/);
  });

  it('asOf keeps only the events before it', () => {
    const h = history([
      [item(0, 0), at(0)],
      [item(1, 0), at(1)],
      [item(2, 0), at(2)],
    ]);
    const r = userInterests(h, categories, defaults, at(2));
    expect(r.events).toBe(2);
    expect(r.overall.map((s) => s.category)).toEqual(['A', 'B']);
    const none = userInterests(h, categories, defaults, at(-1));
    expect(none.events).toBe(0);
    expect(none.notes[0]).toMatch(/^No events before 2025-01-05/);
  });

  it('refuses a history whose timestamps do not match its items', () => {
    expect(() => userInterests({ items: [1, 2], timestamps: [0] }, categories, defaults)).toThrow(
      RangeError,
    );
  });
});

describe('surface layer', () => {
  // Two weeks of A every day at noon, then a late session of B and A.
  const base: [number, number][] = Array.from({ length: 14 }, (_, d) => [item(0, d), at(d)]);
  const latest: [number, number][] = [
    [item(0, 20), at(14, 20, 0)],
    [item(1, 1), at(14, 20, 5)],
    [item(1, 2), at(14, 20, 10)],
    [item(0, 21), at(14, 20, 15)],
    [item(1, 3), at(14, 20, 20)],
  ];
  const h = history([...base, ...latest]);

  it('session mode: the latest session (split by the gap), top = what rises over before', () => {
    const r = userInterests(h, categories, withOptions({ surface: { mode: 'session' } }));
    expect(r.surface.mode).toBe('session');
    expect(r.surface.events).toBe(5);
    expect(r.surface.from).toBe(at(14, 20, 0));
    expect(r.surface.to).toBe(at(14, 20, 20));
    expect(r.surface.categories).toEqual([
      { category: 'B', share: 0.6 },
      { category: 'A', share: 0.4 },
    ]);
    expect(r.surface.top).toBe('B');
    expect(r.surface.topZ).toBeGreaterThan(2);
  });

  it('a larger gap merges sessions; last-n takes the last N events', () => {
    const merged = userInterests(
      h,
      categories,
      withOptions({ surface: { mode: 'session', sessionGapMinutes: 60 * 48 } }),
    );
    expect(merged.surface.events).toBe(19);
    const last = userInterests(
      h,
      categories,
      withOptions({ surface: { mode: 'last-n', lastN: 3 } }),
    );
    expect(last.surface.mode).toBe('last-n');
    expect(last.surface.events).toBe(3);
    expect(last.surface.top).toBe('B');
  });

  it('with nothing before it, top is the largest share', () => {
    const r = userInterests(
      history(latest),
      categories,
      withOptions({ surface: { mode: 'session' } }),
    );
    expect(r.surface.top).toBe('B');
    expect(r.surface.topZ).toBe(0);
  });
});

/** 8 weeks: A on weekday mornings, A and C at weekends (C only then), D now and then. */
function weekendUser(): InterestHistory {
  const events: [number, number][] = [];
  let n = 0;
  for (let week = 0; week < 8; week++) {
    for (let day = 0; day < 5; day++) events.push([item(0, n++), at(week * 7 + day, 9)]);
    events.push([item(3, n++), at(week * 7 + 2, 10)]);
    events.push([item(2, n++), at(week * 7 + 5, 11)]);
    events.push([item(2, n++), at(week * 7 + 5, 11, 10)]);
    events.push([item(0, n++), at(week * 7 + 6, 11)]);
  }
  return history(events.sort((a, b) => a[1] - b[1]));
}

describe('middle layer', () => {
  it('finds a weekend interest: its top is the category rising at weekends', () => {
    const r = userInterests(weekendUser(), categories, defaults);
    const weekend = r.middle.find((m) => m.context === 'weekend');
    expect(weekend).toBeDefined();
    expect(weekend?.top).toBe('C');
    expect(weekend?.events).toBe(24);
    expect(weekend?.topZ).toBeGreaterThan(2);
    expect(weekend?.lift).toBeCloseTo(16 / 24 - 16 / 72, 12);
    expect(weekend?.divergence).toBeGreaterThan(0.3);
    // The weekday side is the mirror: A rises a little there, and so it is reported too, but
    // never with C.
    expect(r.middle.find((m) => m.context === 'weekday')?.top ?? 'A').toBe('A');
    // Every event is at daytime: no evening context, and daytime holds everything.
    expect(r.middle.some((m) => m.context === 'daytime' || m.context === 'evening')).toBe(false);
  });

  it('respects minEvents, minDivergence and minZ', () => {
    const h = weekendUser();
    expect(
      userInterests(h, categories, withOptions({ middle: { minEvents: 100 } })).middle,
    ).toEqual([]);
    expect(
      userInterests(h, categories, withOptions({ middle: { minDivergence: 1 } })).middle,
    ).toEqual([]);
    expect(userInterests(h, categories, withOptions({ middle: { minZ: 50 } })).middle).toEqual([]);
  });

  it('action contexts: action:<name>, with merged repeats belonging to each action of their run', () => {
    const events: [number, number][] = [];
    const actions: number[] = [];
    for (let i = 0; i < 30; i++) {
      const bought = i % 3 === 0;
      const it = item(bought ? 1 : 0, i);
      events.push([it, at(i, 9)]);
      actions.push(0);
      if (bought) {
        events.push([it, at(i, 9, 2)]);
        actions.push(1);
      }
    }
    const h = history(events, actions, ['view', 'buy']);
    const r = userInterests(h, categories, defaults);
    expect(r.repeatsMerged).toBe(10);
    expect(r.events).toBe(40);
    const buy = r.middle.find((m) => m.context === 'action:buy');
    expect(buy?.top).toBe('B');
    expect(buy?.events).toBe(10);
    // Every signal has a view: that context holds everything and is never reported.
    expect(r.middle.some((m) => m.context === 'action:view')).toBe(false);
  });
});

describe('deep layer', () => {
  it('decays with the half-life: recent events weigh more', () => {
    // 10 A events 100 days before the last, 10 B events in the last days; both every day.
    const events: [number, number][] = [];
    for (let i = 0; i < 10; i++) events.push([item(0, i), at(i)]);
    for (let i = 0; i < 10; i++) events.push([item(1, i), at(100 + i)]);
    const short = userInterests(
      history(events),
      categories,
      withOptions({ deep: { halfLifeDays: 7 } }),
    );
    expect(short.deep.top).toBe('B');
    const b = short.deep.categories.find((c) => c.category === 'B');
    expect(b?.decayedShare).toBeGreaterThan(0.99);
    const long = userInterests(
      history(events),
      categories,
      withOptions({ deep: { halfLifeDays: 10_000 } }),
    );
    expect(long.deep.categories.find((c) => c.category === 'A')?.decayedShare).toBeCloseTo(0.5, 2);
    // Stability: A in the first two weeks' windows, B in the last two.
    expect(long.deep.categories.every((c) => c.stability > 0 && c.stability <= 1)).toBe(true);
  });

  it('a contextual interest does not pass for a core one, even when it is the most frequent', () => {
    // A on every weekday at noon (40 events); C only at weekends, 48 events.
    const events: [number, number][] = [];
    for (let week = 0; week < 8; week++) {
      for (let day = 0; day < 5; day++) events.push([item(0, week + day), at(week * 7 + day)]);
      for (let j = 0; j < 6; j++) events.push([item(2, j), at(week * 7 + 5, 10 + j)]);
    }
    const r = userInterests(
      history(events),
      categories,
      withOptions({ counting: { collapseRepeats: false } }),
    );
    expect(r.overall[0].category).toBe('C');
    expect(r.deep.top).toBe('A');
    const shares = r.deep.categories.reduce((s, c) => s + c.share, 0);
    expect(shares).toBeCloseTo(1, 12);
  });
});

describe('evolution', () => {
  /** 12 weeks, three events a week; A before week 6, B from week 6. */
  function switchingUser(): InterestHistory {
    const events: [number, number][] = [];
    for (let week = 0; week < 12; week++) {
      for (let d = 0; d < 3; d++)
        events.push([item(week < 6 ? 0 : 1, week * 3 + d), at(week * 7 + d * 2)]);
    }
    return history(events);
  }

  it('weekly windows, drift between consecutive windows, and the change point', () => {
    const r = userInterests(switchingUser(), categories, defaults);
    expect(r.evolution.unit).toBe('week');
    expect(r.evolution.windows).toHaveLength(12);
    expect(r.evolution.windows[0].start).toBe(at(0, 0));
    expect(r.evolution.windows[0].end).toBe(at(7, 0));
    expect(r.evolution.drift[0]).toBe(0);
    expect(r.evolution.drift[5]).toBeCloseTo(0, 12);
    expect(r.evolution.drift[6]).toBeCloseTo(1, 12);
    expect(r.evolution.changePoints).toEqual([6]);
  });

  it('no change point in a steady mix; the range aligns windows across users', () => {
    const events: [number, number][] = [];
    for (let week = 0; week < 12; week++) {
      events.push([item(0, week), at(week * 7 + 1)]);
      events.push([item(1, week), at(week * 7 + 3)]);
    }
    const r = userInterests(history(events), categories, defaults);
    expect(r.evolution.changePoints).toEqual([]);
    // With the dataset's range starting 3 days earlier, weeks start on that day.
    const range = { min: at(-3, 7), max: at(100) };
    const aligned = userInterests(history(events), categories, defaults, undefined, range);
    expect(aligned.evolution.windows[0].start).toBe(at(-3, 0));
    expect((aligned.evolution.windows[1].start - at(-3, 0)) % (7 * MS_DAY)).toBe(0);
    // Only the user's own stretch of the shared grid.
    expect(aligned.evolution.windows.at(-1)?.end).toBeGreaterThan(at(78));
    expect(aligned.evolution.windows.at(-1)?.start).toBeLessThanOrEqual(at(78));
  });

  it('calendar months for long spans, and a unit that is asked for', () => {
    const events: [number, number][] = [];
    for (let d = 0; d < 500; d += 10) events.push([item(0, d / 10), at(d)]);
    const r = userInterests(history(events), categories, defaults);
    expect(r.evolution.unit).toBe('month');
    expect(r.evolution.windows[0].start).toBe(Date.UTC(2025, 0, 1));
    expect(r.evolution.windows[1].start).toBe(Date.UTC(2025, 1, 1));
    const daily = userInterests(
      history(events.slice(0, 5)),
      categories,
      withOptions({ windows: { unit: 'day' } }),
    );
    expect(daily.evolution.unit).toBe('day');
    expect(daily.evolution.windows).toHaveLength(41);
  });

  it('change points need a persistent shift, not a one-window burst', () => {
    const steady = [1, 1];
    const counts = Array.from({ length: 12 }, (_, w) =>
      countCategories(
        w === 5 ? [item(2, 0), item(2, 1), item(2, 2), item(2, 3)] : [item(0, w), item(1, w)],
        categories,
      ),
    );
    expect(steady).toHaveLength(2);
    expect(detectChangePoints(counts, defaults.changePoints)).toEqual([]);
    const shifted = Array.from({ length: 12 }, (_, w) =>
      countCategories(w < 7 ? [item(0, w), item(1, w)] : [item(2, w), item(1, w)], categories),
    );
    expect(detectChangePoints(shifted, defaults.changePoints)).toEqual([7]);
    // Empty windows between the two sides: the middle of the gap.
    const gap = shifted.map((c, w) => (w >= 5 && w < 9 ? countCategories([], categories) : c));
    expect(detectChangePoints(gap, defaults.changePoints)).toEqual([7]);
  });
});

describe('population view', () => {
  // Three users: 0 reads A then B, 1 reads A, 2 (light) reads C once; 2025-01-06 .. 2025-04-06.
  const events: { user: number; item: number; t: number }[] = [];
  for (let d = 0; d < 90; d += 2)
    events.push({ user: 0, item: item(d < 45 ? 0 : 1, d), t: at(d, 10) });
  for (let d = 1; d < 90; d += 3) events.push({ user: 1, item: item(0, d), t: at(d, 10) });
  events.push({ user: 2, item: item(2, 0), t: at(30, 10) });
  events.sort((a, b) => a.user - b.user || a.t - b.t);
  const userOffsets = Int32Array.from(
    [0, 1, 2, 3].map((u) => events.filter((e) => e.user < u).length),
  );
  const dataset = {
    userOffsets,
    item: Int32Array.from(events.map((e) => e.item)),
    timestamp: Float64Array.from(events.map((e) => e.t)),
    hasTimestamps: true,
  };

  it('cohorts: all, heavy and light users by interaction count', () => {
    expect(Array.from(cohortUsers(dataset, 'all'))).toEqual([0, 1, 2]);
    expect(Array.from(cohortUsers(dataset, 'heavy'))).toEqual([0]);
    expect(Array.from(cohortUsers(dataset, 'light'))).toEqual([2]);
    expect(Array.from(cohortUsers(dataset, 'heavy', 0.67))).toEqual([0, 1]);
    expect(() => cohortUsers(dataset, 'heavy', 0)).toThrow(RangeError);
  });

  it('sums users on one grid from the first timestamp, and finds the shift', () => {
    const all = populationEvolution(dataset, cohortUsers(dataset, 'all'), categories, defaults);
    expect(all.unit).toBe('week');
    expect(all.windows[0].start).toBe(at(0, 0));
    expect(all.windows).toHaveLength(13);
    expect(all.users).toBe(3);
    expect(all.events).toBe(events.length);
    expect(all.windows.reduce((s, w) => s + w.events, 0)).toBe(events.length);
    expect(all.changePoints.length).toBeGreaterThan(0);
    expect(all.changePoints.some((c) => Math.abs(c - 6) <= 1)).toBe(true);
    const light = populationEvolution(dataset, cohortUsers(dataset, 'light'), categories, defaults);
    expect(light.windows).toHaveLength(13); // the same grid, mostly empty
    expect(light.windows[4].distribution).toEqual([0, 0, 1, 0]);
    // The same windows mean the same dates for a user.
    const user0 = userInterests(
      {
        items: dataset.item.subarray(0, userOffsets[1]),
        timestamps: dataset.timestamp.subarray(0, userOffsets[1]),
      },
      categories,
      defaults,
      undefined,
      { min: at(0, 10), max: at(89, 10) },
    );
    expect(user0.evolution.windows.map((w) => w.start)).toEqual(
      all.windows.slice(0, user0.evolution.windows.length).map((w) => w.start),
    );
  });

  it('without timestamps: window k holds each user`s k-th block, said in a note', () => {
    const untimed = {
      ...dataset,
      timestamp: new Float64Array(events.length).fill(Number.NaN),
      hasTimestamps: false,
    };
    const r = populationEvolution(untimed, cohortUsers(untimed, 'all'), categories, defaults);
    expect(r.unit).toBe('count');
    expect(r.windows[0].events).toBe(21); // 10 + 10 + 1
    expect(r.notes[0]).toMatch(/no timestamps: window k holds each user's k-th block of 10 events/);
    const none = populationEvolution(dataset, new Int32Array(0), categories, defaults);
    expect(none.windows).toEqual([]);
    expect(none.notes).toEqual(['This group has no events.']);
  });
});

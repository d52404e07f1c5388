import { memo, useCallback, useDeferredValue, useMemo } from 'react';
import type { NamedCount } from '../../core/data/types';
import { shownModelKey } from '../../state/selectionSlice';
import { useAppStore, useShallow } from '../../state/store';
import { applyEdits, decodeEdits, removedPositions } from '../../state/whatIf';
import { explainItem, toggleRemoval, WHY_K } from '../../state/whyActions';
import type { TimelineItem } from '../../worker/api';
import { BarList } from '../BarList';
import { UserTimeline } from '../charts/UserTimeline';
import { UserPicker } from '../UserPicker';
import { ExplanationPanel } from './ExplanationPanel';
import { ItemSearch } from './ItemSearch';
import { interestSentence } from './interestMatch';
import { liveReport } from './liveReport';
import { RecommendationRail } from './RecommendationRail';
import { WhatIfBar } from './WhatIfBar';
import './why.css';
import './whyView.css';

const NO_ITEMS: TimelineItem[] = [];

/** The timeline and the category mix redraw only when their own inputs change, not per event. */
const Timeline = memo(UserTimeline);
const CategoryBars = memo(BarList);
const WhatIf = memo(WhatIfBar);
const Explanation = memo(ExplanationPanel);

/** Interactions per category of a history (an item in several categories counts in each). */
export function categoryMix(items: readonly Pick<TimelineItem, 'categories'>[]): NamedCount[] {
  const counts = new Map<string, number>();
  for (const item of items) {
    for (const c of item.categories) counts.set(c, (counts.get(c) ?? 0) + 1);
  }
  return [...counts.entries()]
    .map(([name, count]) => ({ name, count }))
    .sort((a, b) => b.count - a.count || a.name.localeCompare(b.name));
}

/** The model picker of the Why view, and which model it is when it is the shipped one. */
function ModelChooser() {
  const { shown, keys, bundledName, sampleStatus, sampleMessage } = useAppStore(
    useShallow((s) => {
      const key = shownModelKey(s);
      const card = key ? s.cards[key]?.card : null;
      return {
        shown: key,
        keys: Object.entries(s.cards)
          .filter(([, c]) => c.card !== null)
          .map(([k]) => k)
          .join(','),
        bundledName: card?.source.kind === 'bundled' ? card.id : null,
        sampleStatus: s.sampleModel.status,
        sampleMessage: s.sampleModel.message,
      };
    }),
  );
  const selectRecModel = useAppStore((s) => s.selectRecModel);
  const setView = useAppStore((s) => s.setView);
  const list = keys ? keys.split(',') : [];
  return (
    <div className="why-model">
      <label className="model-select">
        Model
        <select
          data-testid="why-model-select"
          value={shown ?? ''}
          disabled={list.length === 0}
          onChange={(event) => selectRecModel(event.currentTarget.value || null)}
        >
          {list.length === 0 && <option value="">no model yet</option>}
          {list.map((key) => (
            <option key={key} value={key}>
              {key}
            </option>
          ))}
        </select>
      </label>
      {bundledName && (
        <p className="muted small" data-testid="why-model-note">
          <code>{bundledName}</code> pre-trained on the sample, shipped with the app. Train your own
          in Models.
        </p>
      )}
      {!shown && (
        <p className="muted small">
          {sampleStatus === 'loading'
            ? 'Loading the model shipped with the sample…'
            : 'No model yet: '}
          {sampleStatus !== 'loading' && (
            <button type="button" className="link-button" onClick={() => setView('models')}>
              train one in Models
            </button>
          )}
        </p>
      )}
      {sampleMessage && <p className="error-text small">{sampleMessage}</p>}
    </div>
  );
}

/**
 * The Why view: pick a user, see their history on a timeline and the model's top-K, click one
 * (or search any item) and see why, then edit the history and watch it change.
 */
export function WhyView() {
  const { hasData, user, modelKey, modelId, recs, timeline, explanation, edits, whyMethod } =
    useAppStore(
      useShallow((s) => {
        const key = shownModelKey(s);
        return {
          hasData: s.summary !== null,
          user: s.selectedUser,
          modelKey: key,
          modelId: key ? (s.cards[key]?.card?.id ?? key) : null,
          recs: s.recs,
          timeline: s.timeline,
          explanation: s.explanation,
          edits: s.edits,
          whyMethod: s.whyMethod,
        };
      }),
    );
  const baseline = useAppStore((s) => s.baseline);
  const whatIfRecs = useAppStore((s) => s.whatIfRecs);
  const interests = useAppStore((s) =>
    s.userInterests.result?.userId === s.selectedUser ? s.userInterests.result : null,
  );

  const timelineItems = timeline.userId === user ? timeline.items : NO_ITEMS;
  const entries = useMemo(() => applyEdits(timelineItems, edits), [timelineItems, edits]);
  const removed = useMemo(() => removedPositions(edits), [edits]);
  const mix = useMemo(() => categoryMix(timelineItems), [timelineItems]);
  const titles = useMemo(
    () => new Map(timelineItems.map((t) => [t.position, t.title ?? t.itemId])),
    [timelineItems],
  );
  const titleAt = useCallback(
    (position: number) => titles.get(position) ?? `item at ${position + 1}`,
    [titles],
  );
  const recInfo = useMemo(() => new Map(recs.items.map((r) => [r.itemId, r])), [recs.items]);
  // The panel draws from a deferred copy: React renders it in slices that yield to the main
  // thread, and a burst of streamed parts becomes one render.
  const shown = useDeferredValue(explanation);
  const shownEdits = shown.request?.edits ?? '';
  const explainedEntries = useMemo(
    () => applyEdits(timelineItems, decodeEdits(shownEdits)),
    [timelineItems, shownEdits],
  );
  const report = useMemo(
    () =>
      liveReport(shown, {
        entries: explainedEntries,
        modelId: modelId ?? '',
        modelKey: modelKey ?? '',
        userId: shownEdits ? null : user,
        itemInfo: (id) => recInfo.get(id) ?? null,
      }),
    [shown, explainedEntries, shownEdits, modelId, modelKey, user, recInfo],
  );
  const edited = edits.length > 0;
  const explainedItem = explanation.item;
  const ownRecs = recs.modelKey === modelKey && recs.userId === user;
  const showWhatIfList =
    edited && whatIfRecs !== null && whatIfRecs.requestId === explanation.request?.id;
  const listItems = showWhatIfList ? whatIfRecs.items : ownRecs ? recs.items : [];
  const rankBefore = useMemo(
    () => (showWhatIfList ? new Map(recs.items.map((r, i) => [r.itemId, i + 1])) : undefined),
    [showWhatIfList, recs.items],
  );
  const baselineMatches =
    baseline !== null &&
    baseline.modelKey === modelKey &&
    baseline.userId === user &&
    baseline.itemId === explainedItem;
  const itemLabel =
    explainedItem === null
      ? null
      : `“${report?.title ?? recInfo.get(explainedItem)?.title ?? explainedItem}”`;
  const timelineReady = timeline.status === 'ready' && timeline.userId === user;
  const explainedCategories = useMemo(
    () =>
      explainedItem === null
        ? null
        : (report?.categories ?? recInfo.get(explainedItem)?.categories ?? null),
    [explainedItem, report?.categories, recInfo],
  );
  const highlight = useMemo(
    () => (explainedCategories ? new Set(explainedCategories) : undefined),
    [explainedCategories],
  );

  if (!hasData) {
    return <p className="card muted">Loading the data…</p>;
  }
  return (
    <div className="why-view">
      <aside className="why-side" aria-label="User and recommendations">
        <section className="card" aria-labelledby="why-user-title">
          <h2 id="why-user-title">User</h2>
          <UserPicker />
          <ModelChooser />
        </section>
        <section className="card" aria-labelledby="why-recs-title">
          <h2 id="why-recs-title">
            {showWhatIfList ? `Top ${WHY_K} with the edits` : `Top ${WHY_K} recommendations`}
          </h2>
          {recs.status === 'error' && ownRecs && (
            <p className="error-text" role="alert">
              {recs.error}
            </p>
          )}
          <RecommendationRail
            items={listItems}
            status={showWhatIfList ? whatIfRecs.status : ownRecs ? recs.status : 'loading'}
            explained={explainedItem}
            onExplain={explainItem}
            label={`Top ${WHY_K} for ${user ?? 'the user'}${showWhatIfList ? ' with the what-if edits' : ''}`}
            rankBefore={rankBefore}
          />
          <p className="muted small">Click one (or Enter) to see why; ↑ ↓ move through the list.</p>
          <ItemSearch
            label="Or explain any item"
            action="Explain"
            testId="explain-item-search"
            disabled={!modelKey || !user}
            onPick={(match) => explainItem(match.itemId)}
          />
        </section>
        <section className="card" aria-labelledby="why-mix-title">
          <h2 id="why-mix-title" className="visually-hidden">
            Category mix
          </h2>
          <CategoryBars
            title="The user's category mix"
            items={mix}
            emptyText={timelineReady ? 'The data has no categories.' : 'Loading the history…'}
            limit={8}
          />
        </section>
      </aside>
      <div className="why-main">
        <section className="card why-timeline-card" aria-labelledby="why-timeline-title">
          <h2 id="why-timeline-title">
            History of <code>{user ?? '…'}</code>
            <span className="muted small">
              {' '}
              {timelineItems.length} interactions
              {timeline.readLimit !== null && timelineItems.length > timeline.readLimit
                ? `; ${modelKey} reads the last ${timeline.readLimit}`
                : ''}
            </span>
          </h2>
          {interests && explainedCategories && (
            <p className="small" data-testid="why-interest-match">
              {interestSentence(explainedCategories, interests.observed)}{' '}
              <span className="muted">
                Ticks above the timeline mark the history items of{' '}
                {explainedCategories.length === 1 ? 'this category' : 'these categories'}.
              </span>
            </p>
          )}
          {timeline.status === 'error' && timeline.userId === user && (
            <p className="error-text" role="alert">
              {timeline.error}
            </p>
          )}
          {timelineItems.length > 0 ? (
            <Timeline
              items={timelineItems}
              removed={removed}
              onToggle={explainedItem !== null ? toggleRemoval : undefined}
              highlight={highlight}
            />
          ) : (
            <p className="muted">{user ? 'Loading the history…' : 'Pick a user.'}</p>
          )}
        </section>
        <WhatIf
          entries={entries}
          titleAt={titleAt}
          itemLabel={itemLabel}
          rankBefore={baselineMatches ? baseline.rank : edited ? null : explanation.rank}
          rankAfter={explanation.rank}
          updating={edited && explanation.status === 'running'}
          disabled={explainedItem === null || !timelineReady}
        />
        <Explanation
          explanation={shown}
          report={report}
          chosenMethod={whyMethod}
          canEdit={timelineReady}
        />
      </div>
    </div>
  );
}

/**
 * Where two models differ, user by user: the per-user NDCG@10 scatter of the shown pair
 * (brush it, or pick a side with the chart's buttons, which the keyboard reaches), the selected
 * users (each opens in the Why view), how many of their 10 items the lists share, and the
 * selected user's lists side by side as a bump chart.
 */
import { useMemo } from 'react';
import { COMPARE_TOP_K } from '../../core/compare/profile';
import type { CountBin } from '../../core/data/types';
import { openInWhy } from '../../state/compareActions';
import { useAppStore, useShallow } from '../../state/store';
import type { ComparedPair, CompareLists, PageComparison } from '../../worker/api';
import { BumpChart } from '../charts/BumpChart';
import { Histogram } from '../charts/Histogram';
import { PerUserScatter } from '../charts/PerUserScatter';
import { ChartCard } from '../why/ChartCard';
import { metric } from './compareText';

/** Users listed under the scatter at most (the rest are counted). */
const LISTED_USERS = 50;

interface UserDiffProps {
  comparison: PageComparison;
  pair: [string, string];
  colourOf: (key: string) => string;
}

/** Users by how many of their 10 items two lists share, as histogram bins. */
export function sharedBins(pair: ComparedPair): CountBin[] {
  return pair.sharedHistogram.map((count, shared) => ({ x0: shared, x1: shared + 1, count }));
}

export function UserDiff({ comparison, pair, colourOf }: UserDiffProps) {
  const [a, b] = pair;
  const { brushed, setBrushed, selectedUser, selectUser, lists } = useAppStore(
    useShallow((s) => ({
      brushed: s.brushedUsers,
      setBrushed: s.setBrushedUsers,
      selectedUser: s.selectedUser,
      selectUser: s.selectUser,
      lists: s.lists,
    })),
  );
  const { perUser, report } = comparison;
  const points = useMemo(() => {
    const xa = perUser.ndcg10[a] ?? [];
    const xb = perUser.ndcg10[b] ?? [];
    return perUser.userIds.map((id, i) => ({ id, x: xa[i], y: xb[i] }));
  }, [perUser, a, b]);
  const index = useMemo(() => new Map(perUser.userIds.map((id, i) => [id, i])), [perUser]);
  const pairEntry = report.pairwise.find(
    (p) => (p.a === a && p.b === b) || (p.a === b && p.b === a),
  );
  const sampled = perUser.total > perUser.userIds.length;

  return (
    <section className="card compare-section" aria-labelledby="compare-users-title">
      <h2 id="compare-users-title">
        Where {a} and {b} differ
      </h2>
      <div className="compare-grid">
        <ChartCard
          title={`NDCG@10 per user: ${a} vs ${b}`}
          description={`One dot per user (larger = more users at the same point); above the diagonal ${b} ranks the user's next item better, below ${a} does. Drag to select users.${sampled ? ` A seeded sample of ${perUser.userIds.length} of ${perUser.total} users.` : ''}`}
          exportName={`per-user-${a}-vs-${b}`}
        >
          <PerUserScatter
            points={points}
            xLabel={`${a} NDCG@10`}
            yLabel={`${b} NDCG@10`}
            title={`Per-user NDCG@10, ${a} against ${b}`}
            description={`${points.length} users; each point is one user's NDCG@10 under both models.`}
            onBrush={setBrushed}
            aName={a}
            bName={b}
          />
          <div data-testid="brushed-users" data-count={brushed.length}>
            {brushed.length === 0 ? (
              <p className="muted small">
                No users selected: drag over the chart or pick a side with the buttons.
              </p>
            ) : (
              <>
                <p className="small">
                  {brushed.length} users selected
                  {brushed.length > LISTED_USERS ? ` (first ${LISTED_USERS} listed)` : ''}.
                </p>
                <ul className="brushed-list">
                  {brushed.slice(0, LISTED_USERS).map((id) => {
                    const i = index.get(id) ?? -1;
                    return (
                      <li key={id} data-testid="brushed-user" data-user={id}>
                        <button
                          type="button"
                          className="link-button"
                          aria-pressed={selectedUser === id}
                          onClick={() => selectUser(id)}
                        >
                          {id}
                        </button>
                        <span className="muted small">
                          {a} {metric(perUser.ndcg10[a]?.[i])} · {b}{' '}
                          {metric(perUser.ndcg10[b]?.[i])}
                        </span>
                        <button
                          type="button"
                          data-testid="open-in-why"
                          onClick={() => openInWhy(id, a)}
                        >
                          Why ({a})<span className="visually-hidden"> for {id}</span>
                        </button>
                        <button type="button" onClick={() => openInWhy(id, b)}>
                          Why ({b})<span className="visually-hidden"> for {id}</span>
                        </button>
                      </li>
                    );
                  })}
                </ul>
              </>
            )}
          </div>
        </ChartCard>
        {pairEntry && (
          <ChartCard
            title={`Shared items in the top ${COMPARE_TOP_K}: ${a} and ${b}`}
            description={`Users by how many of their ${COMPARE_TOP_K} recommendations both lists hold (mean Jaccard@10 ${metric(pairEntry.jaccard10)}, RBO ${metric(pairEntry.rbo)}).`}
            exportName={`shared-items-${a}-vs-${b}`}
          >
            <Histogram
              bins={sharedBins(pairEntry)}
              title={`Shared items in the top ${COMPARE_TOP_K}`}
              entities="users"
              xLabel={`items both top-${COMPARE_TOP_K} lists hold`}
              description={`Mean Jaccard@10 ${metric(pairEntry.jaccard10)} over ${report.users} users.`}
              testId="shared-items-histogram"
            />
          </ChartCard>
        )}
      </div>
      <UserLists lists={lists} selectedUser={selectedUser} colourOf={colourOf} />
    </section>
  );
}

interface UserListsProps {
  lists: { status: string; result: CompareLists | null; error: string | null };
  selectedUser: string | null;
  colourOf: (key: string) => string;
}

/** The selected user's top-10 of every compared model, linked by shared items. */
function UserLists({ lists, selectedUser, colourOf }: UserListsProps) {
  const result = lists.result;
  if (!selectedUser) {
    return <p className="muted">Select a user (above, or in the Why view) to see their lists.</p>;
  }
  if (lists.status === 'error') {
    return (
      <p className="error-text" role="alert">
        {lists.error}
      </p>
    );
  }
  if (!result || result.userId !== selectedUser) {
    return <p className="muted">Loading the lists of {selectedUser}…</p>;
  }
  const keys = Object.keys(result.lists);
  const test = result.testItem;
  return (
    <ChartCard
      title={`Top ${COMPARE_TOP_K} of ${result.userId}, model by model`}
      description={`Lines link the same item across neighbouring lists; ★ marks the item the user actually chose next (${test.title ?? test.itemId}): ${keys
        .map((k) => `${k} ranks it ${result.ranks[k] ?? 'never (already seen)'}`)
        .join(', ')}.`}
      exportName={`top10-${result.userId}`}
    >
      <BumpChart
        columns={keys.map((key) => ({
          key,
          label: key,
          colour: colourOf(key),
          items: result.lists[key],
        }))}
        title={`Top ${COMPARE_TOP_K} lists of ${result.userId}`}
        description={`The ${keys.length} models' lists for ${result.userId}, best first.`}
      />
    </ChartCard>
  );
}

import type { DatasetSummary } from '../core/data/types';
import { formatShare } from '../core/data/userSample';
import { daysBetween, formatBytes, formatCount, formatDensity, formatIsoDate } from './format';

/** "10% of users kept, chosen by a hash of the user id (seed 0); 812 users left out." */
function sampleText(sample: NonNullable<DatasetSummary['report']['sample']>): string {
  const why = sample.reason === 'too-large' ? ' because the file is larger than a tab holds' : '';
  const users = `${formatCount(sample.droppedUsers)}${sample.droppedUsersExact ? '' : ' (estimated)'}`;
  return `${formatShare(sample.fraction)} of users kept${why}, chosen by a hash of the user id (seed ${sample.seed}); ${users} users and ${formatCount(sample.droppedRows)} rows left out`;
}

/**
 * "2023-01-04 → 2023-06-30 (177 days)", or why there is no time span; with how many timestamps
 * look wrong (0, before 1990, after next year), which stretch the span.
 */
function timeSpanText(summary: DatasetSummary): string {
  if (!summary.timeRange) return 'no timestamps: file order defines sequences';
  const { min, max } = summary.timeRange;
  const days = daysBetween(min, max);
  const span = `${formatIsoDate(min)} → ${formatIsoDate(max)} (${formatCount(days)} day${days === 1 ? '' : 's'})`;
  let suspicious = 0;
  for (const entry of Object.values(summary.report.suspicious ?? {})) suspicious += entry.count;
  if (suspicious === 0) return span;
  return `${span}; ${formatCount(suspicious)} timestamp${suspicious === 1 ? ' looks' : 's look'} wrong (see the warning)`;
}

/** The headline numbers of a dataset and the row accounting that proves nothing was dropped. */
export function SummaryStats({ summary }: { summary: DatasetSummary }) {
  const { report } = summary;
  return (
    <>
      <dl className="stat-tiles">
        <div>
          <dt>Users</dt>
          <dd>{formatCount(summary.users)}</dd>
        </div>
        <div>
          <dt>Items</dt>
          <dd>{formatCount(summary.items)}</dd>
        </div>
        <div>
          <dt>Interactions</dt>
          <dd>{formatCount(summary.interactions)}</dd>
        </div>
        <div>
          <dt>Density</dt>
          <dd title="interactions / (users × items)">{formatDensity(summary.density)}</dd>
        </div>
      </dl>
      <dl className="facts">
        <dt>Rows</dt>
        <dd data-testid="row-accounting">
          {formatCount(report.accepted)} accepted + {formatCount(report.rejected)} rejected
          {report.sample &&
            ` + ${formatCount(report.sample.droppedRows)} left out by the user sample`}{' '}
          = {formatCount(report.dataRows)} data rows
          {report.blankLines > 0 &&
            ` (plus ${formatCount(report.blankLines)} blank line${report.blankLines === 1 ? '' : 's'}, skipped)`}
        </dd>
        {report.sample && (
          <>
            <dt>User sample</dt>
            <dd data-testid="user-sample">{sampleText(report.sample)}</dd>
          </>
        )}
        <dt>Time span</dt>
        <dd>{timeSpanText(summary)}</dd>
        <dt>Per user</dt>
        <dd>
          {formatCount(summary.perUser.min)} to {formatCount(summary.perUser.max)} interactions,
          median {formatCount(summary.perUser.median)}
        </dd>
        <dt>Per item</dt>
        <dd>
          {formatCount(summary.perItem.min)} to {formatCount(summary.perItem.max)} interactions,
          median {formatCount(summary.perItem.median)}
        </dd>
        <dt>Titles</dt>
        <dd>
          {formatCount(summary.itemsWithTitle)} of {formatCount(summary.items)} items have a title
        </dd>
        <dt>File size</dt>
        <dd>
          {formatBytes(report.bytes)}
          {report.format === 'parquet' ? ' (Parquet)' : ''}
        </dd>
      </dl>
    </>
  );
}

import type { ItemMetadataSummary, RejectReason } from '../core/data/types';
import { REJECT_REASON_LABELS } from '../core/data/types';
import { formatCount } from './format';
import { NoticeList } from './NoticeList';

/** How an item metadata file joined onto the interactions: matched, unknown, rejected. */
export function MetadataSummary({ metadata }: { metadata: ItemMetadataSummary }) {
  const reasons = Object.entries(metadata.rejectedByReason) as [
    RejectReason,
    { count: number; firstLines: number[] },
  ][];
  return (
    <section
      className="metadata-summary"
      data-testid="metadata-summary"
      aria-labelledby="metadata-title"
    >
      <h3 id="metadata-title">Item metadata: {metadata.fileName}</h3>
      <dl
        className="facts"
        data-matched={metadata.matchedItems}
        data-unknown={metadata.unknownItems}
        data-rejected={metadata.rejected}
      >
        <dt>Rows</dt>
        <dd>
          {formatCount(metadata.accepted)} accepted + {formatCount(metadata.rejected)} rejected ={' '}
          {formatCount(metadata.rows)} rows
        </dd>
        <dt>Matched</dt>
        <dd>{formatCount(metadata.matchedItems)} items found in the interactions</dd>
        <dt>Unknown</dt>
        <dd>
          {formatCount(metadata.unknownItems)} items never occur in the interactions (kept out,
          counted)
        </dd>
        <dt>Categories</dt>
        <dd>{formatCount(metadata.categories)} distinct</dd>
      </dl>
      {reasons.length > 0 && (
        <ul className="reason-lines">
          {reasons.map(([reason, { count, firstLines }]) => (
            <li key={reason} data-reason={reason} data-count={count}>
              {formatCount(count)} × {REJECT_REASON_LABELS[reason]} (line
              {firstLines.length === 1 ? '' : 's'} {firstLines.join(', ')}
              {count > firstLines.length ? ', …' : ''})
            </li>
          ))}
        </ul>
      )}
      <NoticeList notices={metadata.notices} />
    </section>
  );
}

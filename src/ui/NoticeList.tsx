import type { Notice } from '../core/data/types';

/** Info and warning notices from ingest, each with its stable code as a data attribute. */
export function NoticeList({ notices }: { notices: readonly Notice[] }) {
  if (notices.length === 0) return null;
  return (
    <ul className="notices">
      {notices.map((notice) => (
        <li
          key={`${notice.code}:${notice.message}`}
          className={`notice notice-${notice.level}`}
          data-code={notice.code}
        >
          <span className="notice-level">{notice.level === 'warning' ? 'Warning' : 'Note'}</span>
          {notice.message}
        </li>
      ))}
    </ul>
  );
}

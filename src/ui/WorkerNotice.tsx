import { useAppStore, useShallow } from '../state/store';

/**
 * The one sentence the page says after its background worker died: what it restored, what
 * must be redone (see state/recovery.ts). Text only; dismissable once recovery has ended.
 */
export function WorkerNotice() {
  const { status, message, dismiss } = useAppStore(
    useShallow((s) => ({
      status: s.recovery.status,
      message: s.recovery.message,
      dismiss: s.dismissRecovery,
    })),
  );
  if (status === 'idle' || !message) return null;
  return (
    <div
      className={`worker-notice${status === 'failed' ? ' worker-notice-failed' : ''}`}
      role={status === 'failed' ? 'alert' : 'status'}
      data-testid="worker-restarted-notice"
      data-status={status}
    >
      <p>{message}</p>
      {status !== 'recovering' && (
        <button type="button" className="link-button" onClick={dismiss}>
          Dismiss
        </button>
      )}
    </div>
  );
}

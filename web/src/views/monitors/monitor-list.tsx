/**
 * The monitors, each with its current verdict, whether it is paused, a link to its history and a
 * guarded delete.
 */
import { useState } from 'preact/hooks';
import { OutcomeBadge } from '../../components/badges';
import { TrashIcon } from '../../components/icons';
import { duration, timeAgo } from '../../format';
import { recordHref } from '../../router';
import type { Monitor } from '../../types';

function MonitorItem({ monitor, onDelete }: { monitor: Monitor; onDelete: () => void }) {
  const [confirming, setConfirming] = useState(false);
  return (
    <li class="list__item monitor">
      <a class="list__link" href={recordHref('monitors', monitor.id)}>
        <OutcomeBadge outcome={monitor.status} />
        {monitor.paused ? <span class="badge">Paused</span> : null}
        <span class="list__main">
          <span class="list__title">
            <span class="method">{monitor.input.method ?? 'GET'}</span> {monitor.input.url}
          </span>
          <span class="list__sub">
            from {monitor.input.origin} · every {duration(monitor.intervalSeconds)}
            {monitor.lastRunAt === null ? '' : ` · last run ${timeAgo(monitor.lastRunAt)}`}
            {monitor.paused ? ' · paused, not run until resumed' : ''}
          </span>
        </span>
      </a>
      <div class="monitor__actions">
        {confirming ? (
          <>
            <button type="button" class="button button--small button--danger" onClick={onDelete}>
              Delete
            </button>
            <button type="button" class="button button--small" onClick={() => setConfirming(false)}>
              Keep
            </button>
          </>
        ) : (
          <button
            type="button"
            class="button button--icon button--quiet"
            aria-label={`Delete the monitor of ${monitor.input.url}`}
            onClick={() => setConfirming(true)}
          >
            <TrashIcon />
          </button>
        )}
      </div>
    </li>
  );
}

export function MonitorList({
  monitors,
  onDelete,
}: {
  monitors: readonly Monitor[];
  onDelete: (id: string) => void;
}) {
  if (monitors.length === 0) {
    return (
      <p class="empty">No monitors yet. Add one above to be told when a CORS answer changes.</p>
    );
  }
  return (
    <ul class="list">
      {monitors.map((monitor) => (
        <MonitorItem key={monitor.id} monitor={monitor} onDelete={() => onDelete(monitor.id)} />
      ))}
    </ul>
  );
}

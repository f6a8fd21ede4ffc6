/** Monitors: checks the service repeats, and when their verdict changed. */
import { useEffect, useState } from 'preact/hooks';
import { type ApiError, deleteMonitor, listMonitors } from '../../api';
import { ErrorNotice, Loading } from '../../components/notice';
import { PageHeading } from '../../components/page-heading';
import { toApiError, useResource } from '../../hooks/use-resource';
import type { Monitor } from '../../types';
import { MonitorDetailView } from './monitor-detail';
import { MonitorForm } from './monitor-form';
import { MonitorList } from './monitor-list';

function Monitors() {
  const [state, setMonitors] = useResource('monitors', listMonitors);
  const [error, setError] = useState<ApiError | null>(null);
  const monitors: readonly Monitor[] = state.status === 'ready' ? state.data.items : [];
  const replace = (items: readonly Monitor[]) => setMonitors({ items, nextCursor: null });

  // A new monitor's first run is due at once: look again until none is pending.
  const pending = monitors.some((m) => m.status === 'pending');
  useEffect(() => {
    if (!pending) return;
    const timer = window.setTimeout(() => {
      listMonitors().then(setMonitors, () => {});
    }, 2000);
    return () => window.clearTimeout(timer);
  }, [pending, monitors]);

  const remove = async (id: string) => {
    setError(null);
    try {
      await deleteMonitor(id);
      replace(monitors.filter((m) => m.id !== id));
    } catch (caught) {
      setError(toApiError(caught));
    }
  };

  return (
    <>
      <MonitorForm onCreated={(monitor) => replace([monitor, ...monitors])} />
      <section aria-labelledby="monitors-title">
        <h2 id="monitors-title" class="section-title">
          Watched endpoints
        </h2>
        {error === null ? null : <ErrorNotice error={error} />}
        {state.status === 'loading' ? <Loading what="monitors" /> : null}
        {state.status === 'failed' ? <ErrorNotice error={state.error} /> : null}
        {state.status === 'ready' ? (
          <MonitorList monitors={monitors} onDelete={(id) => void remove(id)} />
        ) : null}
      </section>
    </>
  );
}

export function MonitorsView({ id }: { id: string | null }) {
  return (
    <>
      <PageHeading title="Monitors">
        The service re-runs these checks on a schedule and records every change of verdict, with the
        response headers that changed.
      </PageHeading>
      {id === null ? <Monitors /> : <MonitorDetailView id={id} />}
      {id === null ? null : (
        <p>
          <a href="#/monitors">All monitors</a>
        </p>
      )}
    </>
  );
}

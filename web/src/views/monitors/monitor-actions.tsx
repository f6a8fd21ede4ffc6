/** Pause, resume, run now and change the interval of one monitor. */
import { useState } from 'preact/hooks';
import {
  type ApiError,
  pauseMonitor,
  resumeMonitor,
  runMonitorNow,
  updateMonitor,
} from '../../api';
import { ErrorNotice } from '../../components/notice';
import { toApiError } from '../../hooks/use-resource';
import type { Monitor } from '../../types';

export function MonitorActions({ monitor, onChange }: { monitor: Monitor; onChange: () => void }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [seconds, setSeconds] = useState(String(monitor.intervalSeconds));
  const act = async (action: () => Promise<unknown>) => {
    setBusy(true);
    setError(null);
    try {
      await action();
      onChange();
    } catch (caught) {
      setError(toApiError(caught));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div class="monitor-actions">
      {monitor.paused ? (
        <button
          type="button"
          class="button button--small"
          disabled={busy}
          onClick={() => act(() => resumeMonitor(monitor.id))}
        >
          Resume
        </button>
      ) : (
        <>
          <button
            type="button"
            class="button button--small"
            disabled={busy}
            onClick={() => act(() => runMonitorNow(monitor.id))}
          >
            Run now
          </button>
          <button
            type="button"
            class="button button--small"
            disabled={busy}
            onClick={() => act(() => pauseMonitor(monitor.id))}
          >
            Pause
          </button>
        </>
      )}
      <form
        class="monitor-actions__interval"
        onSubmit={(event) => {
          event.preventDefault();
          void act(() => updateMonitor(monitor.id, { intervalSeconds: Number(seconds) }));
        }}
      >
        <label class="field__label" for="monitor-interval">
          Every (seconds)
        </label>
        <input
          id="monitor-interval"
          class="input"
          type="number"
          min={30}
          value={seconds}
          onInput={(event) => setSeconds(event.currentTarget.value)}
        />
        <button type="submit" class="button button--small" disabled={busy}>
          Save
        </button>
      </form>
      {error === null ? null : <ErrorNotice error={error} />}
    </div>
  );
}

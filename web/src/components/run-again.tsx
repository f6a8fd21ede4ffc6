/** "Run again": re-runs a stored check, audit or batch and opens the new record. */
import { useState } from 'preact/hooks';
import { type ApiError, runAgain } from '../api';
import { toApiError } from '../hooks/use-resource';
import { navigate, recordHref } from '../router';
import { ErrorNotice } from './notice';

const VIEWS = { checks: 'check', audits: 'audit', batches: 'batch' } as const;

export function RunAgainButton({
  kind,
  id,
}: {
  kind: 'checks' | 'audits' | 'batches';
  id: string;
}) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  return (
    <span class="run-again">
      <button
        type="button"
        class="button button--small"
        disabled={busy}
        aria-busy={busy}
        onClick={async () => {
          setBusy(true);
          setError(null);
          try {
            navigate(recordHref(VIEWS[kind], await runAgain(kind, id)));
          } catch (caught) {
            setError(toApiError(caught));
          } finally {
            setBusy(false);
          }
        }}
      >
        Run again
      </button>
      {error === null ? null : <ErrorNotice error={error} />}
    </span>
  );
}

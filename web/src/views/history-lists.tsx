/** The audits and batches of the History view, newest first, a page at a time. */
import { useEffect, useState } from 'preact/hooks';
import { type ApiError, listAudits, listBatches } from '../api';
import { OutcomeBadge } from '../components/badges';
import { ErrorNotice, Loading } from '../components/notice';
import { RunAgainButton } from '../components/run-again';
import { dateTime, timeAgo } from '../format';
import { toApiError } from '../hooks/use-resource';
import { recordHref } from '../router';
import type { AuditSummary, BatchSummary, Page } from '../types';

const PAGE_SIZE = 25;

/** A list that loads page after page with the cursor the service returns. */
function usePages<T>(load: (cursor?: string) => Promise<Page<T>>) {
  const [items, setItems] = useState<readonly T[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<ApiError | null>(null);
  const more = async (after?: string) => {
    setLoading(true);
    setError(null);
    try {
      const page = await load(after);
      setItems((current) => (after === undefined ? page.items : [...current, ...page.items]));
      setCursor(page.nextCursor);
    } catch (caught) {
      setError(toApiError(caught));
    } finally {
      setLoading(false);
    }
  };
  useEffect(() => {
    void more();
  }, []);
  return { items, cursor, loading, error, more };
}

function Footer({
  what,
  state,
}: {
  what: string;
  state: {
    items: readonly unknown[];
    cursor: string | null;
    loading: boolean;
    error: ApiError | null;
    more: (cursor?: string) => Promise<void>;
  };
}) {
  return (
    <>
      {state.error === null ? null : <ErrorNotice error={state.error} />}
      {state.items.length === 0 && !state.loading && state.error === null ? (
        <p class="empty">No {what} yet.</p>
      ) : null}
      {state.loading ? <Loading what={what} /> : null}
      {state.cursor !== null && !state.loading ? (
        <button type="button" class="button" onClick={() => void state.more(state.cursor ?? '')}>
          Load more
        </button>
      ) : null}
    </>
  );
}

export function AuditHistory() {
  const state = usePages((cursor) =>
    listAudits({ limit: PAGE_SIZE, ...(cursor === undefined ? {} : { cursor }) }),
  );
  return (
    <>
      <ul class="list">
        {state.items.map((audit: AuditSummary) => (
          <li key={audit.id} class="list__item">
            <a class="list__link" href={recordHref('audit', audit.id)}>
              <OutcomeBadge outcome={audit.outcome} />
              <span class="list__main">
                <span class="list__title">{audit.url}</span>
                <span class="list__sub">for {audit.origin}</span>
              </span>
              <time class="list__time" dateTime={audit.createdAt} title={dateTime(audit.createdAt)}>
                {timeAgo(audit.createdAt)}
              </time>
            </a>
            <RunAgainButton kind="audits" id={audit.id} />
          </li>
        ))}
      </ul>
      <Footer what="audits" state={state} />
    </>
  );
}

export function BatchHistory() {
  const state = usePages((cursor) =>
    listBatches({ limit: PAGE_SIZE, ...(cursor === undefined ? {} : { cursor }) }),
  );
  return (
    <>
      <ul class="list">
        {state.items.map((batch: BatchSummary) => (
          <li key={batch.id} class="list__item">
            <a class="list__link" href={recordHref('batch', batch.id)}>
              <span class="badge">{batch.status}</span>
              <span class="list__main">
                <span class="list__title">
                  {batch.progress.total} {batch.kind === 'check' ? 'checks' : 'audits'}
                </span>
                <span class="list__sub">
                  {batch.progress.passed} passed · {batch.progress.failed} failed ·{' '}
                  {batch.progress.errors} errors
                </span>
              </span>
              <time class="list__time" dateTime={batch.createdAt} title={dateTime(batch.createdAt)}>
                {timeAgo(batch.createdAt)}
              </time>
            </a>
            <RunAgainButton kind="batches" id={batch.id} />
          </li>
        ))}
      </ul>
      <Footer what="batches" state={state} />
    </>
  );
}

/**
 * The History view: stored checks (filtered by URL, origin and verdict), audits and batches, newest
 * first, each with "Run again".
 */
import { useEffect, useState } from 'preact/hooks';
import { type ApiError, listChecks } from '../api';
import { VERDICT_WORDS, VerdictBadge } from '../components/badges';
import { TextField } from '../components/field';
import { ErrorNotice, Loading } from '../components/notice';
import { PageHeading } from '../components/page-heading';
import { RunAgainButton } from '../components/run-again';
import { Tabs } from '../components/tabs';
import { dateTime, timeAgo } from '../format';
import { toApiError } from '../hooks/use-resource';
import { recordHref } from '../router';
import type { CheckFilter, CheckSummary, Verdict } from '../types';
import { AuditHistory, BatchHistory } from './history-lists';

interface Filter {
  readonly url: string;
  readonly origin: string;
  readonly verdict: Verdict | '';
}

const NO_FILTER: Filter = { url: '', origin: '', verdict: '' };
const PAGE_SIZE = 25;

function toQuery(filter: Filter, cursor?: string): CheckFilter {
  return {
    ...(filter.url.trim() === '' ? {} : { url: filter.url.trim() }),
    ...(filter.origin.trim() === '' ? {} : { origin: filter.origin.trim() }),
    ...(filter.verdict === '' ? {} : { verdict: filter.verdict }),
    ...(cursor === undefined ? {} : { cursor }),
    limit: PAGE_SIZE,
  };
}

function HistoryItem({ record }: { record: CheckSummary }) {
  return (
    <li class="list__item">
      <a class="list__link" href={recordHref('check', record.id)}>
        <VerdictBadge verdict={record.verdict} />
        <span class="list__main">
          <span class="list__title">
            <span class="method">{record.method}</span> {record.url}
          </span>
          <span class="list__sub">from {record.origin}</span>
        </span>
        <time class="list__time" dateTime={record.createdAt} title={dateTime(record.createdAt)}>
          {timeAgo(record.createdAt)}
        </time>
      </a>
      <RunAgainButton kind="checks" id={record.id} />
    </li>
  );
}

export function HistoryView() {
  return (
    <>
      <PageHeading title="History">
        Every check, audit and batch this service has run, newest first.
      </PageHeading>
      <Tabs
        label="What to list"
        items={[
          { key: 'checks', label: 'Checks', panel: () => <CheckHistory /> },
          { key: 'audits', label: 'Audits', panel: () => <AuditHistory /> },
          { key: 'batches', label: 'Batches', panel: () => <BatchHistory /> },
        ]}
      />
    </>
  );
}

function CheckHistory() {
  const [draft, setDraft] = useState<Filter>(NO_FILTER);
  const [applied, setApplied] = useState<Filter>(NO_FILTER);
  const [items, setItems] = useState<readonly CheckSummary[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<ApiError | null>(null);

  const load = async (filter: Filter, after?: string) => {
    setLoading(true);
    setError(null);
    try {
      const page = await listChecks(toQuery(filter, after));
      setItems((current) => (after === undefined ? page.items : [...current, ...page.items]));
      setCursor(page.nextCursor);
    } catch (caught) {
      setError(toApiError(caught));
    } finally {
      setLoading(false);
    }
  };

  useEffect(() => {
    void load(applied);
  }, [applied]);

  return (
    <>
      <search>
        <form
          class="card form filters"
          aria-label="Filter the history"
          onSubmit={(event) => {
            event.preventDefault();
            setApplied(draft);
          }}
        >
          <TextField
            id="history-url"
            label="URL"
            type="search"
            code
            value={draft.url}
            onValue={(url) => setDraft({ ...draft, url })}
            hint="The exact URL checked."
          />
          <TextField
            id="history-origin"
            label="Origin"
            type="search"
            code
            value={draft.origin}
            onValue={(origin) => setDraft({ ...draft, origin })}
          />
          <div class="field">
            <label class="field__label" for="history-verdict">
              Verdict
            </label>
            <select
              id="history-verdict"
              class="input"
              value={draft.verdict}
              onChange={(event) =>
                setDraft({ ...draft, verdict: event.currentTarget.value as Filter['verdict'] })
              }
            >
              <option value="">Any</option>
              {(Object.keys(VERDICT_WORDS) as Verdict[]).map((v) => (
                <option key={v} value={v}>
                  {VERDICT_WORDS[v]}
                </option>
              ))}
            </select>
          </div>
          <div class="filters__actions">
            <button type="submit" class="button button--primary">
              Filter
            </button>
            <button
              type="button"
              class="button"
              onClick={() => {
                setDraft(NO_FILTER);
                setApplied(NO_FILTER);
              }}
            >
              Clear
            </button>
          </div>
        </form>
      </search>
      {error === null ? null : <ErrorNotice error={error} />}
      <p class="meta" aria-live="polite">
        {loading ? '' : `${items.length}${cursor === null ? '' : '+'} checks shown`}
      </p>
      {items.length === 0 && !loading && error === null ? (
        <p class="empty">
          No checks match. <a href="#/">Run one</a>.
        </p>
      ) : (
        <ul class="list">
          {items.map((record) => (
            <HistoryItem key={record.id} record={record} />
          ))}
        </ul>
      )}
      {loading ? <Loading what="checks" /> : null}
      {cursor !== null && !loading ? (
        <button type="button" class="button" onClick={() => void load(applied, cursor)}>
          Load more
        </button>
      ) : null}
    </>
  );
}

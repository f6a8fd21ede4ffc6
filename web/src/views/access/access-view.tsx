/**
 * Access (admins): the API tokens, a form that makes one (its text shown once), revoking, and the
 * audit log of who created, changed or deleted what.
 */
import { useEffect, useState } from 'preact/hooks';
import { type ApiError, createToken, listAuditLog, listTokens, revokeToken } from '../../api';
import { CopyButton } from '../../components/copy-button';
import { ErrorNotice, Loading } from '../../components/notice';
import { PageHeading } from '../../components/page-heading';
import { dateTime, timeAgo } from '../../format';
import { toApiError } from '../../hooks/use-resource';
import type { AuditLogEntry, Scope, TokenInfo } from '../../types';

const SCOPE_WORDS: Readonly<Record<Scope, string>> = {
  read: 'read: see every result',
  run: 'run: read, and run checks, audits and batches',
  monitors: 'monitors: read, and manage monitors',
  metrics: 'metrics: only the Prometheus metrics',
  admin: 'admin: everything, tokens included',
};

function NewToken({ onMade }: { onMade: () => void }) {
  const [name, setName] = useState('');
  const [scope, setScope] = useState<Scope>('read');
  const [made, setMade] = useState<string | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  return (
    <form
      class="card form"
      aria-label="Make a token"
      onSubmit={async (event) => {
        event.preventDefault();
        setBusy(true);
        setError(null);
        try {
          const created = await createToken(name.trim(), scope);
          setMade(created.token);
          setName('');
          onMade();
        } catch (caught) {
          setError(toApiError(caught));
        } finally {
          setBusy(false);
        }
      }}
    >
      <h2 class="card__title">Make a token</h2>
      <div class="field">
        <label class="field__label" for="token-name">
          Name
        </label>
        <input
          id="token-name"
          class="input"
          required
          maxLength={100}
          value={name}
          placeholder="ci, alice, grafana…"
          onInput={(event) => setName(event.currentTarget.value)}
        />
      </div>
      <div class="field">
        <label class="field__label" for="token-scope">
          Scope
        </label>
        <select
          id="token-scope"
          class="input"
          value={scope}
          onChange={(event) => setScope(event.currentTarget.value as Scope)}
        >
          {(Object.keys(SCOPE_WORDS) as Scope[]).map((s) => (
            <option key={s} value={s}>
              {SCOPE_WORDS[s]}
            </option>
          ))}
        </select>
      </div>
      {error === null ? null : <ErrorNotice error={error} />}
      {made === null ? null : (
        <div class="notice notice--info" role="status">
          <p class="notice__line">
            The new token, shown this once (only its hash is kept): <code>{made}</code>{' '}
            <CopyButton text={made} label="Copy the token" />
          </p>
        </div>
      )}
      <button type="submit" class="button button--primary" disabled={busy} aria-busy={busy}>
        Make the token
      </button>
    </form>
  );
}

function Tokens({
  items,
  onRevoke,
}: {
  items: readonly TokenInfo[];
  onRevoke: (id: string) => void;
}) {
  return (
    <section class="card" aria-labelledby="tokens-title">
      <h2 id="tokens-title" class="card__title">
        Tokens
      </h2>
      <ul class="list">
        {items.map((token) => (
          <li key={token.id} class="list__item">
            <span class="list__main">
              <span class="list__title">
                {token.name} <span class="badge">{token.scope}</span>
                {token.revokedAt === null ? null : <span class="badge"> revoked</span>}
              </span>
              <span class="list__sub">
                {token.id} · made {timeAgo(token.createdAt)}
                {token.createdBy === null ? '' : ` by ${token.createdBy}`} · last used{' '}
                {token.lastUsedAt === null ? 'never' : timeAgo(token.lastUsedAt)}
              </span>
            </span>
            {token.revokedAt === null ? (
              <button
                type="button"
                class="button button--small button--danger"
                onClick={() => onRevoke(token.id)}
              >
                Revoke
              </button>
            ) : null}
          </li>
        ))}
      </ul>
    </section>
  );
}

function AuditLog({ entries }: { entries: readonly AuditLogEntry[] }) {
  return (
    <section class="card" aria-labelledby="audit-log-title">
      <h2 id="audit-log-title" class="card__title">
        Audit log
      </h2>
      {entries.length === 0 ? (
        <p class="empty">Nothing created, changed or deleted yet.</p>
      ) : (
        <ul class="list">
          {entries.map((entry) => (
            <li key={entry.id} class="list__item">
              <span class="list__main">
                <span class="list__title">
                  {entry.actor} · {entry.action}
                  {entry.resourceId === null ? '' : ` ${entry.resourceId}`}
                </span>
                <span class="list__sub">
                  {entry.resource} · HTTP {entry.status}
                </span>
              </span>
              <time class="list__time" dateTime={entry.at} title={dateTime(entry.at)}>
                {timeAgo(entry.at)}
              </time>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

export function AccessView() {
  const [tokens, setTokens] = useState<readonly TokenInfo[] | null>(null);
  const [log, setLog] = useState<readonly AuditLogEntry[]>([]);
  const [error, setError] = useState<ApiError | null>(null);

  const load = async () => {
    try {
      const [list, page] = await Promise.all([listTokens(), listAuditLog()]);
      setTokens(list.items);
      setLog(page.items);
      setError(null);
    } catch (caught) {
      setError(toApiError(caught));
    }
  };
  useEffect(() => {
    void load();
  }, []);

  return (
    <>
      <PageHeading title="Access">
        API tokens of this service and the log of who created, changed or deleted what. Admins only.
      </PageHeading>
      {error === null ? null : (
        <ErrorNotice error={error} title={error.status === 403 ? 'Not allowed' : undefined} />
      )}
      {tokens === null && error === null ? <Loading what="tokens" /> : null}
      {tokens === null ? null : (
        <>
          <NewToken onMade={() => void load()} />
          <Tokens
            items={tokens}
            onRevoke={async (id) => {
              try {
                await revokeToken(id);
              } catch (caught) {
                setError(toApiError(caught));
              }
              await load();
            }}
          />
          <AuditLog entries={log} />
        </>
      )}
    </>
  );
}

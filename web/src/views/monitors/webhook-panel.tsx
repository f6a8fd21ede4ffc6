/** A monitor's webhook: set or remove it, and the log of its deliveries with every attempt. */
import { useState } from 'preact/hooks';
import { type ApiError, deleteWebhook, getWebhook, setWebhook } from '../../api';
import { CopyButton } from '../../components/copy-button';
import { ErrorNotice, Loading } from '../../components/notice';
import { dateTime, timeAgo } from '../../format';
import { toApiError, useResource } from '../../hooks/use-resource';

export function WebhookPanel({ monitorId }: { monitorId: string }) {
  const [version, setVersion] = useState(0);
  const [state] = useResource(`${monitorId}:${version}`, () => getWebhook(monitorId));
  const [url, setUrl] = useState('');
  const [format, setFormat] = useState<'json' | 'slack'>('json');
  const [secret, setSecret] = useState<string | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const reload = () => setVersion((v) => v + 1);

  return (
    <section aria-labelledby="webhook-title">
      <h3 id="webhook-title" class="subhead">
        Webhook
      </h3>
      {state.status === 'loading' || state.status === 'idle' ? (
        <Loading what="the webhook" />
      ) : null}
      {state.status === 'failed' ? <ErrorNotice error={state.error} /> : null}
      {state.status === 'ready' && state.data.webhook !== null ? (
        <p class="meta">
          Each change of outcome is sent to <code>{state.data.webhook.url}</code> (
          {state.data.webhook.format}), signed in the <code>Corsproof-Signature</code> header.{' '}
          <button
            type="button"
            class="button button--small button--danger"
            onClick={async () => {
              try {
                await deleteWebhook(monitorId);
                reload();
              } catch (caught) {
                setError(toApiError(caught));
              }
            }}
          >
            Remove
          </button>
        </p>
      ) : null}
      <form
        class="monitor-actions"
        aria-label="Set the webhook"
        onSubmit={async (event) => {
          event.preventDefault();
          setError(null);
          try {
            const set = await setWebhook(monitorId, { url: url.trim(), format });
            setSecret(set.secret ?? null);
            reload();
          } catch (caught) {
            setError(toApiError(caught));
          }
        }}
      >
        <label class="field__label" for="webhook-url">
          URL
        </label>
        <input
          id="webhook-url"
          class="input input--code"
          type="url"
          required
          placeholder="https://hooks.example.com/…"
          value={url}
          onInput={(event) => setUrl(event.currentTarget.value)}
        />
        <label class="field__label" for="webhook-format">
          Body
        </label>
        <select
          id="webhook-format"
          class="input"
          value={format}
          onChange={(event) => setFormat(event.currentTarget.value as 'json' | 'slack')}
        >
          <option value="json">JSON event</option>
          <option value="slack">Slack text</option>
        </select>
        <button type="submit" class="button button--small">
          Set webhook
        </button>
      </form>
      {secret === null ? null : (
        <div class="notice notice--info" role="status">
          <p class="notice__line">
            Signing secret, shown this once: <code>{secret}</code>{' '}
            <CopyButton text={secret} label="Copy the secret" />
          </p>
        </div>
      )}
      {error === null ? null : <ErrorNotice error={error} />}
      {state.status === 'ready' && state.data.deliveries.length > 0 ? (
        <>
          <h4 class="subhead">Deliveries</h4>
          <ul class="list">
            {state.data.deliveries.map((d) => (
              <li key={d.id} class="list__item">
                <span class="list__main">
                  <span class="list__title">
                    <span class="badge">{d.status}</span> {d.attempts} attempt
                    {d.attempts === 1 ? '' : 's'}
                    {d.nextAttemptAt === null ? '' : `, next ${timeAgo(d.nextAttemptAt)}`}
                  </span>
                  <span class="list__sub">
                    {d.log
                      .map(
                        (a) =>
                          `#${a.attempt} ${dateTime(a.at)}: ${a.statusCode ?? 'no answer'}${a.error === null ? '' : ` (${a.error})`}`,
                      )
                      .join(' · ')}
                  </span>
                </span>
                <time class="list__time" dateTime={d.createdAt} title={dateTime(d.createdAt)}>
                  {timeAgo(d.createdAt)}
                </time>
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </section>
  );
}

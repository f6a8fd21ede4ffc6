/**
 * One monitor: its latest runs, its timeline, and each change of outcome with the headers behind it
 * and the webhook delivery it caused.
 */
import { getMonitor, getWebhook, type WebhookStatus } from '../../api';
import { OutcomeBadge } from '../../components/badges';
import { ErrorNotice, Loading, ServiceNotices } from '../../components/notice';
import { dateTime, duration, timeAgo } from '../../format';
import { useResource } from '../../hooks/use-resource';
import type { HeaderChange, MonitorDetail, MonitorRun, MonitorTransition } from '../../types';
import { SequenceDiagram } from '../check/sequence-diagram';
import { VerdictBanner } from '../check/verdict-banner';
import { MonitorActions } from './monitor-actions';
import { Timeline } from './timeline';
import { WebhookPanel } from './webhook-panel';

const EXCHANGES: Readonly<Record<HeaderChange['exchange'], string>> = {
  preflight: 'Preflight',
  response: 'Response',
};

function Diff({ changes }: { changes: readonly HeaderChange[] }) {
  if (changes.length === 0) return <p class="meta">No CORS header changed.</p>;
  return (
    <ul class="diff">
      {changes.map((change) => (
        <li key={`${change.exchange}-${change.name}`} class="diff__line">
          <span class="diff__exchange">{EXCHANGES[change.exchange]}</span>
          <code class="diff__name">{change.name === ':status' ? 'status' : change.name}</code>
          {change.before === null ? (
            <span class="diff__none">absent</span>
          ) : (
            <del class="diff__before">
              <span class="visually-hidden">was </span>
              {change.before}
            </del>
          )}
          <span aria-hidden="true">→</span>
          {change.after === null ? (
            <span class="diff__gone">removed</span>
          ) : (
            <ins class="diff__after">
              <span class="visually-hidden">now </span>
              {change.after}
            </ins>
          )}
        </li>
      ))}
    </ul>
  );
}

type Delivery = WebhookStatus['deliveries'][number];

/**
 * The delivery each change caused. A delivery is made right after the run that changed the
 * outcome, so it belongs to the latest change at or before it (a Slack body carries no time to
 * match on).
 */
export function deliveriesByChange(
  transitions: readonly MonitorTransition[],
  deliveries: readonly Delivery[],
): Map<string, Delivery[]> {
  const byChange = new Map<string, Delivery[]>();
  const oldestFirst = [...transitions].sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
  for (const delivery of deliveries) {
    const made = Date.parse(delivery.createdAt);
    const change = oldestFirst.filter((t) => Date.parse(t.at) <= made).at(-1);
    if (change === undefined) continue;
    byChange.set(change.at, [...(byChange.get(change.at) ?? []), delivery]);
  }
  return byChange;
}

function DeliveryLine({ delivery }: { delivery: Delivery }) {
  const codes = delivery.log.map((a) => a.statusCode ?? 'no answer').join(', ');
  const words = {
    delivered: `delivered after ${delivery.attempts} attempt${delivery.attempts === 1 ? '' : 's'}`,
    pending: `not delivered yet, ${delivery.attempts} attempt${delivery.attempts === 1 ? '' : 's'} so far`,
    failed: `not delivered: gave up after ${delivery.attempts} attempts`,
  }[delivery.status];
  return (
    <p class="meta transition__delivery">
      Webhook {words}
      {codes === '' ? '' : ` (${codes})`}.
    </p>
  );
}

function Transition({
  transition,
  deliveries,
}: {
  transition: MonitorTransition;
  deliveries: readonly Delivery[];
}) {
  const result = transition.result;
  return (
    <li class="transition">
      <div class="transition__head">
        <time dateTime={transition.at} title={dateTime(transition.at)}>
          {timeAgo(transition.at)}
        </time>
        {transition.from === null ? (
          <span class="meta">first run:</span>
        ) : (
          <>
            <OutcomeBadge outcome={transition.from} />
            <span aria-hidden="true">→</span>
            <span class="visually-hidden">became</span>
          </>
        )}
        <OutcomeBadge outcome={transition.to} />
      </div>
      <Diff changes={transition.changes} />
      {deliveries.map((delivery) => (
        <DeliveryLine key={delivery.id} delivery={delivery} />
      ))}
      {result !== undefined && 'plan' in result ? (
        <details class="more">
          <summary>The check at that moment</summary>
          <VerdictBanner result={result} />
          <SequenceDiagram result={result} />
        </details>
      ) : null}
    </li>
  );
}

const RUN_MARKS = { passed: '✓', failed: '✗', error: '!' } as const;

function Runs({ runs }: { runs: readonly MonitorRun[] }) {
  if (runs.length === 0) return null;
  const oldestFirst = [...runs].reverse();
  return (
    <>
      <h3 class="subhead">Latest runs, oldest first</h3>
      <ol class="runs">
        {oldestFirst.map((run) => (
          <li
            key={run.at}
            class={`run run--${run.outcome}`}
            title={`${dateTime(run.at)}: ${run.verdict}`}
          >
            <span aria-hidden="true">{RUN_MARKS[run.outcome]}</span>
            <span class="visually-hidden">
              {timeAgo(run.at)}: {run.verdict}
            </span>
          </li>
        ))}
      </ol>
    </>
  );
}

function Detail({ detail, onChange }: { detail: MonitorDetail; onChange: () => void }) {
  const { monitor } = detail;
  // Read again whenever the monitor is (a run, a pause...): new changes bring new deliveries.
  const [webhook] = useResource(
    `${monitor.id}:${monitor.lastRunAt}:${detail.transitions.length}`,
    () => getWebhook(monitor.id),
  );
  const deliveries =
    webhook.status === 'ready'
      ? deliveriesByChange(detail.transitions, webhook.data.deliveries)
      : new Map<string, Delivery[]>();
  return (
    <section class="card" aria-labelledby="monitor-title">
      <div class="card__head">
        <h2 id="monitor-title" class="card__title monitor__title">
          <span class="method">{monitor.input.method}</span> {monitor.input.url}
        </h2>
        <OutcomeBadge outcome={monitor.status} />
        {monitor.paused ? <span class="badge">Paused</span> : null}
      </div>
      <MonitorActions monitor={monitor} onChange={onChange} />
      <p class="meta">
        From {monitor.input.origin}, every {duration(monitor.intervalSeconds)}
        {monitor.lastRunAt === null ? '' : `; last run ${timeAgo(monitor.lastRunAt)}`}; next{' '}
        {timeAgo(monitor.nextRunAt)}.
      </p>
      <ServiceNotices notices={monitor.notices} />
      <Runs runs={detail.runs} />
      <WebhookPanel monitorId={monitor.id} />
      <h3 class="subhead">Timeline</h3>
      <Timeline
        transitions={detail.transitions}
        // The service's clock may run ahead of this one; the last run is known to have happened.
        now={Math.max(Date.now(), Date.parse(monitor.lastRunAt ?? '') || 0)}
      />
      <h3 class="subhead">Changes, newest first</h3>
      {detail.transitions.length === 0 ? (
        <p class="meta">None yet.</p>
      ) : (
        <ol class="transitions">
          {detail.transitions.map((t) => (
            <Transition key={t.at} transition={t} deliveries={deliveries.get(t.at) ?? []} />
          ))}
        </ol>
      )}
    </section>
  );
}

export function MonitorDetailView({ id }: { id: string }) {
  const [state, replace] = useResource(id, () => getMonitor(id));
  switch (state.status) {
    case 'idle':
    case 'loading':
      return <Loading what="the monitor" />;
    case 'failed':
      return <ErrorNotice error={state.error} title="No such monitor." />;
    case 'ready':
      return (
        <Detail
          detail={state.data}
          onChange={() => void getMonitor(id).then(replace, () => undefined)}
        />
      );
  }
}

/**
 * The exchange as a sequence diagram drawn in HTML and CSS: the page's lifeline on the left, the
 * server's on the right, one arrow per request and response. Real text, so it wraps on a narrow
 * screen, reads in order to a screen reader, and long header values can be selected.
 */
import type { CheckResult, CorsStatus, Failure, HeaderPair, Step } from '../../types';
import {
  BROWSER_NAMES,
  decisiveStepIndex,
  emulationReportOf,
  REJECTION,
  stepTitle,
  typographic,
} from './words';

/** Request headers worth showing up front: what the preflight asks, and what triggers it. */
const KEY_REQUEST_HEADERS = new Set([
  'origin',
  'access-control-request-method',
  'access-control-request-headers',
  'authorization',
  'content-type',
  'cookie',
]);

function isKeyResponseHeader(name: string): boolean {
  return name.startsWith('access-control-') || name === 'vary' || name === 'location';
}

interface HeaderLine {
  readonly name: string;
  /** null: a decisive header the response did not have. */
  readonly value: string | null;
  readonly decisive: boolean;
}

function splitHeaders(
  headers: readonly HeaderPair[],
  isKey: (name: string) => boolean,
  decisive: readonly string[],
): { key: HeaderLine[]; other: HeaderLine[] } {
  const key: HeaderLine[] = [];
  const other: HeaderLine[] = [];
  for (const [name, value] of headers) {
    const lower = name.toLowerCase();
    const line = { name, value, decisive: decisive.includes(lower) };
    (line.decisive || isKey(lower) ? key : other).push(line);
  }
  const present = new Set(headers.map(([name]) => name.toLowerCase()));
  for (const name of decisive) {
    if (!present.has(name)) key.push({ name, value: null, decisive: true });
  }
  return { key, other };
}

function Headers({ lines, tone }: { lines: readonly HeaderLine[]; tone: CorsStatus | 'ask' }) {
  return (
    <dl class="hdrs">
      {lines.map((line, i) => (
        <div
          key={i}
          class={`hdr${line.decisive ? ` hdr--decisive hdr--${tone}` : ''}${line.value === null ? ' hdr--missing' : ''}`}
        >
          <dt>{line.name}:</dt>
          <dd>
            {line.value ?? <em>{tone === 'failed' ? 'missing' : 'absent'}</em>}
            {line.decisive ? <span class="hdr__tag">decisive</span> : null}
          </dd>
        </div>
      ))}
    </dl>
  );
}

function HeaderBlock({
  headers,
  isKey,
  decisive,
  tone,
}: {
  headers: readonly HeaderPair[];
  isKey: (name: string) => boolean;
  decisive: readonly string[];
  tone: CorsStatus | 'ask';
}) {
  const { key, other } = splitHeaders(headers, isKey, decisive);
  return (
    <div class="msg__headers">
      {key.length > 0 ? <Headers lines={key} tone={tone} /> : null}
      {other.length > 0 ? (
        <details class="hdrs-more">
          <summary>
            {key.length > 0 ? `${other.length} more` : `${other.length}`} header
            {other.length === 1 ? '' : 's'}
          </summary>
          <Headers lines={other} tone={tone} />
        </details>
      ) : null}
    </div>
  );
}

const CORS_WORDS: Readonly<Record<CorsStatus, string>> = {
  passed: 'CORS check passed',
  failed: 'CORS check failed',
  'not-applicable': 'no CORS check',
};

function pathOf(url: string, firstHost: string): string {
  try {
    const parsed = new URL(url);
    return parsed.host === firstHost ? `${parsed.pathname}${parsed.search}` : parsed.href;
  } catch {
    return url;
  }
}

function StepItem({
  step,
  index,
  firstHost,
  failures,
  stopped,
}: {
  step: Step;
  index: number;
  firstHost: string;
  failures: readonly Failure[];
  stopped: boolean;
}) {
  const title = stepTitle(step);
  return (
    <li class={`seq__step${stopped ? ' seq__step--stopped' : ''}`}>
      <h3 class="seq__step-title">
        <span class="seq__step-number">{index + 1}</span>
        {title}
      </h3>
      <div class="msg msg--request">
        <p class="msg__label">
          <span class="method">{step.request.method}</span>{' '}
          <span class="msg__path">{pathOf(step.request.url, firstHost)}</span>
        </p>
        <div class="msg__arrow" aria-hidden="true" />
        <HeaderBlock
          headers={step.request.headers}
          isKey={(name) => KEY_REQUEST_HEADERS.has(name)}
          decisive={[]}
          tone="ask"
        />
      </div>
      {step.outcome === 'network-error' ? (
        <div class="msg msg--response msg--failed">
          <p class="msg__label">
            <span class="mark" aria-hidden="true">
              ✗
            </span>{' '}
            No response: {step.error.message}
          </p>
          <div class="msg__arrow msg__arrow--broken" aria-hidden="true" />
        </div>
      ) : (
        <div class={`msg msg--response msg--${step.cors}`}>
          <p class="msg__label">
            <span class="msg__status">
              {step.response.status} {step.response.statusText}
            </span>
            {step.redirectTo === null ? null : (
              <span class="msg__redirect"> → {pathOf(step.redirectTo, firstHost)}</span>
            )}
            <span class="msg__time"> · {step.response.timeMs} ms</span>
            <span class={`msg__cors msg__cors--${step.cors}`}>
              <span aria-hidden="true">
                {step.cors === 'passed' ? '✓' : step.cors === 'failed' ? '✗' : '–'}
              </span>{' '}
              {CORS_WORDS[step.cors]}
              {failures.length > 0 ? `: ${failures.map((f) => f.code).join(', ')}` : ''}
            </span>
          </p>
          <div class="msg__arrow" aria-hidden="true" />
          <HeaderBlock
            headers={step.response.headers}
            isKey={isKeyResponseHeader}
            decisive={step.decisiveHeaders}
            tone={step.cors}
          />
        </div>
      )}
    </li>
  );
}

/** The fetch() call as the page would write it. */
function fetchCall(result: CheckResult): string {
  const { plan } = result;
  const options: string[] = [];
  if (plan.method !== 'GET') options.push(`method: ${JSON.stringify(plan.method)}`);
  if (plan.credentials !== 'same-origin') {
    options.push(`credentials: ${JSON.stringify(plan.credentials)}`);
  }
  const headers = [...plan.headers, ...plan.dropped.map((h): HeaderPair => [h.name, h.value])];
  if (headers.length > 0) {
    const entries = headers.map(([n, v]) => `${JSON.stringify(n)}: ${JSON.stringify(v)}`);
    options.push(`headers: { ${entries.join(', ')} }`);
  }
  if (plan.body !== null) options.push('body');
  const args = options.length === 0 ? '' : `, { ${options.join(', ')} }`;
  return `fetch(${JSON.stringify(plan.url)}${args})`;
}

function Outcome({ result }: { result: CheckResult }) {
  const emulation = emulationReportOf(result);
  if (emulation !== null && (result.verdict === 'allowed' || result.verdict === 'blocked')) {
    return (
      <p>
        <span aria-hidden="true">{emulation.passed ? '✓' : '✗'}</span> {typographic(emulation.name)}{' '}
        {emulation.passed ? 'passes' : 'fails'}: {emulation.outcome}
      </p>
    );
  }
  switch (result.verdict) {
    case 'allowed':
      return result.response === null ? (
        <p>
          <span aria-hidden="true">✓</span> Preflight accepted; the actual request was not sent.
        </p>
      ) : (
        <p>
          <span aria-hidden="true">✓</span> fetch() resolves: script reads status{' '}
          {result.response.status} and {result.response.readableHeaders.length} headers.
        </p>
      );
    case 'blocked':
      return (
        <p>
          <span aria-hidden="true">✗</span> fetch() rejects with{' '}
          <code>{REJECTION[result.browser]}</code>; script sees nothing of the response.
        </p>
      );
    case 'error':
      return (
        <p>
          <span aria-hidden="true">✗</span> fetch() rejects: network error (
          <code>{result.error.code}</code>).
        </p>
      );
    case 'inconclusive':
      return (
        <p>
          <span aria-hidden="true">?</span> {result.reason}
        </p>
      );
  }
}

export function SequenceDiagram({ result }: { result: CheckResult }) {
  const stoppedAt = decisiveStepIndex(result);
  const failures = result.verdict === 'blocked' ? result.failures : [];
  let firstHost = '';
  try {
    firstHost = new URL(result.plan.url).host;
  } catch {
    firstHost = result.plan.url;
  }
  return (
    <figure class="card seq" aria-labelledby="seq-title">
      <figcaption id="seq-title" class="card__title">
        The exchange
      </figcaption>
      <div class="seq__lanes">
        <div class="seq__lane seq__lane--page">
          <span class="seq__lane-name">Page</span>
          <span class="seq__lane-host">{result.plan.origin}</span>
          <span class="seq__lane-host">
            {emulationReportOf(result) === null
              ? `in ${BROWSER_NAMES[result.browser]}`
              : `${emulationReportOf(result)?.platform}’s backend`}
          </span>
        </div>
        <div class="seq__lane seq__lane--server">
          <span class="seq__lane-name">Server</span>
          <span class="seq__lane-host">{firstHost}</span>
        </div>
      </div>
      <ol class="seq__body">
        <li class="seq__note seq__note--start">
          <code>{fetchCall(result)}</code>
        </li>
        {result.steps.map((step, i) => (
          <StepItem
            key={i}
            step={step}
            index={i}
            firstHost={firstHost}
            failures={failures.filter((f) => f.step === i)}
            stopped={i === stoppedAt}
          />
        ))}
        <li class={`seq__note seq__note--end seq__note--${result.verdict}`}>
          <Outcome result={result} />
        </li>
      </ol>
    </figure>
  );
}

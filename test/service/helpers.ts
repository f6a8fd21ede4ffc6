/**
 * Test doubles for the service: a fake clock whose timers fire when the test advances it, a fake
 * runner whose answers the test scripts, check results built to the checker's types, and a
 * service on an in-memory database.
 */
import http from 'node:http';
import type { CheckResult, Failure, Step } from '../../src/check/index.js';
import { createService, type Service, type ServiceOptions } from '../../src/service/http/server.js';
import type { Clock, TimerHandle } from '../../src/service/jobs/clock.js';
import type { AuditReport, Runner } from '../../src/service/jobs/runner.js';
import type { AuditInput, CheckInput } from '../../src/service/routes/inputs.js';
import { openSqliteStore, type SqliteStore } from '../../src/service/store/index.js';

/** A clock that only moves when told to. */
export interface FakeClock extends Clock {
  /** Moves time forward by `ms`, firing due timers in order, letting promises settle between. */
  advance(ms: number): Promise<void>;
  /** Timers not yet fired. */
  readonly pending: number;
}

interface FakeTimer {
  at: number;
  seq: number;
  callback: () => void;
}

/** Lets queued promise callbacks (and a few rounds of the ones they queue) run. */
export async function settle(rounds = 20): Promise<void> {
  for (let i = 0; i < rounds; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}

export function createFakeClock(start = Date.UTC(2025, 0, 1)): FakeClock {
  let now = start;
  let seq = 0;
  const timers = new Set<FakeTimer>();
  return {
    now: () => now,
    setTimeout(callback, ms) {
      const timer: FakeTimer = { at: now + Math.max(0, ms), seq: seq++, callback };
      timers.add(timer);
      return timer;
    },
    clearTimeout(handle: TimerHandle) {
      timers.delete(handle as FakeTimer);
    },
    async advance(ms) {
      const until = now + ms;
      await settle();
      for (;;) {
        const due = [...timers]
          .filter((t) => t.at <= until)
          .sort((a, b) => a.at - b.at || a.seq - b.seq)[0];
        if (due === undefined) break;
        timers.delete(due);
        now = Math.max(now, due.at);
        due.callback();
        await settle();
      }
      now = until;
      await settle();
    },
    get pending() {
      return timers.size;
    },
  };
}

/** Headers of one exchange. */
type Lines = readonly (readonly [string, string])[];

/** What a fake check result looks like. */
export interface FakeCheck {
  readonly verdict?: 'allowed' | 'blocked' | 'error' | 'inconclusive';
  /** Response headers of a preflight step (none when omitted). */
  readonly preflight?: Lines;
  readonly preflightStatus?: number;
  /** Response headers of the actual request step. */
  readonly response?: Lines;
  readonly status?: number;
}

function step(
  kind: 'preflight' | 'request',
  input: CheckInput,
  status: number,
  headers: Lines,
): Step {
  return {
    kind,
    hop: 0,
    request: {
      method: kind === 'preflight' ? 'OPTIONS' : input.method,
      url: input.url,
      headers: [['Origin', input.origin], ...input.headers],
      body: null,
    },
    curl: `curl -X ${kind === 'preflight' ? 'OPTIONS' : input.method} '${input.url}' ${input.headers
      .map(([n, v]) => `-H '${n}: ${v}'`)
      .join(' ')}`.trim(),
    outcome: 'response',
    response: {
      status,
      statusText: '',
      headers: headers.map(([n, v]) => [n, v] as const),
      body: { bytes: 0, truncated: false, preview: '' },
      timeMs: 1,
    },
    cors: 'passed',
    decisiveHeaders: [],
    redirectTo: null,
  };
}

/** A check result of the checker's type, for `input`. */
export function fakeCheckResult(input: CheckInput, fake: FakeCheck = {}): CheckResult {
  const steps: Step[] = [];
  if (fake.preflight !== undefined) {
    steps.push(step('preflight', input, fake.preflightStatus ?? 204, fake.preflight));
  }
  if (!input.preflightOnly) {
    steps.push(
      step(
        'request',
        input,
        fake.status ?? 200,
        fake.response ?? [['Access-Control-Allow-Origin', input.origin]],
      ),
    );
  }
  const base = {
    browser: input.browser,
    scope: input.preflightOnly ? ('preflight-only' as const) : ('full' as const),
    plan: {
      url: input.url,
      origin: input.origin,
      method: input.method,
      credentials: input.credentials ?? 'same-origin',
      headers: input.headers.map(([n, v]) => [n, v] as const),
      dropped: [],
      body: input.body,
      unsafeHeaderNames: [],
      sameOrigin: false,
      preflight: { needed: false as const },
    },
    steps,
    curl: steps.map((s) => s.curl),
    warnings: [],
    preflightCache: null,
    emulation: null,
  };
  const verdict = fake.verdict ?? 'allowed';
  if (verdict === 'allowed') return { ...base, verdict, allowed: true, response: null };
  if (verdict === 'blocked') {
    const failure: Failure = {
      code: 'AllowOriginMismatch',
      step: Math.max(0, steps.length - 1),
      message: 'blocked by CORS policy',
      explanation: 'the origin is not allowed',
      failedParameter: input.origin,
      fix: { summary: 'allow the origin', where: 'response', header: null, policy: null },
    };
    return { ...base, verdict, allowed: false, failures: [failure] };
  }
  if (verdict === 'error') {
    return {
      ...base,
      verdict,
      allowed: false,
      error: { code: 'CONNECTION_REFUSED', message: 'refused', detail: 'ECONNREFUSED', step: 0 },
    };
  }
  return { ...base, verdict, allowed: false, reason: 'nothing to judge' };
}

/** A runner whose answers the test sets; every call is recorded. */
export interface FakeRunner extends Runner {
  readonly checks: CheckInput[];
  readonly audits: AuditInput[];
  /** Decides each check's result (default: allowed). May wait, or throw. */
  onCheck: (input: CheckInput, signal: AbortSignal) => Promise<CheckResult> | CheckResult;
  onAudit: (input: AuditInput, signal: AbortSignal) => Promise<AuditReport> | AuditReport;
}

export function createFakeRunner(): FakeRunner {
  const runner: FakeRunner = {
    checks: [],
    audits: [],
    onCheck: (input) => fakeCheckResult(input),
    onAudit: () => ({ findings: [] }),
    async check(input, signal) {
      runner.checks.push(input);
      return runner.onCheck(input, signal);
    },
    async audit(input, signal) {
      runner.audits.push(input);
      return runner.onAudit(input, signal);
    },
    async close() {},
  };
  return runner;
}

/** A service on an in-memory database with a fake runner and a fake clock. */
export interface TestService extends Service {
  readonly store: SqliteStore;
  readonly runner: FakeRunner;
  readonly clock: FakeClock;
  close(): Promise<void>;
}

export async function createTestService(
  options: Partial<Omit<ServiceOptions, 'runner' | 'store'>> & {
    runner?: FakeRunner;
    store?: SqliteStore;
  } = {},
): Promise<TestService> {
  const store = options.store ?? openSqliteStore(':memory:');
  const runner = options.runner ?? createFakeRunner();
  const clock = (options.clock as FakeClock | undefined) ?? createFakeClock();
  const service = await createService({
    privateTargets: 'public',
    // Most tests are about what the API does, not who may call it (see access.test.ts).
    auth: 'off',
    ...options,
    store,
    runner,
    clock,
  });
  return {
    ...service,
    store,
    runner,
    clock,
    async close() {
      await service.app.close();
      await store.close();
    },
  };
}

/** A check body with defaults: a public URL and origin. */
export function checkBody(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { url: 'https://api.example.com/items', origin: 'https://app.example.com', ...extra };
}

/** One Server-Sent Event as received. */
export interface SseEvent {
  readonly event: string;
  readonly data: string;
  readonly id?: string;
}

/** A Server-Sent Events stream read over a real socket. */
export interface EventStream {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly events: SseEvent[];
  /** Resolves when the server ends the stream. */
  readonly ended: Promise<void>;
  /** Resolves once an event satisfies `predicate` (or rejects after `timeoutMs`). */
  until(predicate: (event: SseEvent) => boolean, timeoutMs?: number): Promise<void>;
  close(): void;
}

/** Connects to `url` and parses its event stream (https://html.spec.whatwg.org/#event-stream-interpretation). */
export function openEventStream(
  url: string,
  headers: Record<string, string> = {},
): Promise<EventStream> {
  return new Promise((resolve, reject) => {
    const events: SseEvent[] = [];
    const waiters: { predicate: (e: SseEvent) => boolean; resolve: () => void }[] = [];
    let buffer = '';
    const request = http.get(
      url,
      { headers: { accept: 'text/event-stream', ...headers } },
      (response) => {
        response.setEncoding('utf8');
        // A server that dies mid-stream aborts the response; the stream has ended, nothing more.
        response.on('error', () => {});
        const ended = new Promise<void>((done) => {
          response.on('end', done);
          response.on('close', done);
        });
        response.on('data', (chunk: string) => {
          buffer += chunk;
          let boundary = buffer.indexOf('\n\n');
          while (boundary !== -1) {
            const block = buffer.slice(0, boundary);
            buffer = buffer.slice(boundary + 2);
            boundary = buffer.indexOf('\n\n');
            let event = 'message';
            let data = '';
            let id: string | undefined;
            for (const line of block.split('\n')) {
              if (line.startsWith(':') || line.startsWith('retry:')) continue;
              const colon = line.indexOf(':');
              const field = line.slice(0, colon);
              const value = line.slice(colon + 1).replace(/^ /, '');
              if (field === 'event') event = value;
              else if (field === 'data') data += data === '' ? value : `\n${value}`;
              else if (field === 'id') id = value;
            }
            if (data === '') continue;
            const parsed: SseEvent = id === undefined ? { event, data } : { event, data, id };
            events.push(parsed);
            for (const waiter of [...waiters]) {
              if (waiter.predicate(parsed)) {
                waiters.splice(waiters.indexOf(waiter), 1);
                waiter.resolve();
              }
            }
          }
        });
        resolve({
          status: response.statusCode ?? 0,
          headers: response.headers,
          events,
          ended,
          until(predicate, timeoutMs = 10_000) {
            if (events.some(predicate)) return Promise.resolve();
            return new Promise<void>((ok, fail) => {
              const timer = setTimeout(
                () =>
                  fail(
                    new Error(
                      `no matching event within ${timeoutMs} ms; got ${events.map((e) => e.event).join(',')}`,
                    ),
                  ),
                timeoutMs,
              );
              waiters.push({
                predicate,
                resolve: () => {
                  clearTimeout(timer);
                  ok();
                },
              });
            });
          },
          close() {
            request.destroy();
          },
        });
      },
    );
    request.on('error', reject);
  });
}

/** Resolves after `ms` of real time. */
export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

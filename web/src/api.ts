/**
 * Every call the page makes to the corsproof service, in one place, so a change in the API is a
 * change in this file. Same origin only: the page's CSP allows nothing else.
 */

import { currentToken, needSignIn } from './session';
import type {
  AuditInput,
  AuditLogEntry,
  AuditRecord,
  AuditSummary,
  Batch,
  BatchAccepted,
  BatchProgress,
  BatchRequest,
  BatchSummary,
  BatchTarget,
  CheckFilter,
  CheckInput,
  CheckRecord,
  CheckSummary,
  Monitor,
  MonitorDetail,
  MonitorInput,
  Page,
  Scope,
  Session,
  TokenInfo,
} from './types';

/** A refusal from the service (`{ error, message, field }`), or the service not answering. */
export class ApiError extends Error {
  constructor(
    /** The HTTP status, 0 when the service did not answer. */
    readonly status: number,
    /** The service's `error` code, e.g. `bad-request`. */
    readonly code: string,
    message: string,
    /** The input field the message is about, when the service names one. */
    readonly field: string | null,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

interface ErrorBody {
  readonly error?: unknown;
  readonly message?: unknown;
  readonly field?: unknown;
}

function toApiError(status: number, body: unknown): ApiError {
  const fields: ErrorBody = typeof body === 'object' && body !== null ? body : {};
  const code = typeof fields.error === 'string' ? fields.error : `http-${status}`;
  // The service starts every message with "corsproof: ", which says nothing on its own page.
  const message =
    typeof fields.message === 'string'
      ? capitalize(fields.message.replace(/^corsproof: /, ''))
      : status >= 500
        ? `The service answered ${status} without an explanation: is \`corsproof serve\` running (and, with \`vite web\`, on port 8080)?`
        : `The service answered ${status} without an explanation.`;
  return new ApiError(
    status,
    code,
    message,
    typeof fields.field === 'string' ? fields.field : null,
  );
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** Headers of every call: JSON, and the tab's token when signed in. */
function headersFor(body: unknown): Record<string, string> {
  const token = currentToken();
  return {
    accept: 'application/json',
    ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    ...(token === null ? {} : { authorization: `Bearer ${token}` }),
  };
}

async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers: headersFor(body),
      body: body === undefined ? null : JSON.stringify(body),
    });
  } catch {
    throw new ApiError(
      0,
      'unreachable',
      'The corsproof service did not answer. Is `corsproof serve` still running?',
      null,
    );
  }
  const text = await response.text();
  let data: unknown = null;
  if (text !== '') {
    try {
      data = JSON.parse(text);
    } catch {
      data = null;
    }
  }
  // No token, or one revoked meanwhile: the page shows the sign-in.
  if (response.status === 401) needSignIn();
  if (!response.ok) throw toApiError(response.status, data);
  if (response.status === 204) return undefined as T;
  // The service validates what it sends against the same types; trusting them here is the boundary.
  return data as T;
}

function query(params: Readonly<Record<string, string | number | undefined>>): string {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) {
    if (value !== undefined && value !== '') search.set(name, String(value));
  }
  const text = search.toString();
  return text === '' ? '' : `?${text}`;
}

const segment = encodeURIComponent;

/**
 * A batch's export as a file. Fetched rather than linked: a plain link cannot send the tab's
 * token, so with tokens required it would download a 401.
 */
export async function fetchBatchExport(
  id: string,
  format: 'csv' | 'json',
): Promise<{ blob: Blob; filename: string }> {
  const path = `/api/batches/${encodeURIComponent(id)}/export?format=${format}`;
  let response: Response;
  try {
    response = await fetch(path, { headers: { ...headersFor(undefined), accept: '*/*' } });
  } catch {
    throw new ApiError(
      0,
      'unreachable',
      'The corsproof service did not answer. Is `corsproof serve` still running?',
      null,
    );
  }
  if (response.status === 401) needSignIn();
  if (!response.ok) {
    const text = await response.text();
    let data: unknown = null;
    try {
      data = JSON.parse(text);
    } catch {
      data = null;
    }
    throw toApiError(response.status, data);
  }
  const named = /filename="([^"]+)"/.exec(response.headers.get('content-disposition') ?? '');
  return { blob: await response.blob(), filename: named?.[1] ?? `${id}.${format}` };
}

export function createCheck(input: CheckInput): Promise<CheckRecord> {
  return call('POST', '/api/checks', input);
}

export function getCheck(id: string): Promise<CheckRecord> {
  return call('GET', `/api/checks/${segment(id)}`);
}

export function listChecks(filter: CheckFilter): Promise<Page<CheckSummary>> {
  return call('GET', `/api/checks${query({ ...filter })}`);
}

export function createAudit(input: AuditInput): Promise<AuditRecord> {
  return call('POST', '/api/audits', input);
}

export function getAudit(id: string): Promise<AuditRecord> {
  return call('GET', `/api/audits/${segment(id)}`);
}

export function createBatch(request: BatchRequest): Promise<BatchAccepted> {
  return call('POST', '/api/batches', request);
}

export function getBatch(
  id: string,
  page: { cursor?: string; limit?: number } = {},
): Promise<Batch> {
  return call('GET', `/api/batches/${segment(id)}${query(page)}`);
}

export interface BatchListener {
  /** First when the stream opens (where things stand), then after every result. */
  readonly onProgress: (progress: BatchProgress) => void;
  readonly onResult: (target: BatchTarget) => void;
  readonly onDone: (progress: BatchProgress) => void;
  /** The stream broke and the browser gave up reconnecting. */
  readonly onError: (error: ApiError) => void;
}

/**
 * Follows a batch's server-sent events; returns the function that stops listening. The stream
 * sends only results finished after it opened (and, on a reconnect, those after Last-Event-ID, which
 * EventSource sends by itself): read earlier ones with `getBatch` once the first progress arrived.
 */
export function watchBatch(id: string, listener: BatchListener): () => void {
  // EventSource cannot send an Authorization header: with a token, read the stream with fetch.
  if (currentToken() !== null) return watchBatchByFetch(id, listener);
  const source = new EventSource(`/api/batches/${segment(id)}/events`);
  const parse = <T>(event: Event): T | null => {
    if (!(event instanceof MessageEvent) || typeof event.data !== 'string') return null;
    try {
      return JSON.parse(event.data) as T;
    } catch {
      return null;
    }
  };
  source.addEventListener('progress', (event) => {
    const progress = parse<BatchProgress>(event);
    if (progress) listener.onProgress(progress);
  });
  source.addEventListener('result', (event) => {
    const target = parse<BatchTarget>(event);
    if (target) listener.onResult(target);
  });
  source.addEventListener('done', (event) => {
    // Closing first: the server ends the stream next, and EventSource would otherwise reconnect.
    source.close();
    const progress = parse<BatchProgress>(event);
    if (progress) listener.onDone(progress);
  });
  source.addEventListener('error', () => {
    if (source.readyState === EventSource.CLOSED) {
      listener.onError(
        new ApiError(0, 'stream-closed', 'Lost the connection to the batch’s progress.', null),
      );
    }
  });
  return () => source.close();
}

export function listMonitors(): Promise<Page<Monitor>> {
  return call('GET', '/api/monitors');
}

export function createMonitor(input: MonitorInput): Promise<Monitor> {
  return call('POST', '/api/monitors', input);
}

export function getMonitor(id: string): Promise<MonitorDetail> {
  return call('GET', `/api/monitors/${segment(id)}`);
}

export function deleteMonitor(id: string): Promise<void> {
  return call('DELETE', `/api/monitors/${segment(id)}`);
}

/**
 * The same stream read with fetch, which can send the token. One connection, no reconnection:
 * a broken stream is reported, and the batch view then reads the batch again.
 */
function watchBatchByFetch(id: string, listener: BatchListener): () => void {
  const abort = new AbortController();
  const dispatch = (event: string, data: string) => {
    let parsed: unknown;
    try {
      parsed = JSON.parse(data);
    } catch {
      return;
    }
    if (event === 'progress') listener.onProgress(parsed as BatchProgress);
    else if (event === 'result') listener.onResult(parsed as BatchTarget);
    else if (event === 'done') {
      abort.abort();
      listener.onDone(parsed as BatchProgress);
    }
  };
  const lost = () =>
    listener.onError(
      new ApiError(0, 'stream-closed', 'Lost the connection to the batch’s progress.', null),
    );
  void (async () => {
    try {
      const response = await fetch(`/api/batches/${segment(id)}/events`, {
        headers: { ...headersFor(undefined), accept: 'text/event-stream' },
        signal: abort.signal,
      });
      if (response.status === 401) needSignIn();
      if (!response.ok || response.body === null) {
        listener.onError(toApiError(response.status, await response.json().catch(() => null)));
        return;
      }
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
      let buffer = '';
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += value.replace(/\r\n?/g, '\n');
        let boundary = buffer.indexOf('\n\n');
        while (boundary !== -1) {
          // https://html.spec.whatwg.org/multipage/server-sent-events.html#event-stream-interpretation
          let event = 'message';
          const data: string[] = [];
          for (const line of buffer.slice(0, boundary).split('\n')) {
            if (line.startsWith('event:')) event = line.slice(6).trim();
            else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''));
          }
          buffer = buffer.slice(boundary + 2);
          boundary = buffer.indexOf('\n\n');
          if (data.length > 0) dispatch(event, data.join('\n'));
        }
      }
      if (!abort.signal.aborted) lost();
    } catch {
      if (!abort.signal.aborted) lost();
    }
  })();
  return () => abort.abort();
}

/** Who the tab's token is (or `auth: 'off'` when the service asks for none). */
export function getSession(): Promise<Session> {
  return call('GET', '/api/session');
}

export function listTokens(): Promise<{ readonly items: readonly TokenInfo[] }> {
  return call('GET', '/api/tokens');
}

export function createToken(name: string, scope: Scope): Promise<TokenInfo & { token: string }> {
  return call('POST', '/api/tokens', { name, scope });
}

export function revokeToken(id: string): Promise<void> {
  return call('DELETE', `/api/tokens/${segment(id)}`);
}

export function listAuditLog(cursor?: string): Promise<Page<AuditLogEntry>> {
  return call('GET', `/api/audit-log${query({ cursor, limit: 50 })}`);
}

/** `GET /api/session` with a token not yet kept: the sign-in tries it before keeping it. */
export async function tryToken(token: string): Promise<Session> {
  let response: Response;
  try {
    response = await fetch('/api/session', {
      headers: { accept: 'application/json', authorization: `Bearer ${token}` },
    });
  } catch {
    throw new ApiError(0, 'unreachable', 'The corsproof service did not answer.', null);
  }
  const data: unknown = await response.json().catch(() => null);
  if (!response.ok) throw toApiError(response.status, data);
  return data as Session;
}

export function listAudits(
  filter: { outcome?: string; host?: string; cursor?: string; limit?: number } = {},
): Promise<Page<AuditSummary>> {
  return call('GET', `/api/audits${query({ ...filter })}`);
}

export function listBatches(
  filter: { status?: string; kind?: string; cursor?: string; limit?: number } = {},
): Promise<Page<BatchSummary>> {
  return call('GET', `/api/batches${query({ ...filter })}`);
}

/** Runs a stored check, audit or batch again; resolves to the new record's id. */
export async function runAgain(kind: 'checks' | 'audits' | 'batches', id: string): Promise<string> {
  const record = await call<{ id: string }>('POST', `/api/${kind}/${segment(id)}/rerun`);
  return record.id;
}

export function pauseMonitor(id: string): Promise<Monitor> {
  return call('POST', `/api/monitors/${segment(id)}/pause`);
}

export function resumeMonitor(id: string): Promise<Monitor> {
  return call('POST', `/api/monitors/${segment(id)}/resume`);
}

export function runMonitorNow(id: string): Promise<Monitor> {
  return call('POST', `/api/monitors/${segment(id)}/run`);
}

export function updateMonitor(
  id: string,
  change: { intervalSeconds?: number; check?: CheckInput },
): Promise<Monitor> {
  return call('PATCH', `/api/monitors/${segment(id)}`, change);
}

/** A monitor's webhook and its delivery log. */
export interface WebhookStatus {
  readonly webhook: { readonly url: string; readonly format: 'json' | 'slack' } | null;
  readonly deliveries: readonly {
    readonly id: string;
    readonly createdAt: string;
    readonly status: 'pending' | 'delivered' | 'failed';
    readonly attempts: number;
    readonly nextAttemptAt: string | null;
    readonly log: readonly {
      readonly attempt: number;
      readonly at: string;
      readonly statusCode: number | null;
      readonly error: string | null;
    }[];
  }[];
}

export function getWebhook(id: string): Promise<WebhookStatus> {
  return call('GET', `/api/monitors/${segment(id)}/webhook`);
}

export function setWebhook(
  id: string,
  hook: { url: string; format: 'json' | 'slack' },
): Promise<{ url: string; format: string; secret?: string }> {
  return call('POST', `/api/monitors/${segment(id)}/webhook`, hook);
}

export function deleteWebhook(id: string): Promise<void> {
  return call('DELETE', `/api/monitors/${segment(id)}/webhook`);
}

/**
 * Every call the page makes to the corsproof service, in one place, so a change in the API is a
 * change in this file. Same origin only: the page's CSP allows nothing else.
 */
import type {
  AuditInput,
  AuditRecord,
  Batch,
  BatchAccepted,
  BatchProgress,
  BatchRequest,
  BatchTarget,
  CheckFilter,
  CheckInput,
  CheckRecord,
  CheckSummary,
  Monitor,
  MonitorDetail,
  MonitorInput,
  Page,
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

async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers:
        body === undefined
          ? { accept: 'application/json' }
          : { accept: 'application/json', 'content-type': 'application/json' },
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
  if (!response.ok) throw toApiError(response.status, data);
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

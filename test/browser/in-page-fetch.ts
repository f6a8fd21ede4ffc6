/**
 * The `fetch()` both browser harnesses run inside their pages (Chromium through playwright-core,
 * Firefox through puppeteer-core). It is serialized into the page, so it must stay self-contained:
 * no imports, no outer variables.
 */

/** What the page reports back: the response as script sees it, or the error fetch() threw. */
export interface InPageResult {
  ok: boolean;
  requestUrl: string;
  status?: number;
  statusText?: string;
  type?: string;
  url?: string;
  redirected?: boolean;
  headers?: Record<string, string>;
  body?: string;
  errorName?: string;
  errorMessage?: string;
}

export interface InPageFetchArgs {
  url: string;
  init: unknown;
  timeoutMs: number;
}

/** Runs in the page: `page.evaluate(inPageFetch, { url, init, timeoutMs })`. */
export const inPageFetch = async ({
  url,
  init,
  timeoutMs,
}: InPageFetchArgs): Promise<InPageResult> => {
  let requestUrl = url;
  try {
    requestUrl = new URL(url, location.href).href;
  } catch {
    // Leave it to fetch() to report the invalid URL.
  }
  const controller = new AbortController();
  const timer = setTimeout(
    () => controller.abort(new DOMException('fetch timed out', 'AbortError')),
    timeoutMs,
  );
  try {
    const response = await fetch(url, { ...(init as RequestInit), signal: controller.signal });
    const headers: Record<string, string> = {};
    response.headers.forEach((value, name) => {
      headers[name] = value;
    });
    const body = await response.text();
    return {
      ok: true,
      requestUrl,
      status: response.status,
      statusText: response.statusText,
      type: response.type,
      url: response.url,
      redirected: response.redirected,
      headers,
      body,
    };
  } catch (error) {
    const e = error as { name?: unknown; message?: unknown };
    return {
      ok: false,
      requestUrl,
      errorName: typeof e?.name === 'string' ? e.name : 'Error',
      errorMessage: typeof e?.message === 'string' ? e.message : String(error),
    };
  } finally {
    clearTimeout(timer);
  }
};

/** What script read of a successful response, as both harnesses report it. */
export interface ReadResponse {
  status: number;
  statusText: string;
  /** `response.type`: 'basic' | 'cors' | 'opaque' | 'opaqueredirect' | ... */
  type: string;
  /** `response.url` (final URL after redirects; '' for opaque responses). */
  url: string;
  redirected: boolean;
  /** What script can read via `response.headers` (lower-case names, duplicates joined by ', '). */
  headers: Record<string, string>;
  body: string;
}

/** The fields of a successful in-page fetch, with the defaults both harnesses use. */
export function readResponse(result: InPageResult): ReadResponse {
  return {
    status: result.status ?? 0,
    statusText: result.statusText ?? '',
    type: result.type ?? '',
    url: result.url ?? '',
    redirected: result.redirected ?? false,
    headers: result.headers ?? {},
    body: result.body ?? '',
  };
}

/**
 * A batch given as an API description: the description (uploaded, or linked and fetched through
 * the SSRF guard) becomes one target per operation, each then validated like any other target.
 * External `$ref`s in it are never followed (see `loadApiDescription`): the guard sees only the
 * link itself.
 */

import type { Dispatcher } from 'undici';
import { request } from 'undici';
import type { ApiOperation } from '../../openapi/index.js';
import { createGuardedDispatcher } from '../guard/index.js';
import { createLoopbackRoutingDispatcher } from '../guard/loopback-dispatcher.js';
import { checkTarget, type PrivateTargets } from '../guard/target-policy.js';
import { ApiError, badRequest } from '../http/errors.js';
import type { AuditBody } from './audits.schema.js';
import { MAX_BATCH_TARGETS, MAX_OPENAPI_TEXT, type OpenApiSource } from './batches.schema.js';
import type { CheckBody } from './checks.schema.js';
import type { HeadersBody } from './shared.schema.js';

/** Redirects followed when fetching a linked description, each one checked by the guard. */
const MAX_REDIRECTS = 5;
const FETCH_TIMEOUT_MS = 10_000;

type Pair = [string, string];

function dispatcherFor(mode: PrivateTargets): Dispatcher {
  const options = { maxResponseSize: MAX_OPENAPI_TEXT };
  return mode === 'loopback'
    ? createLoopbackRoutingDispatcher(options)
    : createGuardedDispatcher({ ...options, allowPrivateTargets: mode === 'private' });
}

/** The linked description's text; a refused, failed or unreadable link is a 400 naming why. */
async function fetchDescription(link: string, mode: PrivateTargets): Promise<string> {
  const dispatcher = dispatcherFor(mode);
  try {
    let url = link;
    for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
      const verdict = checkTarget(url, mode);
      if (!verdict.ok) throw badRequest('openapi.url', verdict.reason);
      const response = await request(verdict.url, {
        dispatcher,
        headers: { accept: 'application/yaml, application/json;q=0.9, */*;q=0.5' },
        signal: AbortSignal.timeout(FETCH_TIMEOUT_MS),
      });
      const location = response.headers.location;
      if (response.statusCode >= 300 && response.statusCode < 400 && location !== undefined) {
        await response.body.dump();
        url = new URL(String(location), verdict.url).href;
        continue;
      }
      if (response.statusCode < 200 || response.statusCode > 299) {
        await response.body.dump();
        throw badRequest(
          'openapi.url',
          `${url} answered ${response.statusCode}; link to the description itself, or upload it as text`,
        );
      }
      return await response.body.text();
    }
    throw badRequest(
      'openapi.url',
      `more than ${MAX_REDIRECTS} redirects from ${link}; link to the description itself`,
    );
  } catch (error) {
    if (error instanceof ApiError) throw error;
    throw badRequest(
      'openapi.url',
      `cannot fetch the description from ${link}: ${(error as Error).message}`,
    );
  } finally {
    await dispatcher.close();
  }
}

function pairsOf(headers: HeadersBody | undefined): Pair[] {
  if (headers === undefined) return [];
  if (Array.isArray(headers)) return headers.map(([n, v]) => [String(n), String(v)]);
  return Object.entries(headers).map(([n, v]) => [n, String(v)]);
}

/** The operation's headers, the caller's over them by name (a real token over a placeholder). */
function headersFor(op: ApiOperation, extra: readonly Pair[], withContentType: boolean): Pair[] {
  const overridden = new Set(extra.map(([n]) => n.toLowerCase()));
  const own = op.headers.filter(([n]) => {
    const lower = n.toLowerCase();
    return !overridden.has(lower) && (withContentType || lower !== 'content-type');
  });
  return [...own.map(([n, v]): Pair => [n, v]), ...extra];
}

/** The selected operations of the description, or a 400 naming the field at fault. */
async function operationsOf(source: OpenApiSource, mode: PrivateTargets): Promise<ApiOperation[]> {
  if ((source.text === undefined) === (source.url === undefined)) {
    throw badRequest(
      'openapi',
      'give the description as "text" (YAML or JSON) or as a "url" to fetch it from, one of the two',
    );
  }
  // The parser is loaded with the first description, not when the service starts.
  const { ApiDescriptionError, listOperations, loadApiDescription, selectOperations } =
    await import('../../openapi/index.js');
  const text = source.text ?? (await fetchDescription(source.url as string, mode));
  const name = source.url ?? 'the description';
  let all: ApiOperation[];
  try {
    const doc = await loadApiDescription(text, name);
    all = listOperations(doc, {
      ...(source.baseUrl === undefined ? {} : { baseUrl: source.baseUrl }),
      ...(source.url === undefined ? {} : { documentUrl: source.url }),
    });
  } catch (error) {
    if (!(error instanceof ApiDescriptionError)) throw error;
    const field =
      error.code === 'OPENAPI_NO_BASE_URL'
        ? 'openapi.baseUrl'
        : source.url === undefined
          ? 'openapi.text'
          : 'openapi.url';
    throw badRequest(field, error.message);
  }
  const selected = selectOperations(all, {
    ...(source.include === undefined ? {} : { include: source.include }),
    ...(source.exclude === undefined ? {} : { exclude: source.exclude }),
  });
  if (selected.length === 0) {
    throw badRequest(
      'openapi.include',
      `corsproof: no operation to run: ${all.length} in the description, none kept by include/exclude (a path glob such as '/users/**', or tag:NAME)`,
    );
  }
  if (selected.length > MAX_BATCH_TARGETS) {
    throw badRequest(
      'openapi.include',
      `corsproof: ${selected.length} operations, more than the ${MAX_BATCH_TARGETS} targets of a batch; narrow them with include or exclude`,
    );
  }
  return selected;
}

/** Methods whose request is sent, not only its preflight: safe methods (RFC 9110 §9.2.1). */
const SENT_FOR_REAL = new Set(['GET', 'HEAD']);

/**
 * The check bodies of a description's operations: each with its method and headers, credentials
 * when asked or when a cookie is part of its security. Only GET and HEAD are sent for real; any
 * other operation gets its preflight alone (the body-less POST `normalizeCheck` lets through
 * would still reach, say, `createItem` with the operation's headers).
 *
 * @example
 * const bodies = await checkTargetsOf({ text, origin: 'https://app.example' }, 'public');
 */
export async function checkTargetsOf(
  source: OpenApiSource,
  mode: PrivateTargets,
): Promise<CheckBody[]> {
  const extra = pairsOf(source.headers);
  return (await operationsOf(source, mode)).map((op) => ({
    url: op.url,
    origin: source.origin,
    method: op.method,
    headers: headersFor(op, extra, true),
    ...(source.credentials === true || op.credentials ? { credentials: 'include' as const } : {}),
    preflightOnly: !SENT_FOR_REAL.has(op.method),
    ...(source.browser === undefined ? {} : { browser: source.browser }),
    ...(source.timeoutMs === undefined ? {} : { timeoutMs: source.timeoutMs }),
  }));
}

/** The audit bodies of a description's operations: the operation's method for the preflights. */
export async function auditTargetsOf(
  source: OpenApiSource,
  mode: PrivateTargets,
): Promise<AuditBody[]> {
  const extra = pairsOf(source.headers);
  return (await operationsOf(source, mode)).map((op) => ({
    url: op.url,
    origin: source.origin,
    method: op.method,
    // The preflights carry their own Content-Type; the body's is not a header the page adds.
    headers: headersFor(op, extra, false),
    credentials: source.credentials === true || op.credentials,
    ...(source.browser === undefined ? {} : { browser: source.browser }),
    ...(source.timeoutMs === undefined ? {} : { timeoutMs: source.timeoutMs }),
  }));
}

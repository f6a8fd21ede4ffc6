/**
 * Carrying a decision out on Fetch API `Headers` and `Response`s.
 */
import type { Decision } from '../../policy/decision.js';
import { mergeVary } from '../../spec/vary.js';

/**
 * Sets the decision's headers on `headers` and merges its Vary into theirs. Throws a TypeError if
 * the headers are immutable; {@link withDecisionHeaders} copies the response then.
 *
 * @example
 * const headers = new Headers({ vary: 'Accept-Encoding' });
 * setDecisionHeaders(headers, decision); // vary: 'Accept-Encoding, Origin'
 */
export function setDecisionHeaders(headers: Headers, decision: Decision): void {
  for (const [name, value] of decision.headers) headers.set(name, value);
  if (decision.vary !== null) {
    headers.set('vary', mergeVary(headers.get('vary') ?? undefined, decision.vary));
  }
}

/**
 * The response to a preflight (accepted or refused): status, headers, no body.
 *
 * @example
 * if (isPreflight(decision)) return preflightResponse(decision);
 */
export function preflightResponse(decision: Decision & { readonly status: number }): Response {
  const headers = new Headers();
  setDecisionHeaders(headers, decision);
  return new Response(null, { status: decision.status, headers });
}

/**
 * Adds the decision's headers to a handler's response. Responses whose headers are immutable
 * (`Response.redirect()`, a `fetch()` result passed through) are copied into a new `Response` with
 * the same body stream, status and headers; the body is not read. WebSocket upgrades (101) and
 * network errors are returned as they are: CORS does not apply to them.
 *
 * @example
 * return withDecisionHeaders(Response.redirect('https://example.com/next', 302), decision);
 */
export function withDecisionHeaders(response: Response, decision: Decision): Response {
  if (decision.headers.length === 0 && decision.vary === null) return response;
  if (response.status === 101 || response.type === 'error') return response;
  try {
    setDecisionHeaders(response.headers, decision);
    return response;
  } catch (error) {
    // The headers guard is "immutable": every `set` throws a TypeError, so nothing was changed.
    if (!(error instanceof TypeError)) throw error;
  }
  const copy = new Response(response.body, {
    status: response.status,
    statusText: response.statusText,
    headers: new Headers(response.headers),
  });
  setDecisionHeaders(copy.headers, decision);
  return copy;
}

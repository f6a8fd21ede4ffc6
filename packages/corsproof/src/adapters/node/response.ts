/**
 * Carrying a decision out on a Node `ServerResponse` (also Express's `res`).
 */
import type { ServerResponse } from 'node:http';
import type { Decision } from '../../policy/decision.js';
import { mergeVary } from '../../spec/vary.js';

/** The part of `ServerResponse` the adapter uses; mocks in tests need only these. */
export type NodeResponseLike = Pick<ServerResponse, 'setHeader' | 'getHeader'>;

/** Sets the decision's headers and merges its Vary into whatever Vary the response already has. */
export function setDecisionHeaders(res: NodeResponseLike, decision: Decision): void {
  // Read before anything is set: on a response with no header yet, Node answers at once.
  const existing = decision.vary === null ? undefined : res.getHeader('vary');
  const headers = decision.headers;
  for (let i = 0; i < headers.length; i++) {
    const pair = headers[i]!;
    res.setHeader(pair[0], pair[1]);
  }
  if (decision.vary !== null) {
    res.setHeader(
      'vary',
      existing === undefined
        ? decision.vary
        : mergeVary(typeof existing === 'number' ? String(existing) : existing, decision.vary),
    );
  }
}

/**
 * Answers a preflight (accepted or refused): status, headers, empty body. The app never sees it.
 * Through `setHeader`, like the app's own responses: one `writeHead` of a ready header list costs
 * fewer instructions per preflight, but a server answering both kinds then runs Node's header
 * code on two shapes (a list and its own header table), and its other responses cost more than
 * that saves (bench/callgrind/per-request.mjs: +9,800 instructions per GET, −14,000 per
 * preflight, where GETs outnumber preflights, which browsers cache).
 */
export function endPreflight(
  res: Pick<ServerResponse, 'setHeader' | 'getHeader' | 'end'> & { statusCode: number },
  decision: Decision & { readonly status: number },
): void {
  setDecisionHeaders(res, decision);
  res.statusCode = decision.status;
  // 204 has no body by definition; any other status says so explicitly for keep-alive clients.
  if (decision.status !== 204) res.setHeader('content-length', '0');
  res.end();
}

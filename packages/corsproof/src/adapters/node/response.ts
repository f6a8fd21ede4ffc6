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

/** A preflight answer as `writeHead` takes it: name, value, name, value, … */
type FlatHeaders = readonly string[];

/** Flat header lists of the frozen answers `decide` keeps per origin (see readyPreflight). */
const flatAnswers = new WeakMap<Decision, FlatHeaders>();

function flatten(decision: Decision & { readonly status: number }): FlatHeaders {
  const flat: string[] = [];
  for (const [name, value] of decision.headers) flat.push(name, value);
  if (decision.vary !== null) flat.push('vary', decision.vary);
  if (decision.status !== 204) flat.push('content-length', '0');
  return flat;
}

/**
 * Answers a preflight on a real `ServerResponse` with one `writeHead`: a frozen answer's header
 * list is built once, and Node writes it without validating and storing each header the way
 * `setHeader` does. Falls back to `endPreflight` when the response already has a Vary to merge,
 * or is not a `ServerResponse` (a mock with setHeader and end only).
 */
export function writePreflight(
  res: Pick<ServerResponse, 'setHeader' | 'getHeader' | 'end'> & {
    statusCode: number;
    writeHead?: ServerResponse['writeHead'];
  },
  decision: Decision & { readonly status: number },
): void {
  if (typeof res.writeHead !== 'function' || res.getHeader('vary') !== undefined) {
    endPreflight(res, decision);
    return;
  }
  let flat = flatAnswers.get(decision);
  if (flat === undefined) {
    flat = flatten(decision);
    if (Object.isFrozen(decision)) flatAnswers.set(decision, flat);
  }
  res.writeHead(decision.status, flat as string[]);
  res.end();
}

/**
 * Answers a preflight (accepted or refused): status, headers, empty body. The app never sees it.
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

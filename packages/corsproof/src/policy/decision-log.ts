/**
 * The decision log: one event per decision, for operators. A refused preflight otherwise leaves no
 * trace on the server (the browser shows the error, the server log shows a 403 at best), which makes
 * it the most common CORS failure nobody can explain. Every adapter reports through the policy, so
 * the event has the same shape whatever the framework.
 *
 * Unset, it costs nothing: `compilePolicy` then hands out the plain decision function.
 */
import type { Decision } from './decision.js';
import type { DecisionLog } from './decision-log-options.js';
import { explainDecision } from './explain.js';
import type { CorsRequest, DecisionEvent } from './options.js';

export { type DecisionLog, normalizeDecisionLog } from './decision-log-options.js';

/** The path of a request target: origin-form (`/a?b`) or an absolute URL (fetch handlers). */
export function pathOf(url: string | undefined): string | undefined {
  if (url === undefined) return undefined;
  let start = 0;
  if (url.charCodeAt(0) !== 0x2f) {
    const scheme = url.indexOf('://');
    if (scheme === -1) return undefined;
    start = url.indexOf('/', scheme + 3);
    if (start === -1) return '/';
  }
  const query = url.indexOf('?', start);
  const hash = url.indexOf('#', start);
  const end =
    query === -1 ? (hash === -1 ? url.length : hash) : hash === -1 ? query : Math.min(query, hash);
  return url.slice(start, end);
}

function rateFor(log: DecisionLog, verdict: DecisionEvent['verdict']): number {
  return verdict === 'allowed' ? log.allowed : verdict === 'refused' ? log.refused : log.notCors;
}

function sampled(rate: number): boolean {
  return rate >= 1 || (rate > 0 && Math.random() < rate);
}

function eventOf(request: CorsRequest, decision: Decision): DecisionEvent {
  const explained = explainDecision(decision);
  const refused = decision.kind === 'preflight-refused' || decision.kind === 'actual-refused';
  return {
    kind: decision.kind,
    verdict: explained.verdict,
    origin: request.origin,
    method: request.method,
    requestMethod: request.requestMethod,
    path: pathOf(request.url),
    code: refused ? decision.reason.code : null,
    summary: explained.summary,
    decision,
  };
}

function failureEvent(request: CorsRequest, error: unknown): DecisionEvent {
  return {
    kind: 'predicate-failed',
    verdict: 'refused',
    origin: request.origin,
    method: request.method,
    requestMethod: request.requestMethod,
    path: pathOf(request.url),
    code: 'predicate-failed',
    summary: `the origins predicate failed (${error instanceof Error ? error.message : String(error)}): no CORS headers sent, the error goes to the framework's error handling`,
    decision: undefined,
    error,
  };
}

/**
 * Wraps a decision function so every sampled decision is reported. A listener that throws is not
 * allowed to break the request: its error is logged and the decision stands.
 */
export function reportingDecide(
  decide: (request: CorsRequest) => Decision | Promise<Decision>,
  log: DecisionLog,
): (request: CorsRequest) => Decision | Promise<Decision> {
  const report = (event: DecisionEvent) => {
    try {
      log.listener(event);
    } catch (error) {
      console.error('corsproof: the onDecision listener threw; the decision stands', error);
    }
  };
  const settle = (request: CorsRequest, decision: Decision): Decision => {
    const verdict =
      decision.kind === 'not-cors'
        ? 'not-cors'
        : decision.kind === 'preflight-refused' || decision.kind === 'actual-refused'
          ? 'refused'
          : 'allowed';
    if (sampled(rateFor(log, verdict))) report(eventOf(request, decision));
    return decision;
  };
  const fail = (request: CorsRequest, error: unknown): never => {
    if (sampled(log.refused)) report(failureEvent(request, error));
    throw error;
  };
  return (request) => {
    let decision: Decision | Promise<Decision>;
    try {
      decision = decide(request);
    } catch (error) {
      return fail(request, error);
    }
    return decision instanceof Promise
      ? decision.then(
          (d) => settle(request, d),
          (error: unknown) => fail(request, error),
        )
      : settle(request, decision);
  };
}

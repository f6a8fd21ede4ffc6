/**
 * corsproof for plain `node:http` servers.
 *
 * @example
 * import http from 'node:http';
 * import { withCors } from 'corsproof/node';
 *
 * const server = http.createServer(
 *   withCors({ origins: ['https://app.example.com'], credentials: true }, (req, res) => {
 *     res.end('hello');
 *   }),
 * );
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { type CorsPolicy, compilePolicy } from '../../policy/compile.js';
import { type Decision, isPreflight } from '../../policy/decision.js';
import type { CorsOptions } from '../../policy/options.js';
import type { StoredValidatedPolicy } from '../../policy/validated-policy.js';
import { corsRequestFromNode } from './request.js';
import { endPreflight, setDecisionHeaders } from './response.js';

export { corsRequestFromNode } from './request.js';
export { endPreflight, type NodeResponseLike, setDecisionHeaders } from './response.js';

export type NodeHandler<
  Req extends IncomingMessage = IncomingMessage,
  Res extends ServerResponse<Req> = ServerResponse<Req>,
> = (req: Req, res: Res) => unknown;

export interface WithCorsOptions {
  /**
   * Called when the handler throws or rejects, or an async origins predicate fails. The default
   * logs the error and, if nothing was sent yet, answers 500 (with the CORS headers already set,
   * so the browser shows the real error instead of a misleading CORS failure).
   */
  readonly onError?: (error: unknown, req: IncomingMessage, res: ServerResponse) => void;
}

/** A compiled policy passes through; options are compiled (and validated) once, here. */
export function toPolicy(policy: CorsOptions | CorsPolicy | StoredValidatedPolicy): CorsPolicy {
  return 'decide' in policy && typeof policy.decide === 'function'
    ? (policy as CorsPolicy)
    : compilePolicy(policy as CorsOptions | StoredValidatedPolicy);
}

function carryOut(decision: Decision, res: ServerResponse): boolean {
  if (isPreflight(decision)) {
    endPreflight(res, decision);
    return true;
  }
  setDecisionHeaders(res, decision);
  return false;
}

/**
 * Applies a policy to a request: answers preflights itself (resolving to true: the response is
 * finished) and otherwise sets the CORS headers and resolves to false, for the app to go on.
 * Synchronous unless the policy has an async origins predicate.
 */
export function applyCors(
  policy: CorsPolicy,
  req: IncomingMessage,
  res: ServerResponse,
): boolean | Promise<boolean> {
  const decision = policy.decide(corsRequestFromNode(req));
  return decision instanceof Promise
    ? decision.then((d) => carryOut(d, res))
    : carryOut(decision, res);
}

function defaultOnError(error: unknown, _req: IncomingMessage, res: ServerResponse): void {
  console.error(error);
  if (res.headersSent) {
    res.destroy();
    return;
  }
  res.statusCode = 500;
  res.setHeader('content-type', 'text/plain; charset=utf-8');
  res.end('Internal Server Error');
}

/**
 * Wraps a `node:http` request handler with a CORS policy. Preflights are answered without calling
 * the handler; every other request reaches it with the CORS headers (and Vary) already set, so they
 * stay on error responses too. Validation runs once, when `withCors` is called.
 */
export function withCors<Req extends IncomingMessage, Res extends ServerResponse<Req>>(
  policy: CorsOptions | CorsPolicy | StoredValidatedPolicy,
  handler: NodeHandler<Req, Res>,
  options: WithCorsOptions = {},
): NodeHandler<Req, Res> {
  const compiled = toPolicy(policy);
  const onError = options.onError ?? defaultOnError;
  const fail = (error: unknown, req: Req, res: Res) => onError(error, req, res as ServerResponse);
  const run = (req: Req, res: Res) => {
    try {
      const out = handler(req, res);
      if (out instanceof Promise) out.catch((error: unknown) => fail(error, req, res));
    } catch (error) {
      fail(error, req, res);
    }
  };
  return (req, res) => {
    let answered: boolean | Promise<boolean>;
    try {
      answered = applyCors(compiled, req, res as ServerResponse);
    } catch (error) {
      fail(error, req, res);
      return;
    }
    if (answered === false) run(req, res);
    else if (answered !== true) {
      answered.then(
        (done) => {
          if (!done) run(req, res);
        },
        (error: unknown) => fail(error, req, res),
      );
    }
  };
}

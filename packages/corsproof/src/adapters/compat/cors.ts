/**
 * `cors` 2.8, re-implemented on corsproof's primitives: same options, same status codes, same
 * headers in the same order, same calls to `next`.
 *
 * Where cors 2.8 and corsproof's policy engine disagree, this file follows cors 2.8, because being
 * indistinguishable is its whole purpose:
 * - every OPTIONS request is a preflight, with or without `Access-Control-Request-Method`
 *   (the Fetch standard's preflight is OPTIONS + Origin + Access-Control-Request-Method);
 * - nothing is validated; a refused origin only means a missing `Access-Control-Allow-Origin`, and
 *   the request (a preflight refused by an origin function included) still reaches the app;
 * - `Access-Control-Request-Headers` is echoed unparsed when no allowed headers are configured.
 * The settings that are unsafe as well as unusual are reported once by `warnings.ts`.
 */
import { ACRH, ORIGIN } from '../../spec/header-names.js';
import { actualSteps, applySteps, preflightSteps, type RequestFacts } from './_headers.js';
import { type Settings, withDefaults } from './_settings.js';
import type * as types from './types.js';
import { auditOrigin } from './warnings.js';

/**
 * Creates the middleware, from static options (each request starts from the defaults plus these),
 * from a delegate that picks options per request, or from nothing (the defaults: any origin).
 *
 * @example
 * import express from 'express';
 * import cors from 'corsproof/compat';
 *
 * const app = express();
 * app.use(cors({ origin: ['https://app.example.com', /^https:\/\/[a-z]+\.example\.com$/] }));
 *
 * @example
 * // Options per request; an error passed to the callback goes to `next`.
 * app.use(
 *   cors((req, callback) => {
 *     callback(null, { origin: req.path.startsWith('/public/') ? '*' : 'https://app.example.com' });
 *   }),
 * );
 */
function cors<Req extends types.CorsRequest = types.CorsRequest>(
  options?: types.CorsOptions | types.CorsOptionsDelegate<Req>,
): types.CorsMiddleware<Req> {
  let optionsFor: types.CorsOptionsDelegate<Req>;
  // Static origins can be judged now, so their warnings appear at startup; settings that only
  // exist per request (a delegate's, an origin function's answer) are judged as they are served.
  let auditPerRequest: boolean;
  if (typeof options === 'function') {
    optionsFor = options;
    auditPerRequest = true;
  } else {
    optionsFor = (_req, callback) => callback(null, options);
    const settings = withDefaults(options);
    auditPerRequest = typeof settings.origin === 'function';
    if (!auditPerRequest && settings.origin) auditOrigin(settings.origin, settings.credentials);
  }

  return function corsMiddleware(req, res, next) {
    optionsFor(req, (optionsError, requestOptions) => {
      if (optionsError) {
        next(optionsError);
        return;
      }
      const settings = withDefaults(requestOptions);
      const origin = settings.origin;
      if (typeof origin === 'function') {
        (origin as types.CustomOrigin)(req.headers.origin, (originError, resolved) => {
          // cors 2.8 hands the first argument on as it came: `next(null)` when the origin is
          // refused without an error, which Express treats as "no error".
          if (originError || !resolved) next(originError);
          else respond(settings, resolved, req, res, next, auditPerRequest);
        });
      } else if (origin) {
        respond(settings, origin, req, res, next, auditPerRequest);
      } else {
        // A falsy origin (false, '', or an own property set to undefined) turns CORS off.
        next();
      }
    });
  };
}

function respond(
  settings: Settings,
  origin: unknown,
  req: types.CorsRequest,
  res: types.CorsResponse,
  next: types.NextFunction,
  audit: boolean,
): void {
  if (audit) auditOrigin(origin, settings.credentials);
  const facts: RequestFacts = {
    origin: req.headers[ORIGIN],
    requestHeaders: req.headers[ACRH],
  };
  // cors 2.8's preflight test: the method, upper-cased with `toUpperCase` as there, is OPTIONS.
  const preflight = typeof req.method === 'string' && req.method.toUpperCase() === 'OPTIONS';
  applySteps(
    preflight ? preflightSteps(settings, origin, facts) : actualSteps(settings, origin, facts),
    res,
  );
  if (!preflight || settings.preflightContinue) {
    next();
    return;
  }
  res.statusCode = settings.optionsSuccessStatus;
  // Sent with 204 too, as cors 2.8 does: some clients wait for a body without it.
  res.setHeader('Content-Length', '0');
  res.end();
}

/**
 * The types, also reachable through the function as in `@types/cors`, so that
 * `const options: cors.CorsOptions = ...` keeps compiling after the import is switched.
 */
declare namespace cors {
  export type CorsOptions = types.CorsOptions;
  export type CorsOptionsDelegate<Req extends CorsRequest = CorsRequest> =
    types.CorsOptionsDelegate<Req>;
  export type CorsRequest = types.CorsRequest;
  export type CorsResponse = types.CorsResponse;
  export type CorsMiddleware<Req extends CorsRequest = CorsRequest> = types.CorsMiddleware<Req>;
  export type StaticOrigin = types.StaticOrigin;
  export type CustomOrigin = types.CustomOrigin;
}

export { cors };

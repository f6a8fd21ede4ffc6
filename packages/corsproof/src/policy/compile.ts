/**
 * `compilePolicy`: validate once, precompute everything, and return a policy whose per-request
 * work is a few hash lookups.
 */
import { ACAC, ACAO, ACAPN, ACEH, ACMA } from '../spec/header-names.js';
import { type DecideContext, decide } from './decide.js';
import type { Decision, HeaderPair } from './decision.js';
import { reportingDecide } from './decision-report.js';
import { CorsConfigError } from './errors.js';
import type { CorsOptions, CorsRequest, OriginPredicate } from './options.js';
import { compileOriginMatcher } from './origin-matcher.js';
import type { NormalizedConfig } from './validate.js';
import { validatePolicyInput } from './validate-input.js';
import type { StoredValidatedPolicy } from './validated-policy.js';

/** The normalized configuration, as `policy.toJSON()` shows it. */
export interface PolicyJSON {
  readonly origins: '*' | readonly string[] | '[predicate]';
  readonly credentials: boolean;
  readonly methods: '*' | readonly string[];
  readonly requestHeaders: '*' | readonly string[];
  readonly exposeHeaders: '*' | readonly string[];
  readonly maxAge: number | null;
  readonly privateNetwork: boolean;
  readonly preflightStatus: number;
  readonly debug: boolean;
}

/** A compiled, immutable CORS policy. Build one with {@link compilePolicy}. */
export interface CorsPolicy {
  /**
   * Decides what to do with a request. Synchronous unless `origins` is a predicate that returned a
   * promise; adapters handle both.
   */
  decide(request: CorsRequest): Decision | Promise<Decision>;
  /** The normalized configuration. */
  toJSON(): PolicyJSON;
  /** @internal the validated configuration, for `explain` and the static auditor. */
  readonly config: NormalizedConfig;
}

const freezePairs = (pairs: HeaderPair[]): readonly HeaderPair[] =>
  Object.freeze(pairs.map((p) => Object.freeze(p) as HeaderPair));

function buildContext(config: NormalizedConfig): DecideContext {
  const credentialsPair: HeaderPair[] = config.credentials ? [[ACAC, 'true']] : [];
  const expose =
    config.exposeHeaders === '*'
      ? '*'
      : config.exposeHeaders.length > 0
        ? config.exposeHeaders.join(',')
        : null;
  const exposePair: HeaderPair[] = expose === null ? [] : [[ACEH, expose]];
  const actualExtra = freezePairs([...credentialsPair, ...exposePair]);
  const preflightVary = config.privateNetwork
    ? 'Origin, Access-Control-Request-Method, Access-Control-Request-Headers, Access-Control-Request-Private-Network'
    : 'Origin, Access-Control-Request-Method, Access-Control-Request-Headers';
  const origins = config.origins;
  const matcher = Array.isArray(origins) ? compileOriginMatcher(origins) : null;
  // For each exact origin, the whole answer to an allowed non-OPTIONS request is known in advance.
  const exactAllowed = new Map<string, Decision>();
  if (matcher !== null) {
    for (const origin of matcher.exact) {
      exactAllowed.set(
        origin,
        Object.freeze({
          kind: 'actual-allowed',
          headers: freezePairs([[ACAO, origin], ...actualExtra]),
          vary: 'Origin',
        }),
      );
    }
  }
  return {
    wildcard: origins === '*',
    matcher,
    predicate: typeof origins === 'function' ? (origins as OriginPredicate) : null,
    exactAllowed,
    credentials: config.credentials,
    actualExtra,
    methods: config.methods === '*' ? '*' : new Set(config.methods),
    requestHeaders: config.requestHeaders === '*' ? '*' : new Set(config.requestHeaders),
    preflightTail: freezePairs([
      ...(config.maxAge === null ? [] : ([[ACMA, String(config.maxAge)]] as HeaderPair[])),
    ]),
    privateNetworkPair: config.privateNetwork ? Object.freeze([ACAPN, 'true'] as const) : null,
    preflightStatus: config.preflightStatus,
    preflightVary,
    debug: config.logger !== null,
    allowedMethodsList: config.methods === '*' ? '*' : config.methods.join(','),
    allowedHeadersList: config.requestHeaders === '*' ? '*' : config.requestHeaders.join(','),
    requestHeadersCache: new Map(),
    preflightAnswers: new Map(),
  };
}

function toJSON(config: NormalizedConfig): PolicyJSON {
  const o = config.origins;
  return Object.freeze({
    origins:
      o === '*'
        ? '*'
        : typeof o === 'function'
          ? '[predicate]'
          : Object.freeze(o.map((s) => (s.kind === 'exact' ? s.serialized : s.canonical))),
    credentials: config.credentials,
    methods: config.methods,
    requestHeaders: config.requestHeaders,
    exposeHeaders: config.exposeHeaders,
    maxAge: config.maxAge,
    privateNetwork: config.privateNetwork,
    preflightStatus: config.preflightStatus,
    debug: config.logger !== null,
  });
}

/**
 * Validates CORS options and compiles them into a policy. Throws a {@link CorsConfigError} listing
 * every problem when the options are insecure or meaningless.
 *
 * @example
 * const policy = compilePolicy({
 *   origins: ['https://app.example.com', 'https://*.example.com'],
 *   credentials: true,
 *   methods: ['PUT', 'DELETE'],
 *   requestHeaders: ['Content-Type', 'Authorization'],
 *   maxAge: 7200,
 * });
 * policy.decide({ method: 'GET', origin: 'https://app.example.com' }).kind // 'actual-allowed'
 */
export function compilePolicy(options: CorsOptions | StoredValidatedPolicy): CorsPolicy {
  const result = validatePolicyInput(options);
  if (!result.ok) throw new CorsConfigError(result.issues);
  const config = result.config;
  const context = buildContext(config);
  const json = toJSON(config);
  const plain = (request: CorsRequest) => decide(context, request);
  return Object.freeze({
    // Without a decision log the plain function is handed out: the log costs nothing when unset.
    decide: config.decisionLog === null ? plain : reportingDecide(plain, config.decisionLog),
    toJSON: () => json,
    config,
  });
}

/**
 * `corsproof generate --for s3`: the policy file as an Amazon S3 bucket CORS configuration
 * (`aws s3api put-bucket-cors --cors-configuration file://s3-cors.json`), after the S3 User Guide
 * ("Elements of a CORS configuration", "How does Amazon S3 evaluate the CORS configuration"):
 * - the first `CORSRule` whose `AllowedOrigins`, `AllowedMethods` and (on preflights)
 *   `AllowedHeaders` all match the request applies; an origin may hold one `*` wildcard;
 * - `AllowedMethods` takes only GET, PUT, POST, DELETE and HEAD, and applies to actual requests too;
 * - preflights echo the requested headers that are allowed; accepted ones get 200, refused 403;
 * - there is no credentials flag: S3 echoes a matched origin with
 *   `Access-Control-Allow-Credentials: true` whenever the rule's origin is not `*` (observed, not
 *   documented), so a policy that refuses credentials can only be written with `origins: '*'`;
 * - one configuration serves the whole bucket: no per-path rules, no Private Network Access.
 */
import type { ParsedOriginSpec, PolicyFile } from 'corsproof';
import {
  GenerateError,
  type GenerateResult,
  type GenerateWarning,
  type Target,
} from '../target.js';
import { fixedPreflightStatus, onePolicyOnly, originSpecs, warning } from './_vendor.js';

const FILE_NAME = 's3-cors.json';

/** What S3 accepts in AllowedMethods. */
const S3_METHODS = ['GET', 'PUT', 'POST', 'DELETE', 'HEAD'];

/**
 * The AllowedOrigins entries of one origin: at most one `*` each. A pattern with a subdomain and
 * any port has two, so it keeps the default port only (stricter); `host:*` also needs the origin
 * without a port, which the engine's any-port pattern includes.
 */
function s3Origins(spec: ParsedOriginSpec, warnings: GenerateWarning[]): string[] {
  if (spec.kind === 'exact') return [spec.serialized];
  const host = spec.anySubdomain ? `*.${spec.host}` : spec.host;
  const base = `${spec.scheme}://${host}`;
  if (spec.port === '*') {
    if (spec.anySubdomain) {
      warnings.push(
        warning(
          'origin-pattern-narrowed',
          'default.origins',
          `S3 allows one * per origin, so ${spec.canonical} is written ${base}: its subdomains on other ports than the default are refused.`,
        ),
      );
      return [base];
    }
    return [base, `${base}:*`];
  }
  return [spec.port === null ? base : `${base}:${spec.port}`];
}

/** JSON with two-space indents and each list of scalars on one line when it fits 100 columns. */
function readableJson(value: unknown): string {
  return JSON.stringify(value, null, 2).replace(
    /^( *)("[^"]*": )?\[\n((?: *(?:"(?:[^"\\]|\\.)*"|-?[0-9.]+),?\n)+) *\]/gm,
    (whole, indent: string, key: string | undefined, items: string) => {
      const line = `${indent}${key ?? ''}[${items
        .split('\n')
        .map((item) => item.trim())
        .filter((item) => item !== '')
        .join(' ')}]`;
      return line.length <= 100 ? line : whole;
    },
  );
}

function generate(file: PolicyFile): GenerateResult {
  const policy = onePolicyOnly(
    's3',
    file,
    'give the bucket one policy (a single-policy file), or serve each policy from its own bucket',
  );
  const c = policy.config;
  if (typeof c.origins === 'function') {
    throw new GenerateError(
      's3',
      'predicate-not-expressible',
      'default.origins',
      'an origins function cannot be written into a bucket configuration',
      'list the origins (patterns like https://*.example.com are allowed)',
    );
  }
  const specs = originSpecs(policy);
  if (specs !== '*' && !c.credentials) {
    throw new GenerateError(
      's3',
      'credentials-always-allowed',
      'default.credentials',
      'S3 answers every listed origin with Access-Control-Allow-Credentials: true, which would let those origins read credentialed responses the policy refuses',
      'set "credentials": true if that is intended, or "origins": "*" for a public bucket',
    );
  }
  const warnings: GenerateWarning[] = [];
  const origins = specs === '*' ? ['*'] : specs.flatMap((s) => s3Origins(s, warnings));
  const listed = c.methods === '*' ? S3_METHODS : c.methods;
  const dropped =
    c.methods === '*' ? ['any other method'] : listed.filter((m) => !S3_METHODS.includes(m));
  if (dropped.length > 0) {
    warnings.push(
      warning(
        'methods-not-supported',
        'default.methods',
        `S3 allows only GET, PUT, POST, DELETE and HEAD, so preflights for ${dropped.join(', ')} fail.`,
      ),
    );
  }
  const methods = S3_METHODS.filter(
    (m) => m === 'GET' || m === 'HEAD' || m === 'POST' || listed.includes(m),
  );
  const rule: Record<string, unknown> = {
    AllowedOrigins: origins,
    AllowedMethods: methods,
    ...(c.requestHeaders === '*'
      ? { AllowedHeaders: ['*'] }
      : c.requestHeaders.length > 0
        ? { AllowedHeaders: c.requestHeaders }
        : {}),
    ...(c.exposeHeaders === '*'
      ? { ExposeHeaders: ['*'] }
      : c.exposeHeaders.length > 0
        ? { ExposeHeaders: c.exposeHeaders }
        : {}),
    ...(c.maxAge === null ? {} : { MaxAgeSeconds: c.maxAge }),
  };
  warnings.push(...fixedPreflightStatus(policy, 'default', 'S3', 200));
  warnings.push(
    warning(
      'vary-incomplete',
      'default',
      'S3 adds Vary only to responses it answers with CORS headers: a CDN in front of the bucket must key on Origin or not cache responses.',
    ),
  );
  if (c.privateNetwork) {
    warnings.push(
      warning(
        'private-network-unsupported',
        'default.privateNetwork',
        'S3 never sends Access-Control-Allow-Private-Network, so Private Network Access preflights fail.',
      ),
    );
  }
  if (c.logger !== null) {
    warnings.push(
      warning(
        'debug-not-supported',
        'default.debug',
        "refused preflights get S3's 403 without the partial headers debug mode adds; debug mode only changes the browser console message",
      ),
    );
  }
  return {
    config: `${readableJson({ CORSRules: [rule] })}\n`,
    fileName: FILE_NAME,
    warnings,
  };
}

/** An Amazon S3 bucket's CORS configuration. */
export const s3: Target = {
  name: 's3',
  summary: 'an Amazon S3 bucket CORS configuration (s3-cors.json for put-bucket-cors)',
  generate,
};

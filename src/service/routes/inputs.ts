/**
 * From a validated request body to what the runner gets: the URL checked against the target
 * policy, the origin parsed, headers as an ordered list, credentials as a fetch() mode, and the
 * service's safety rule applied (methods that change data only on explicit opt-in). Whatever the
 * service changes is reported as a notice, never silently.
 */

import {
  isBlockedByBadPort,
  isForbiddenMethod,
  isHeaderValue,
  isMethod,
  isPotentiallyTrustworthyUrl,
  isSameOrigin,
  mimeEssence,
  originOfUrl,
  parseOrigin,
  trimHttpWhitespace,
} from 'corsproof/spec';
import { type BrowserName, type CredentialsMode, emulationInfo } from '../../check/index.js';
import { checkTarget, type PrivateTargets } from '../guard/target-policy.js';
import { badRequest } from '../http/errors.js';
import type { AuditBody } from './audits.schema.js';
import type { CheckBody } from './checks.schema.js';
import type { HeadersBody } from './shared.schema.js';

/** A header line: name and value. */
export type HeaderPair = [name: string, value: string];

/** The inputs of one check, normalized. Stored (redacted) as the record's `input`. */
export interface CheckInput {
  readonly url: string;
  /** The page origin, serialized; the emulated checker's own origin with `emulate`. */
  readonly origin: string;
  readonly method: string;
  readonly headers: readonly HeaderPair[];
  /** Absent: fetch()'s default, `same-origin`. */
  readonly credentials?: CredentialsMode;
  readonly body: string | null;
  readonly browser: BrowserName;
  readonly preflightOnly: boolean;
  /** The emulated server-side checker's id, or null for a browser. */
  readonly emulate: string | null;
  readonly timeoutMs?: number;
  readonly allowUnsafeMethods: boolean;
}

/** The inputs of one audit, normalized. */
export interface AuditInput {
  readonly url: string;
  readonly origin: string;
  readonly method: string;
  readonly headers: readonly HeaderPair[];
  readonly credentials: boolean;
  readonly browser: BrowserName;
  readonly timeoutMs?: number;
  readonly allowUnsafeMethods: boolean;
}

/** Something the service changed about a request, and why. */
export interface Notice {
  readonly code: 'PREFLIGHT_ONLY_UNSAFE_METHOD';
  readonly message: string;
}

export interface Normalized<T> {
  readonly input: T;
  readonly notices: readonly Notice[];
}

/** Bodies a page can POST without a preflight: an HTML form can send them too. */
const FORM_TYPES = new Set([
  'application/x-www-form-urlencoded',
  'multipart/form-data',
  'text/plain',
]);

/**
 * Whether the request may change data on the target, so that sending it needs an opt-in.
 * GET, HEAD and OPTIONS are safe (RFC 9110 §9.2.1). A POST with no body or a form body is let
 * through: any web page can make a browser send exactly that without a preflight, so the target
 * must already withstand it (CSRF). Everything else (PUT, DELETE, PATCH, methods we do not know,
 * POST with a JSON or other body) is what the preflight exists to protect.
 */
export function changesData(
  method: string,
  headers: readonly HeaderPair[],
  body: string | null,
): boolean {
  const upper = method.toUpperCase();
  if (upper === 'GET' || upper === 'HEAD' || upper === 'OPTIONS') return false;
  if (upper !== 'POST') return true;
  if (body === null) return false;
  const contentType = headers.find(([name]) => name.toLowerCase() === 'content-type')?.[1];
  // fetch() labels a string body text/plain;charset=UTF-8 when the page set no Content-Type.
  if (contentType === undefined) return false;
  const essence = mimeEssence(contentType);
  return essence === null || !FORM_TYPES.has(essence);
}

const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

function headerList(headers: HeadersBody | undefined, field: string): HeaderPair[] {
  if (headers === undefined) return [];
  const pairs: HeaderPair[] = Array.isArray(headers)
    ? headers.map((pair) => [String(pair[0]), String(pair[1])])
    : Object.entries(headers).map(([name, value]) => [name, value]);
  pairs.forEach(([name], i) => {
    if (!TOKEN.test(name)) {
      const where = Array.isArray(headers)
        ? `${field}[${i}][0]`
        : `${field}[${JSON.stringify(name)}]`;
      throw badRequest(
        where,
        `${JSON.stringify(name)} is not a header name (letters, digits and !#$%&'*+.^_\`|~- only)`,
      );
    }
  });
  pairs.forEach(([name, value], i) => {
    // Headers "append" (fetch.spec.whatwg.org): the value is trimmed, then must hold no NUL, CR or LF.
    if (!isHeaderValue(trimHttpWhitespace(value))) {
      const where = Array.isArray(headers)
        ? `${field}[${i}][1]`
        : `${field}[${JSON.stringify(name)}]`;
      throw badRequest(
        where,
        `the value of ${name} is not a header value fetch() can send; remove NUL, CR and LF characters`,
      );
    }
  });
  return pairs;
}

function targetUrl(url: string, mode: PrivateTargets, field: string): string {
  const verdict = checkTarget(url, mode);
  if (!verdict.ok) throw badRequest(field, verdict.reason);
  return verdict.url.href;
}

function origin(input: string, field: string): string {
  const parsed = parseOrigin(input);
  if (!parsed.ok) {
    throw badRequest(
      field,
      `${JSON.stringify(input)} is not an origin: ${parsed.detail}; write it as scheme://host[:port], e.g. "https://app.example.com"`,
    );
  }
  return parsed.serialized;
}

function method(input: string | undefined, field: string, fallback = 'GET'): string {
  const value = input ?? fallback;
  if (!isMethod(value)) {
    throw badRequest(
      field,
      `${JSON.stringify(value)} is not an HTTP method (a method is a token: letters, digits and !#$%&'*+-.^_\`|~); write e.g. "PUT"`,
    );
  }
  if (isForbiddenMethod(value)) {
    throw badRequest(
      field,
      `${value} is a forbidden method: fetch() refuses it, so there is no CORS to check`,
    );
  }
  return value;
}

function credentialsMode(value: CheckBody['credentials']): CredentialsMode | undefined {
  if (value === undefined) return undefined;
  if (value === true) return 'include';
  if (value === false) return 'omit';
  return value;
}

function unsafeNotice(methodName: string): Notice {
  return {
    code: 'PREFLIGHT_ONLY_UNSAFE_METHOD',
    message: `corsproof: only the preflight was sent: a ${methodName} request may change data on the target, so this service sends it for real only with "allowUnsafeMethods": true`,
  };
}

/**
 * Normalizes a check body. `prefix` is the body's path inside the request (`targets[3]`) so that
 * errors name the field exactly; throws an `ApiError` (400) for a refused URL, origin or header.
 */
export function normalizeCheck(
  body: CheckBody,
  mode: PrivateTargets,
  prefix = '',
): Normalized<CheckInput> {
  const at = (name: string) => (prefix === '' ? name : `${prefix}.${name}`);
  const url = targetUrl(body.url, mode, at('url'));
  const emulate = emulationOf(body, at);
  // An emulated checker always sends from its own origin, whatever origin was given (as the
  // checker does).
  const emulated = emulate === null ? undefined : emulationInfo(emulate)?.origin;
  const pageOrigin = emulated ?? origin(body.origin ?? '', at('origin'));
  const methodName = method(body.method, at('method'));
  const headers = headerList(body.headers, at('headers'));
  const requestBody = body.body ?? null;
  // Request constructor (fetch.spec.whatwg.org): a GET or HEAD with a body is a TypeError.
  const upper = methodName.toUpperCase();
  if (requestBody !== null && (upper === 'GET' || upper === 'HEAD')) {
    throw badRequest(
      at('body'),
      `fetch() refuses a body on a ${upper} request; drop the body or set method to POST, PUT or PATCH`,
    );
  }
  const allowUnsafeMethods = body.allowUnsafeMethods === true;
  let preflightOnly = body.preflightOnly === true;
  const notices: Notice[] = [];
  if (!preflightOnly && !allowUnsafeMethods && changesData(methodName, headers, requestBody)) {
    preflightOnly = true;
    notices.push(unsafeNotice(methodName));
  }
  const credentials = credentialsMode(body.credentials);
  return {
    input: {
      url,
      origin: pageOrigin,
      method: methodName,
      headers,
      ...(credentials === undefined ? {} : { credentials }),
      body: requestBody,
      browser: body.browser ?? 'chromium',
      preflightOnly,
      emulate,
      ...(body.timeoutMs === undefined ? {} : { timeoutMs: body.timeoutMs }),
      allowUnsafeMethods,
    },
    notices,
  };
}

/**
 * The emulation a check asks for: `emulate`, or the deprecated `galxe: true` (its first form,
 * still accepted so that existing clients keep working).
 */
function emulationOf(body: CheckBody, at: (name: string) => string): string | null {
  if (body.galxe === true && body.emulate !== undefined && body.emulate !== 'galxe') {
    throw badRequest(
      at('galxe'),
      `"galxe": true is the deprecated form of "emulate": "galxe"; give "emulate" alone, not both`,
    );
  }
  return body.emulate ?? (body.galxe === true ? 'galxe' : null);
}

/**
 * What the auditor refuses before its first request, refused here with the field named: an
 * opaque trusted origin, the URL's own origin (no CORS applies), an https page calling a plain
 * http URL (mixed content is blocked before CORS), a port browsers never connect to, OPTIONS as
 * the state-changing method. Batches validate every target this way before queueing any.
 */
function auditableTarget(
  url: string,
  trusted: string,
  methodName: string,
  at: (name: string) => string,
): void {
  const target = new URL(url);
  const parsed = parseOrigin(trusted);
  if (!parsed.ok || parsed.origin.type !== 'tuple') {
    throw badRequest(
      at('origin'),
      `${JSON.stringify(trusted)} is an opaque origin; an audit needs the scheme://host[:port] origin of the page the API should trust, e.g. "https://app.example.com"`,
    );
  }
  if (isSameOrigin(parsed.origin, originOfUrl(target))) {
    throw badRequest(
      at('origin'),
      `${parsed.serialized} is the URL's own origin, where CORS does not apply; give the origin of a page on another host that calls this API`,
    );
  }
  if (
    parsed.origin.scheme === 'https' &&
    target.protocol === 'http:' &&
    !isPotentiallyTrustworthyUrl(target)
  ) {
    throw badRequest(
      at('url'),
      `a page at ${parsed.serialized} cannot call the http: URL ${target.href} at all (mixed content is blocked before CORS); audit the https: URL, or give the http: origin that calls it`,
    );
  }
  if (isBlockedByBadPort(target)) {
    throw badRequest(
      at('url'),
      `browsers never connect to port ${target.port} (fetch.spec.whatwg.org "port blocking"); give the port the API listens on`,
    );
  }
  if (methodName.toUpperCase() === 'OPTIONS') {
    throw badRequest(
      at('method'),
      'OPTIONS is the preflight itself; give the state-changing method the page sends, such as PUT, PATCH or DELETE',
    );
  }
}

/** Normalizes an audit body; see `normalizeCheck`. */
export function normalizeAudit(
  body: AuditBody,
  mode: PrivateTargets,
  prefix = '',
): Normalized<AuditInput> {
  const at = (name: string) => (prefix === '' ? name : `${prefix}.${name}`);
  const methodName = method(body.method, at('method'));
  const headers = headerList(body.headers, at('headers'));
  const allowUnsafeMethods = body.allowUnsafeMethods === true;
  // The auditor sends only GETs and preflights: the method is named in Access-Control-Request-
  // Method and never sent, so nothing is held back and there is no notice to give.
  const notices: Notice[] = [];
  const url = targetUrl(body.url, mode, at('url'));
  const trusted = origin(body.origin, at('origin'));
  auditableTarget(url, trusted, methodName, at);
  return {
    input: {
      url,
      origin: trusted,
      method: methodName,
      headers,
      credentials: body.credentials === true,
      browser: body.browser ?? 'chromium',
      ...(body.timeoutMs === undefined ? {} : { timeoutMs: body.timeoutMs }),
      allowUnsafeMethods,
    },
    notices,
  };
}

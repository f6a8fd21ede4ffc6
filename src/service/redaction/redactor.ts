/**
 * Redaction of credentials in the headers a user submits or a target returns, before they are
 * stored, logged or put in a share link. What stays visible is what a CORS diagnosis needs: the
 * header, the auth scheme, cookie names and `Set-Cookie` attributes (`SameSite=None; Secure`), and a
 * short keyed hash, so two equal secrets can be told apart without either being recoverable.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { isToken } from 'corsproof/spec';

/** Options of `createRedactor`. */
export interface RedactorOptions {
  /**
   * HMAC key of the hash suffixes. Default: 32 random bytes per redactor, so suffixes compare only
   * within one process. Pass a persistent server secret to compare them across restarts (stored
   * checks, share links); never anything derived from the values being redacted.
   */
  readonly key?: string | Uint8Array;
}

/** Header records as Node gives them (`IncomingHttpHeaders`) or as we build them. */
export type HeaderRecord = Readonly<Record<string, string | readonly string[] | undefined>>;

/** Redacts header values; see `createRedactor`. */
export interface Redactor {
  /** The value with its secrets masked, or unchanged when `name` is not sensitive. */
  redactValue(name: string, value: string): string;
  /** A copy of `headers` with every sensitive value redacted. */
  redactHeaders<T extends HeaderRecord>(headers: T): T;
  /** A copy of a `[name, value]` list with every sensitive value redacted. */
  redactHeaderList(headers: Iterable<readonly [string, string]>): [string, string][];
}

/** The mask that replaces a secret, before its hash suffix. */
export const MASK = '****';

/** Substrings that make a header name sensitive, matched case-insensitively. */
const SENSITIVE_PARTS = [
  'auth', // Authorization, Proxy-Authorization, X-Auth-Token, Authentication-Info
  'token', // X-CSRF-Token, X-Amz-Security-Token
  'secret',
  'key', // X-Api-Key, Idempotency-Key, Sec-WebSocket-Key
  'password',
  'passwd',
  'credential',
  'session', // X-Session-Id
  'cookie', // Cookie, Set-Cookie, Cookie2
];

/**
 * Whether values of the header `name` are redacted: any name containing `auth`, `token`, `secret`,
 * `key`, `password`, `passwd`, `credential`, `session` or `cookie`, except:
 * - `WWW-Authenticate` and `Proxy-Authenticate`: challenges (scheme, realm) hold no secret, and a
 *   CORS diagnosis needs to see them;
 * - `Access-Control-*`: their values are origins, methods, header names (`authorization`) and
 *   `true` (`Access-Control-Allow-Credentials`), the very things a CORS check reports.
 */
export function isSensitiveHeader(name: string): boolean {
  const lower = name.toLowerCase();
  if (lower.startsWith('access-control-')) return false;
  if (lower === 'www-authenticate' || lower === 'proxy-authenticate') return false;
  return SENSITIVE_PARTS.some((part) => lower.includes(part));
}

/**
 * A redactor with its own hash key.
 *
 * - `Authorization: Bearer abc` → `Bearer ****#1a2b3c4d` (the scheme stays; a value without a
 *   scheme, such as a bare API key, is masked whole);
 * - `Cookie: sid=abc; theme=dark` → `sid=****#…; theme=****#…` (names stay);
 * - `Set-Cookie: sid=abc; Path=/; Secure; SameSite=None` → `sid=****#…; Path=/; Secure; SameSite=None`.
 *
 * The suffix is 8 hex digits of HMAC-SHA256: keyed, so a guess at a short secret (a Basic password)
 * cannot be confirmed offline from a log.
 *
 * @example
 * ```ts
 * const redactor = createRedactor();
 * redactor.redactValue('authorization', 'Bearer eyJhbGciOi...'); // 'Bearer ****#9f86d081'
 * ```
 */
export function createRedactor(options: RedactorOptions = {}): Redactor {
  const key = options.key ?? randomBytes(32);
  const mask = (secret: string): string =>
    `${MASK}#${createHmac('sha256', key).update(secret).digest('hex').slice(0, 8)}`;

  function redactValue(name: string, value: string): string {
    if (value === '' || !isSensitiveHeader(name)) return value;
    const lower = name.toLowerCase();
    if (lower === 'set-cookie') return redactSetCookie(value, mask);
    if (lower.includes('cookie')) return redactCookie(value, mask);
    return redactCredentials(value, mask);
  }

  return {
    redactValue,
    redactHeaders(headers) {
      const copy: Record<string, string | readonly string[] | undefined> = {};
      for (const [name, value] of Object.entries(headers)) {
        copy[name] =
          value === undefined
            ? undefined
            : typeof value === 'string'
              ? redactValue(name, value)
              : value.map((v) => redactValue(name, v));
      }
      return copy as typeof headers;
    },
    redactHeaderList(headers) {
      return Array.from(headers, ([name, value]): [string, string] => [
        name,
        redactValue(name, value),
      ]);
    },
  };
}

/**
 * `credentials = auth-scheme [ 1*SP ( token68 / #auth-param ) ]` (RFC 9110 §11.4): keep the
 * scheme, mask the rest. A single word is taken as the secret itself, not as a scheme.
 */
function redactCredentials(value: string, mask: (secret: string) => string): string {
  const match = /^([^\s]+)([ \t]+)(\S.*)$/s.exec(value.trim());
  if (match?.[1] && match[3] && isToken(match[1])) return `${match[1]} ${mask(match[3])}`;
  return mask(value.trim());
}

/** `cookie-string = cookie-pair *( ";" SP cookie-pair )` (RFC 6265 §4.2.1): keep names. */
function redactCookie(value: string, mask: (secret: string) => string): string {
  return value
    .split(';')
    .map((pair) => pair.trim())
    .filter((pair) => pair !== '')
    .map((pair) => redactPair(pair, mask))
    .join('; ');
}

/** `set-cookie-string = cookie-pair *( ";" SP cookie-av )` (RFC 6265 §4.1.1): keep attributes. */
function redactSetCookie(value: string, mask: (secret: string) => string): string {
  const semicolon = value.indexOf(';');
  const pair = semicolon === -1 ? value : value.slice(0, semicolon);
  const attributes = semicolon === -1 ? '' : value.slice(semicolon);
  return `${redactPair(pair.trim(), mask)}${attributes}`;
}

function redactPair(pair: string, mask: (secret: string) => string): string {
  const equals = pair.indexOf('=');
  if (equals === -1) return mask(pair);
  const name = pair.slice(0, equals).trim();
  const secret = pair.slice(equals + 1).trim();
  return `${name}=${secret === '' ? '' : mask(secret)}`;
}

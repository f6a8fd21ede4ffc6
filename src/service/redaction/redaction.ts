/**
 * What the service stores and logs goes through here first, so credentials never rest in clear:
 * the redactor (`redactor.ts`) masks sensitive header values (Authorization, Cookie, Set-Cookie, API keys)
 * wherever they appear in an input or a result — in lists of `[name, value]` lines, as
 * `{ name, value }` objects, as `{ "Authorization": ... }` records, and inside free text such as
 * the curl commands of a check result, where the submitted secret is found by value.
 */

import type { HeaderPair } from '../routes/inputs.js';
import { isSensitiveHeader, type Redactor } from './redactor.js';

/** Redacts inputs and results against the secrets of one request. */
export interface Redaction {
  /** A deep copy of `value` with every credential masked. */
  redact<T>(value: T): T;
}

/** Submitted secrets shorter than this are not searched for in free text (too many false hits). */
const MIN_SECRET_LENGTH = 4;

/** RFC 9110 `token`, the grammar of header names. */
const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/**
 * Keys of a `{ "Authorization": ... }` header record. Only these exact names: matching any key
 * that merely contains "credential" or "key" would mask ordinary fields such as
 * `credentials: "include"`.
 */
const RECORD_KEYS = new Set(['authorization', 'proxy-authorization', 'cookie', 'set-cookie']);

/**
 * A header list: a non-empty array of `[name, value]` string pairs. A single pair of strings on
 * its own (two header names, two curl commands) is not taken for a header line.
 */
function isHeaderList(value: readonly unknown[]): value is readonly [string, string][] {
  return (
    value.length > 0 &&
    value.every(
      (item) =>
        Array.isArray(item) &&
        item.length === 2 &&
        typeof item[0] === 'string' &&
        typeof item[1] === 'string',
    )
  );
}

/**
 * A redaction for a request that sent `headers`: their sensitive values are also searched for, by
 * value, in every string (curl commands quote them verbatim).
 *
 * @example
 * ```ts
 * const r = createRedaction(redactor, [['Authorization', 'Bearer abc123']]);
 * r.redact({ curl: "curl -H 'Authorization: Bearer abc123' ..." }); // "... Bearer ****#1a2b3c4d' ..."
 * ```
 */
export function createRedaction(redactor: Redactor, headers: readonly HeaderPair[]): Redaction {
  const secrets = headers
    .filter(([name, value]) => isSensitiveHeader(name) && value.trim().length >= MIN_SECRET_LENGTH)
    .map(([name, value]) => ({ value: value.trim(), masked: redactor.redactValue(name, value) }))
    // Longest first, so a secret that contains another is replaced whole.
    .sort((a, b) => b.value.length - a.value.length);

  function text(value: string): string {
    let out = value;
    for (const secret of secrets) out = out.replaceAll(secret.value, secret.masked);
    return out;
  }

  function line(pair: readonly [string, string]): [string, string] {
    const [name, value] = pair;
    return TOKEN.test(name) && isSensitiveHeader(name)
      ? [name, redactor.redactValue(name, value)]
      : [name, text(value)];
  }

  function walk(value: unknown): unknown {
    if (typeof value === 'string') return text(value);
    if (Array.isArray(value)) {
      const items: readonly unknown[] = value;
      return isHeaderList(items) ? items.map(line) : items.map(walk);
    }
    if (value !== null && typeof value === 'object') {
      const record = value as Record<string, unknown>;
      const out: Record<string, unknown> = {};
      const headerName = typeof record.name === 'string' ? record.name : undefined;
      for (const [key, item] of Object.entries(record)) {
        if (typeof item === 'string' && RECORD_KEYS.has(key.toLowerCase())) {
          out[key] = redactor.redactValue(key, item);
        } else if (key === 'value' && typeof item === 'string' && headerName !== undefined) {
          out[key] = isSensitiveHeader(headerName)
            ? redactor.redactValue(headerName, item)
            : text(item);
        } else {
          out[key] = walk(item);
        }
      }
      return out;
    }
    return value;
  }

  return {
    redact<T>(value: T): T {
      return walk(value) as T;
    },
  };
}

/** Whether any of `headers` would be redacted (so the clear input must be sealed to run again). */
export function hasSecrets(headers: readonly HeaderPair[]): boolean {
  return headers.some(([name]) => isSensitiveHeader(name));
}

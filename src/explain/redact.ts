/**
 * Credentials never leave explain in clear: Authorization keeps its scheme (`Bearer ****`), a
 * Cookie its names, a Set-Cookie its name and attributes. The service's redactor adds a keyed hash
 * with node:crypto; explain runs in the page too, and a HAR's secrets need no correlating.
 */
import type { HeaderEntry } from 'corsproof/spec';

export const MASK = '****';

/** Whether a header's value is a credential (the names whose values the service redacts, too). */
export function isCredentialHeader(name: string): boolean {
  const lower = name.toLowerCase();
  if (lower.startsWith('access-control-')) return false;
  if (lower === 'www-authenticate' || lower === 'proxy-authenticate') return false;
  return /auth|token|secret|key|password|passwd|credential|session|cookie/.test(lower);
}

/** `value` with its secret parts masked, when `name` is a credential header. */
export function redactValue(name: string, value: string): string {
  if (!isCredentialHeader(name)) return value;
  const lower = name.toLowerCase();
  if (lower === 'cookie') return value.replace(/([^=;\s]+)=[^;]*/g, `$1=${MASK}`);
  if (lower === 'set-cookie') return value.replace(/^([^=;]+)=[^;]*/, `$1=${MASK}`);
  const scheme = /^(Basic|Bearer|Digest|Negotiate|Token)\s+/i.exec(value);
  return scheme === null ? MASK : `${scheme[0]}${MASK}`;
}

export function redactHeaders(headers: readonly HeaderEntry[]): [string, string][] {
  return headers.map(([name, value]) => [name, redactValue(name, value)]);
}

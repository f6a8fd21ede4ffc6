/**
 * The few pieces of HTTP grammar the CORS rules lean on.
 * https://fetch.spec.whatwg.org/#terminology-headers (RFC 9110 §5.6.2 for `token`)
 */

/** tchar = "!" / "#" / "$" / "%" / "&" / "'" / "*" / "+" / "-" / "." / "^" / "_" / "`" / "|" / "~" / DIGIT / ALPHA */
const TCHAR = new Uint8Array(128);
for (const c of "!#$%&'*+-.^_`|~") TCHAR[c.charCodeAt(0)] = 1;
for (let c = 0x30; c <= 0x39; c++) TCHAR[c] = 1;
for (let c = 0x41; c <= 0x5a; c++) TCHAR[c] = 1;
for (let c = 0x61; c <= 0x7a; c++) TCHAR[c] = 1;

/** Whether `code` (a UTF-16 code unit) is a token character. */
export function isTokenChar(code: number): boolean {
  return code < 128 && TCHAR[code] === 1;
}

/** Whether `s` is a non-empty RFC 9110 token: the grammar of method and header names. */
export function isToken(s: string): boolean {
  if (s.length === 0) return false;
  for (let i = 0; i < s.length; i++) {
    if (!isTokenChar(s.charCodeAt(i))) return false;
  }
  return true;
}

/** HTTP tab or space: https://fetch.spec.whatwg.org/#http-tab-or-space */
export function isHttpTabOrSpace(code: number): boolean {
  return code === 0x20 || code === 0x09;
}

/** HTTP whitespace: https://fetch.spec.whatwg.org/#http-whitespace */
export function isHttpWhitespace(code: number): boolean {
  return code === 0x20 || code === 0x09 || code === 0x0a || code === 0x0d;
}

/** Removes leading and trailing HTTP whitespace, as "normalize" does for header values. */
export function trimHttpWhitespace(s: string): string {
  let start = 0;
  let end = s.length;
  while (start < end && isHttpWhitespace(s.charCodeAt(start))) start++;
  while (end > start && isHttpWhitespace(s.charCodeAt(end - 1))) end--;
  return start === 0 && end === s.length ? s : s.slice(start, end);
}

/**
 * Whether `s` is a valid header value: no leading or trailing HTTP tab or space, and no NUL, LF or CR.
 * https://fetch.spec.whatwg.org/#header-value
 */
export function isHeaderValue(s: string): boolean {
  if (s.length > 0) {
    if (isHttpTabOrSpace(s.charCodeAt(0)) || isHttpTabOrSpace(s.charCodeAt(s.length - 1))) {
      return false;
    }
  }
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x00 || c === 0x0a || c === 0x0d || c > 0xff) return false;
  }
  return true;
}

/** ASCII lower-case, leaving every other code unit as it is (never locale-aware). */
export function asciiLowercase(s: string): string {
  let upper = false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c > 0x7f) return s.replace(/[A-Z]+/g, (m) => m.toLowerCase());
    if (c >= 0x41 && c <= 0x5a) upper = true;
  }
  return upper ? s.toLowerCase() : s;
}

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

const ASCII_UPPER = /[A-Z]/;
const NON_ASCII = /[^\0-\x7f]/;

/**
 * ASCII lower-case, leaving every other code unit as it is (never locale-aware: `toLowerCase`
 * alone would also lower-case `İ` or `Σ`). Two regular-expression tests before any copy: header
 * names arrive lower-case most of the time, and this runs on every one of them.
 */
export function asciiLowercase(s: string): string {
  if (!ASCII_UPPER.test(s)) return s;
  if (!NON_ASCII.test(s)) return s.toLowerCase();
  return s.replace(/[A-Z]+/g, (m) => m.toLowerCase());
}

/** ASCII upper-case ("byte-uppercase"), leaving every other code unit as it is (never locale-aware). */
export function asciiUppercase(s: string): string {
  for (let i = 0; i < s.length; i++) {
    if (s.charCodeAt(i) > 0x7f) return s.replace(/[a-z]+/g, (m) => m.toUpperCase());
  }
  return s.toUpperCase();
}

/**
 * https://fetch.spec.whatwg.org/#header-value-get-decode-and-split
 * Splits a header value on the commas outside HTTP quoted strings; quoted strings are kept as written,
 * quotes included, and each value has its HTTP tab or space trimmed. `"1,2", 3` gives `"1,2"` and `3`.
 */
export function getDecodeAndSplit(value: string): string[] {
  // 1-4. input (already a string of bytes), position, values, temporaryValue.
  const values: string[] = [];
  let position = 0;
  let temporaryValue = '';
  // 5. While true:
  while (true) {
    // 5.1. Collect code points that are not `"` or `,`.
    const start = position;
    while (position < value.length) {
      const c = value.charCodeAt(position);
      if (c === 0x22 || c === 0x2c) break;
      position++;
    }
    temporaryValue += value.slice(start, position);
    // 5.2. At a `"`, collect an HTTP quoted string (quotes included) and go on unless at the end.
    if (position < value.length && value.charCodeAt(position) === 0x22) {
      const end = collectHttpQuotedString(value, position);
      temporaryValue += value.slice(position, end);
      position = end;
      if (position < value.length) continue;
    }
    // 5.3-5.5. Trim HTTP tab or space, append, reset.
    values.push(trimHttpTabOrSpace(temporaryValue));
    temporaryValue = '';
    // 5.6-5.8. Done at the end; otherwise the code point is `,`: step past it.
    if (position >= value.length) return values;
    position++;
  }
}

/**
 * https://fetch.spec.whatwg.org/#collect-an-http-quoted-string with extract-value false: returns the
 * position just past the string (past its closing quote, or the end of input when it is unterminated).
 */
function collectHttpQuotedString(input: string, position: number): number {
  // 3-4. The code point at position is `"`; advance past it.
  let p = position + 1;
  // 5. While true: skip to the next `"` or `\`; a `\` escapes the code point after it.
  while (p < input.length) {
    const c = input.charCodeAt(p);
    p++;
    if (c === 0x22) break;
    if (c === 0x5c && p < input.length) p++;
  }
  return p;
}

function trimHttpTabOrSpace(s: string): string {
  let start = 0;
  let end = s.length;
  while (start < end && isHttpTabOrSpace(s.charCodeAt(start))) start++;
  while (end > start && isHttpTabOrSpace(s.charCodeAt(end - 1))) end--;
  return s.slice(start, end);
}

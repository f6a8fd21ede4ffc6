/**
 * Reading a browser's CORS console line back: the failure table's own templates, inverted. Each
 * entry's Chromium and Firefox wording is rendered once with markers in place of the values it
 * quotes; the literal text around the markers becomes a pattern, each marker a capture. So the
 * wording lives in one place (the table) and a line the table would print is a line this reads.
 */
import { isSafelistedMethod } from 'corsproof/spec';
import type { BrowserName } from '../profiles.js';
import { BROWSER_NAMES, browserProfile } from '../profiles.js';
import type { BrowserFailureCode, Fix } from '../result.js';
import { entryFor, FAILURE_CODES, neededPolicy } from './describe.js';
import type { FailureContext, FailureDetail, FailureEntry } from './detail.js';

/** What a console line says: the failure (or failures: Firefox words some alike), and its values. */
export interface ParsedConsoleLine {
  readonly browser: BrowserName;
  /** Every code whose wording matches, most specific first. */
  readonly codes: readonly [BrowserFailureCode, ...BrowserFailureCode[]];
  /** The URL that failed, the page origin, and the values the line quotes, by field name. */
  readonly values: Readonly<Record<string, string>>;
}

const OPEN = '\u0001';
const CLOSE = '\u0002';

function marker(field: string): string {
  return `${OPEN}${field}${CLOSE}`;
}

/** A detail whose every field is its own marker (`code` excepted). */
function markerDetail(code: BrowserFailureCode): FailureDetail {
  return new Proxy({ code } as FailureDetail, {
    get: (target, key) => (key === 'code' ? target.code : marker(String(key))),
  });
}

function markerContext(
  browser: BrowserName,
  hop: number,
  response: FailureContext['response'],
): FailureContext {
  return {
    profile: browserProfile(browser),
    pageOrigin: marker('pageOrigin'),
    requestOrigin: marker('pageOrigin'),
    firstUrl: marker('firstUrl'),
    url: marker('url'),
    hop,
    method: marker('method'),
    credentials: 'omit',
    unsafeHeaderNames: [],
    step: null,
    response,
  };
}

/** The context variants that change a template's words: a redirect hop, a status, ACAO lines. */
const VARIANTS: readonly (readonly [number, FailureContext['response']])[] = [
  [0, undefined],
  [0, { status: marker('status') as unknown as number, allowOriginLines: 1 }],
  [0, { status: marker('status') as unknown as number, allowOriginLines: 2 }],
  [1, undefined],
  [1, { status: marker('status') as unknown as number, allowOriginLines: 2 }],
];

interface Pattern {
  readonly browser: BrowserName;
  readonly code: BrowserFailureCode;
  readonly regex: RegExp;
  /** Literal characters in the pattern: more is more specific. */
  readonly literal: number;
}

/**
 * Chromium names what made the request: the table words fetch(), and XMLHttpRequest (axios,
 * jQuery) and the other initiators are otherwise the same line.
 */
const CHROMIUM_INITIATOR = /^Access to fetch at /;
const ANY_INITIATOR = 'Access to (?:fetch|XMLHttpRequest|script|font|image|CSS stylesheet) at ';

function escapeLiteral(text: string): string {
  // Console lines are copied with typographic or straight quotes alike.
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/[‘’']/g, "['‘’]");
}

/** The pattern of one rendered template: literal text, and a capture per marker. */
function patternOf(rendered: string): { source: string; literal: number } {
  const seen = new Set<string>();
  let source = '';
  let literal = 0;
  for (const [i, part] of rendered.split(new RegExp(`${OPEN}|${CLOSE}`)).entries()) {
    if (i === 0 && CHROMIUM_INITIATOR.test(part)) {
      source += ANY_INITIATOR + escapeLiteral(part.replace(CHROMIUM_INITIATOR, ''));
      literal += part.length;
    } else if (i % 2 === 0) {
      source += escapeLiteral(part);
      literal += part.length;
    } else if (seen.has(part)) {
      source += `\\k<${part}>`;
    } else {
      seen.add(part);
      source += `(?<${part}>[^\\n]*?)`;
    }
  }
  return { source, literal };
}

function render(
  entry: FailureEntry<BrowserFailureCode>,
  code: BrowserFailureCode,
  browser: BrowserName,
  hop: number,
  response: FailureContext['response'],
): string {
  const detail = markerDetail(code);
  const ctx = markerContext(browser, hop, response);
  return entry[browser](detail, ctx);
}

/** Every distinct (browser, code, wording) of the table, built on first use. */
let patterns: readonly Pattern[] | null = null;

function allPatterns(): readonly Pattern[] {
  if (patterns !== null) return patterns;
  const out: Pattern[] = [];
  const seen = new Set<string>();
  for (const code of FAILURE_CODES) {
    const entry = entryFor(code);
    for (const browser of BROWSER_NAMES) {
      for (const [hop, response] of VARIANTS) {
        const { source, literal } = patternOf(render(entry, code, browser, hop, response));
        const key = `${browser} ${code} ${source}`;
        if (seen.has(key)) continue;
        seen.add(key);
        out.push({ browser, code, regex: new RegExp(`${source}(?=\\s|$)`), literal });
      }
    }
  }
  patterns = out;
  return out;
}

/**
 * Reads a console line (Chromium's or Firefox's, as the failure table words it); null when no
 * entry of the table words it so.
 *
 * @example
 * parseConsoleLine("Access to fetch at 'https://api.example/x' from origin 'https://app.example' has been blocked by CORS policy: No 'Access-Control-Allow-Origin' header is present on the requested resource.");
 * // { browser: 'chromium', codes: ['MissingAllowOriginHeader'], values: { url: 'https://api.example/x', pageOrigin: 'https://app.example' } }
 */
export function parseConsoleLine(text: string): ParsedConsoleLine | null {
  const line = text.replace(/\s+/g, ' ').trim();
  const matches: { pattern: Pattern; values: Record<string, string> }[] = [];
  for (const pattern of allPatterns()) {
    const match = pattern.regex.exec(line);
    if (match === null) continue;
    matches.push({ pattern, values: { ...match.groups } });
  }
  const [best] = matches.sort((a, b) => b.pattern.literal - a.pattern.literal);
  if (best === undefined) return null;
  const browser = best.pattern.browser;
  const codes = [
    ...new Set(
      matches
        .filter((m) => m.pattern.browser === browser && m.pattern.literal === best.pattern.literal)
        .map((m) => m.pattern.code),
    ),
  ] as [BrowserFailureCode, ...BrowserFailureCode[]];
  return { browser, codes, values: best.values };
}

/** Defaults for detail fields a console line never quotes, chosen so they add no sentence. */
const QUIET_DEFAULTS: Readonly<Record<string, unknown>> = {
  wildcardIgnored: false,
  caseMismatch: null,
};

/** What the table says of a parsed line: its explanation (when the line quotes enough) and fix. */
export interface ConsoleLineReading {
  readonly code: BrowserFailureCode;
  /** Null when the explanation needs values the line does not quote (the response's headers). */
  readonly explanation: string | null;
  readonly fix: Fix;
}

/**
 * The table's explanation and fix for a parsed line, written for the request the line describes.
 * Values the line does not quote are never invented: an explanation that would need one is null.
 */
export function readConsoleLine(
  parsed: ParsedConsoleLine,
  code: BrowserFailureCode,
): ConsoleLineReading {
  const v = parsed.values;
  // What the line leaves out is a placeholder the reader fills in, never a guess: Firefox names
  // neither the page's origin nor the refused method.
  const method = v.method ?? (code === 'MethodDisallowedByPreflightResponse' ? '<METHOD>' : 'GET');
  const pageOrigin = v.pageOrigin ?? '<page origin>';
  const header = v.header;
  const known: Record<string, unknown> = {
    ...QUIET_DEFAULTS,
    ...v,
    code,
    method,
    ...(v.status === undefined ? {} : { status: Number(v.status) }),
    ...(header === undefined ? {} : { disallowed: [header.toLowerCase()] }),
    ...(v.allowOrigin === undefined ? {} : { allowOrigin: v.allowOrigin }),
  };
  const missing = new Set<string>();
  const detail = new Proxy(known, {
    get: (target, key) => {
      if (typeof key !== 'string' || key in target) return target[key as string];
      // Chromium's lines never quote the status: "(status unknown)" still reads true.
      if (key === 'status') return code === 'PreflightInvalidStatus' ? 'non-2xx' : 'unknown';
      missing.add(key);
      return undefined;
    },
  }) as unknown as FailureDetail;
  const credentials = /Wildcard|Credentials/.test(code) ? 'include' : 'omit';
  const ctx: FailureContext = {
    profile: browserProfile(parsed.browser),
    pageOrigin,
    requestOrigin: pageOrigin,
    firstUrl: v.firstUrl ?? v.url ?? '',
    url: v.url ?? '',
    hop: v.firstUrl === undefined ? 0 : 1,
    method,
    credentials,
    unsafeHeaderNames: header === undefined ? [] : [header.toLowerCase()],
    step: null,
    response:
      v.status === undefined ? undefined : { status: Number(v.status), allowOriginLines: 1 },
  };
  const entry = entryFor(code);
  const explanation = complete(missing, () => entry.explain(detail, ctx));
  const fix = entry.fix(detail, ctx, neededPolicy(ctx));
  // A fix that quotes an unknown value would print "undefined": fall back to the header alone.
  return {
    code,
    explanation,
    fix: missing.size === 0 ? fix : { ...fix, summary: fixWithoutValues(fix) },
  };
}

/** `write()`'s text, or null when it read a value the line does not quote. */
function complete(missing: Set<string>, write: () => string): string | null {
  try {
    const text = write();
    return missing.size === 0 ? text : null;
  } catch {
    // An unknown list read as undefined: the text needed it.
    return null;
  } finally {
    missing.clear();
  }
}

function fixWithoutValues(fix: Fix): string {
  return fix.header === null
    ? 'See the explanation: the console line does not quote enough to say more; run the check below.'
    : `Send \`${fix.header.name}: ${fix.header.value}\` on the ${fix.where === 'preflight' ? 'preflight response' : 'response'}.`;
}

/** Whether the failed request needed a preflight, as far as the line tells. */
export function lineNeedsPreflight(parsed: ParsedConsoleLine, code: BrowserFailureCode): boolean {
  const method = parsed.values.method;
  return (
    code.startsWith('Preflight') ||
    code.endsWith('PreflightResponse') ||
    (method !== undefined && !isSafelistedMethod(method))
  );
}

/**
 * The `cors` package's options (expressjs/cors), as JSON or a JavaScript object literal, alone or
 * inside `cors({...})` / `const corsOptions = {...}`. Its defaults count: origin `*`, methods
 * GET HEAD PUT PATCH POST DELETE, request headers echoed (any), preflight status 204. Regular
 * expressions are matched with `RegExp.test`, so they match anywhere unless anchored.
 */

import { JsReader, type JsValue } from '../_js-literal.js';
import { addExactOrigins, addRegexOrigins, asDocument, emptyDraft, toOptions } from '../_policy.js';
import { callSites } from '../_scanner.js';
import { ImportSyntaxError } from '../errors.js';
import type { ImportedDocument, Report } from '../findings.js';

const DEFAULT_METHODS = ['GET', 'HEAD', 'PUT', 'PATCH', 'POST', 'DELETE'];
const KNOWN = new Set([
  'origin',
  'methods',
  'allowedHeaders',
  'headers',
  'exposedHeaders',
  'credentials',
  'maxAge',
  'preflightContinue',
  'optionsSuccessStatus',
]);

/** `cors()` without options: every default. */
const NO_OPTIONS = -1;

/** Where the options object starts: the argument of `cors(...)`, the object it names, or the first `{`. */
function optionsOffset(text: string): number {
  for (const site of callSites(text, /\bcors/)) {
    const reader = new JsReader('cors', text);
    reader.at = text.indexOf('(', site) + 1;
    reader.skip();
    if (reader.peek() === '{') return reader.at;
    if (reader.peek() === ')') return NO_OPTIONS;
    const name = reader.name();
    if (name === undefined) continue;
    const assigned = new RegExp(`\\b${name.replaceAll('.', '\\.')}\\s*=\\s*(?=\\{)`).exec(text);
    if (assigned !== null) return assigned.index + assigned[0].length;
  }
  const brace = text.indexOf('{');
  return brace === -1 ? 0 : brace;
}

function lineOf(text: string, v: JsValue): number {
  return text.slice(0, v.offset).split('\n').length;
}

export function readCors(text: string, report: Report): ImportedDocument {
  const reader = new JsReader('cors', text);
  const offset = optionsOffset(text);
  reader.at = Math.max(offset, 0);
  const options: JsValue =
    offset === NO_OPTIONS ? { kind: 'object', entries: new Map(), offset: 0 } : reader.value();
  if (options.kind !== 'object') {
    throw new ImportSyntaxError(
      'cors',
      text,
      options.offset,
      'an options object: { origin: [...], credentials: true }',
    );
  }
  const get = (key: string) => options.entries.get(key);
  for (const key of options.entries.keys())
    if (!KNOWN.has(key)) report.note(`the option ${key} is not read`);
  const fail = (v: JsValue, expected: string): never => {
    throw new ImportSyntaxError('cors', text, v.offset, expected);
  };
  const list = (v: JsValue, what: string): string[] => {
    if (v.kind === 'str')
      return v.value
        .split(',')
        .map((s) => s.trim())
        .filter((s) => s !== '');
    if (v.kind === 'array')
      return v.items.flatMap((item) =>
        item.kind === 'str' ? [item.value] : fail(item, `${what}: a string`),
      );
    return fail(v, `${what}: a string or an array of strings`);
  };

  const draft = emptyDraft();
  const credentials = get('credentials');
  draft.credentials = credentials?.kind === 'bool' && credentials.value;
  const origin = get('origin');
  if (origin === undefined || (origin.kind === 'str' && origin.value === '*')) {
    draft.origins = '*';
    if (origin === undefined)
      report.note('origin is not set: the cors package\'s default "*" counts');
    if (draft.credentials) {
      report.finding(
        'wildcard-with-credentials',
        'low',
        'credentials: true with origin "*": browsers refuse every credentialed request, since "*" cannot go with credentials',
      );
    }
  } else if (origin.kind === 'bool') {
    if (origin.value) {
      draft.origins = '*';
      draft.reflectsAnyOrigin = true;
    } else report.note('origin: false turns CORS off; the policy allows no origin');
  } else if (origin.kind === 'str') {
    addExactOrigins(draft, [origin.value], report, lineOf(text, origin));
  } else if (origin.kind === 'regex' || origin.kind === 'array') {
    const items = origin.kind === 'array' ? origin.items : [origin];
    for (const item of items) {
      if (item.kind === 'str') addExactOrigins(draft, [item.value], report, lineOf(text, item));
      else if (item.kind === 'regex') {
        const matching = {
          impliedStart: false,
          impliedEnd: false,
          ignoreCase: item.flags.includes('i'),
        };
        addRegexOrigins(draft, item.source, matching, report, lineOf(text, item));
      } else fail(item, 'an origin string or a /regular expression/');
    }
  } else {
    report.note(
      `origin is ${JSON.stringify(origin.kind === 'unknown' ? origin.text.slice(0, 40) : origin.kind)}, code the importer does not run; the policy allows no origin`,
    );
  }
  const methods = get('methods');
  draft.methods =
    methods === undefined ? DEFAULT_METHODS : list(methods, 'methods').map((m) => m.toUpperCase());
  const headers = get('allowedHeaders') ?? get('headers');
  // Without allowedHeaders the package echoes Access-Control-Request-Headers: any header.
  draft.requestHeaders =
    headers === undefined || headers.kind === 'null' ? '*' : list(headers, 'allowedHeaders');
  const expose = get('exposedHeaders');
  draft.exposeHeaders =
    expose === undefined || expose.kind === 'null' ? [] : list(expose, 'exposedHeaders');
  const maxAge = get('maxAge');
  if (maxAge !== undefined && maxAge.kind !== 'null') {
    draft.maxAge =
      maxAge.kind === 'num' ? maxAge.value : fail(maxAge, 'maxAge: a number of seconds');
  }
  const status = get('optionsSuccessStatus');
  if (status?.kind === 'num' && status.value >= 200 && status.value <= 299)
    draft.preflightStatus = status.value;
  const policy = asDocument(toOptions(draft, report, 'the cors options'));
  const continues = get('preflightContinue');
  if (continues?.kind === 'bool' && continues.value) {
    report.note(
      'preflightContinue: true hands preflights to the next handler; the policy answers them itself',
    );
  }
  return policy;
}

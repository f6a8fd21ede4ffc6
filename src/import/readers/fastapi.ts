/**
 * FastAPI / Starlette: `app.add_middleware(CORSMiddleware, ...)` or `Middleware(CORSMiddleware, ...)`,
 * with Starlette's defaults (starlette/middleware/cors.py): methods `("GET",)`, max-age 600, the
 * four safelisted request headers always allowed, `allow_origin_regex` matched with `fullmatch`.
 */

import { addExactOrigins, addRegexOrigins, asDocument, emptyDraft, toOptions } from '../_policy.js';
import { PythonReader, type PyValue, pythonAssignments } from '../_python-literal.js';
import { PythonValues } from '../_python-values.js';
import { callSites } from '../_scanner.js';
import { ImportSyntaxError } from '../errors.js';
import type { ImportedDocument, Report } from '../findings.js';

/** Starlette's ALL_METHODS, what `allow_methods=["*"]` stands for. */
const ALL_METHODS = ['DELETE', 'GET', 'HEAD', 'OPTIONS', 'PATCH', 'POST', 'PUT'];
/** Starlette's SAFELISTED_HEADERS, added to every allow_headers list. */
const SAFELISTED_HEADERS = ['accept', 'accept-language', 'content-language', 'content-type'];

const KNOWN = new Set([
  'allow_origins',
  'allow_origin_regex',
  'allow_credentials',
  'allow_methods',
  'allow_headers',
  'expose_headers',
  'max_age',
  'allow_private_network',
]);

/**
 * Whether the file subclasses CORSMiddleware to allow exactly the listed headers, as
 * `corsproof generate --for fastapi` writes it.
 */
function listsHeadersExactly(text: string, className: string): boolean {
  const at = text.search(new RegExp(`class\\s+${className}\\s*\\(\\s*CORSMiddleware\\s*\\)`));
  return (
    at !== -1 &&
    /self\.allow_headers\s*=\s*\[name\.lower\(\) for name in listed\]/.test(text.slice(at))
  );
}

export function readFastapi(text: string, report: Report): ImportedDocument {
  const sites = callSites(text, /\b(?:add_middleware|Middleware)/);
  const names = pythonAssignments('fastapi', text);
  const values = new PythonValues('fastapi', text, names);
  for (const site of sites) {
    const reader = new PythonReader('fastapi', text);
    reader.at = site;
    const callee = reader.name() as string;
    const call = reader.callArguments(callee, site);
    const first = call.args[0];
    if (first?.kind !== 'name' || !/CORSMiddleware$/.test(first.name)) continue;
    const line = text.slice(0, site).split('\n').length;
    const unread: PyValue[] = [];
    const kw = values.keywords(call, unread);
    if (unread.length > 0)
      report.note('some **keyword arguments are not literal dicts and were not read');
    for (const key of kw.keys()) {
      if (!KNOWN.has(key)) report.note(`the argument ${key} of CORSMiddleware is not read`);
    }
    const draft = emptyDraft();
    const get = (key: string) => kw.get(key);
    const strings = (key: string, fallback: string[]) => {
      const v = get(key);
      return v === undefined ? fallback : values.strings(v, key);
    };
    const credentials = get('allow_credentials');
    draft.credentials = credentials !== undefined && values.bool(credentials, 'allow_credentials');
    const origins = strings('allow_origins', []);
    if (origins.includes('*')) {
      draft.origins = '*';
      // With credentials Starlette echoes the Origin of requests that carry a cookie.
      draft.reflectsAnyOrigin = draft.credentials;
    } else addExactOrigins(draft, origins, report, line);
    const regex = get('allow_origin_regex');
    if (regex !== undefined && values.resolve(regex).kind !== 'none') {
      const { source, ignoreCase } = values.regex(regex, 'allow_origin_regex');
      addRegexOrigins(
        draft,
        source,
        { impliedStart: true, impliedEnd: true, ignoreCase },
        report,
        line,
      );
    }
    const methods = strings('allow_methods', ['GET']);
    draft.methods = methods.includes('*') ? ALL_METHODS : methods;
    const headers = strings('allow_headers', []);
    if (headers.includes('*')) draft.requestHeaders = '*';
    else if (listsHeadersExactly(text, first.name)) draft.requestHeaders = headers;
    else {
      draft.requestHeaders = [...headers, ...SAFELISTED_HEADERS];
      report.note(
        'Starlette allows Accept, Accept-Language, Content-Language and Content-Type as request headers whatever allow_headers says, with any value; the policy lists them',
      );
    }
    draft.exposeHeaders = strings('expose_headers', []);
    const maxAge = get('max_age');
    draft.maxAge = maxAge === undefined ? 600 : values.seconds(maxAge, 'max_age');
    // Accepted preflights are answered 200 whatever the configuration.
    draft.preflightStatus = 200;
    return asDocument(toOptions(draft, report, 'CORSMiddleware'));
  }
  throw new ImportSyntaxError(
    'fastapi',
    text,
    0,
    'app.add_middleware(CORSMiddleware, allow_origins=[...], ...) or Middleware(CORSMiddleware, ...)',
    'no CORSMiddleware',
  );
}

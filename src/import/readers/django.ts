/**
 * django-cors-headers settings, with the library's defaults (corsheaders/defaults.py and conf.py):
 * methods DELETE GET OPTIONS PATCH POST PUT, headers accept ... x-requested-with, max-age 86400
 * (0 sends none), regexes matched with `re.match` (anchored at the start only), every path.
 */

import { addExactOrigins, addRegexOrigins, asDocument, emptyDraft, toOptions } from '../_policy.js';
import { type PyValue, pythonAssignments } from '../_python-literal.js';
import { PythonValues } from '../_python-values.js';
import type { ImportedDocument, Report } from '../findings.js';

const DEFAULT_METHODS = ['DELETE', 'GET', 'OPTIONS', 'PATCH', 'POST', 'PUT'];
const DEFAULT_HEADERS = [
  'accept',
  'accept-encoding',
  'authorization',
  'content-type',
  'dnt',
  'origin',
  'user-agent',
  'x-csrftoken',
  'x-requested-with',
];

/** Current names first, then the names older releases read. */
const SETTINGS = {
  allowAll: ['CORS_ALLOW_ALL_ORIGINS', 'CORS_ORIGIN_ALLOW_ALL'],
  origins: ['CORS_ALLOWED_ORIGINS', 'CORS_ORIGIN_WHITELIST'],
  regexes: ['CORS_ALLOWED_ORIGIN_REGEXES', 'CORS_ORIGIN_REGEX_WHITELIST'],
} as const;

/** `CORS_URLS_REGEX` values meaning every path (it is matched with `re.match` on the path). */
const EVERY_PATH = new Set(['', '^', '\\A', '^.*$', '^.*', '.*', '^/', '\\A/', '^/.*$', '^/.*']);

/** `^/api/` or `^/api/.*$`: a path prefix corsproof writes `/api/*`. */
function prefixOf(regex: string): string | null {
  const m = /^(?:\^|\\A)((?:\/[A-Za-z0-9_~-]+)+)\/(?:\.\*)?(?:\$|\\Z)?$/.exec(regex);
  return m === null ? null : (m[1] as string);
}

export function readDjango(text: string, report: Report): ImportedDocument {
  const settings = pythonAssignments('django', text, (name) => name.startsWith('CORS_'));
  const values = new PythonValues('django', text, settings);
  const setting = (names: readonly string[]): [string, PyValue] | undefined => {
    for (const name of names) {
      const v = settings.get(name);
      if (v !== undefined) return [name, v];
    }
    return undefined;
  };
  const strings = (name: string, fallback: string[]) => {
    const v = settings.get(name);
    return v === undefined ? fallback : values.strings(v, name);
  };
  const flag = (names: readonly string[]) => {
    const found = setting(names);
    return found !== undefined && values.bool(found[1], found[0]);
  };
  const lineOf = (v: PyValue | undefined) =>
    v === undefined ? undefined : text.slice(0, v.offset).split('\n').length;

  const draft = emptyDraft();
  draft.credentials = flag(['CORS_ALLOW_CREDENTIALS']);
  if (flag(SETTINGS.allowAll)) {
    draft.origins = '*';
    // With credentials the middleware echoes Origin instead of sending "*".
    draft.reflectsAnyOrigin = draft.credentials;
  }
  const origins = setting(SETTINGS.origins);
  if (origins !== undefined) {
    addExactOrigins(draft, values.strings(origins[1], origins[0]), report, lineOf(origins[1]));
    report.note(
      'django-cors-headers compares only the scheme and host of CORS_ALLOWED_ORIGINS entries, so it also accepts "https://app.example.com/x"; browsers never send that',
    );
  }
  const regexes = setting(SETTINGS.regexes);
  if (regexes !== undefined) {
    const list = values.resolve(regexes[1]);
    const items = list.kind === 'list' ? list.items : [list];
    for (const item of items) {
      const { source, ignoreCase } = values.regex(item, regexes[0]);
      addRegexOrigins(
        draft,
        source,
        { impliedStart: true, impliedEnd: false, ignoreCase },
        report,
        lineOf(item),
      );
    }
  }
  draft.methods = strings('CORS_ALLOW_METHODS', DEFAULT_METHODS);
  draft.requestHeaders = strings('CORS_ALLOW_HEADERS', DEFAULT_HEADERS);
  draft.exposeHeaders = strings('CORS_EXPOSE_HEADERS', []);
  const maxAge = settings.get('CORS_PREFLIGHT_MAX_AGE');
  const seconds = maxAge === undefined ? 86400 : values.seconds(maxAge, 'CORS_PREFLIGHT_MAX_AGE');
  draft.maxAge = seconds === 0 ? null : seconds;
  draft.privateNetwork = flag(['CORS_ALLOW_PRIVATE_NETWORK']);
  for (const name of ['CORS_ALLOW_METHODS', 'CORS_ALLOW_HEADERS', 'CORS_PREFLIGHT_MAX_AGE']) {
    if (!settings.has(name)) report.note(`${name} is not set: django-cors-headers' default counts`);
  }
  // Accepted preflights are answered 200 whatever the settings.
  draft.preflightStatus = 200;
  const policy = toOptions(draft, report, 'the django-cors-headers settings');

  const urls = settings.get('CORS_URLS_REGEX');
  if (urls === undefined) return asDocument(policy);
  const { source } = values.regex(urls, 'CORS_URLS_REGEX');
  if (EVERY_PATH.has(source)) return asDocument(policy);
  const prefix = prefixOf(source);
  if (prefix !== null) {
    report.note(
      `CORS_URLS_REGEX ${JSON.stringify(source)} is read as the path pattern "${prefix}/*", which also gives ${prefix} itself CORS`,
    );
    return { default: false, paths: { [`${prefix}/*`]: policy } };
  }
  report.finding(
    'regex-not-expressible',
    'info',
    `CORS_URLS_REGEX ${JSON.stringify(source)} is no path pattern corsproof reads; the policy is named "django" and given to no path: map the paths that need it under "paths"`,
    lineOf(urls),
  );
  return { default: false, policies: { django: policy } };
}

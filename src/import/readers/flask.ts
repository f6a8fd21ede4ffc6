/**
 * Flask-CORS: `CORS(app, ...)` or `@cross_origin(...)`, with its defaults (flask_cors/core.py):
 * origins `*` echoed back unless `send_wildcard`, methods GET HEAD POST OPTIONS PUT PATCH DELETE,
 * every request header, no max-age. A string with a regex character (`* \ ] ? $ ^ [ ( )`) is a
 * regular expression matched with `re.match` (anchored at the start only), ignoring case;
 * `resources` patterns are matched the same way against the path, the longest first.
 */
import type { PolicyFileEntry } from 'corsproof';
import { addExactOrigins, addRegexOrigins, asDocument, emptyDraft, toOptions } from '../_policy.js';
import { PythonReader, type PyValue, pythonAssignments } from '../_python-literal.js';
import { PythonValues } from '../_python-values.js';
import { literalOfRegex } from '../_regex-ast.js';
import { callSites } from '../_scanner.js';
import { ImportSyntaxError } from '../errors.js';
import type { ImportedDocument, Report } from '../findings.js';
import { readRegionTable } from './_flask-regions.js';

const ALL_METHODS = ['GET', 'HEAD', 'POST', 'OPTIONS', 'PUT', 'PATCH', 'DELETE'];
const REGEX_CHARS = /[*\\\]?$^[()]/;

const KNOWN = new Set([
  'origins',
  'methods',
  'allow_headers',
  'expose_headers',
  'supports_credentials',
  'max_age',
  'send_wildcard',
  'vary_header',
  'resources',
  'allow_private_network',
  'automatic_options',
  'intercept_exceptions',
  'always_send',
]);

type Options = Map<string, PyValue>;

class FlaskReader {
  constructor(
    private readonly text: string,
    private readonly values: PythonValues,
    private readonly report: Report,
  ) {}

  private line(v: PyValue): number {
    return this.text.slice(0, v.offset).split('\n').length;
  }

  /** The policy of one set of options (the call's, with a resource's on top). */
  policy(options: Options, where: string): PolicyFileEntry {
    const { values, report } = this;
    const get = (key: string) => options.get(key);
    const flag = (key: string, fallback: boolean) => {
      const v = get(key);
      return v === undefined ? fallback : values.bool(v, key);
    };
    const draft = emptyDraft();
    draft.credentials = flag('supports_credentials', false);
    const sendWildcard = flag('send_wildcard', false);
    const origins = get('origins');
    const originList =
      origins === undefined
        ? [{ source: '*', kind: 'string' as const, line: undefined }]
        : this.patterns(origins, 'origins');
    if (origins === undefined)
      report.note(`${where}: origins is not set; Flask-CORS' default "*" counts`);
    for (const origin of originList) {
      if (origin.kind === 'regex' || (REGEX_CHARS.test(origin.source) && origin.source !== '*')) {
        addRegexOrigins(
          draft,
          origin.source,
          { impliedStart: true, impliedEnd: false, ignoreCase: true },
          report,
          origin.line,
        );
      } else if (origin.source === '*') {
        draft.origins = '*';
        draft.reflectsAnyOrigin = !sendWildcard;
      } else addExactOrigins(draft, [origin.source], report, origin.line);
    }
    const methods = get('methods');
    draft.methods =
      methods === undefined
        ? ALL_METHODS
        : values
            .strings(methods, 'methods')
            .flatMap((m) => m.split(','))
            .map((m) => m.trim().toUpperCase());
    const headers = get('allow_headers');
    const headerList =
      headers === undefined
        ? [{ source: '*', kind: 'string' as const, line: undefined }]
        : this.patterns(headers, 'allow_headers');
    const names: string[] = [];
    for (const header of headerList) {
      if (header.source === '*' || header.source === '.*') {
        draft.requestHeaders = '*';
        break;
      }
      const name =
        header.kind === 'regex' || REGEX_CHARS.test(header.source)
          ? literalOfRegex(header.source, true, false)
          : header.source;
      if (name === null)
        report.note(
          `${where}: the request header pattern ${JSON.stringify(header.source)} is not one header name; left out`,
        );
      else names.push(name);
    }
    if (draft.requestHeaders !== '*') draft.requestHeaders = names;
    const expose = get('expose_headers');
    draft.exposeHeaders =
      expose === undefined
        ? []
        : values.strings(expose, 'expose_headers').flatMap((h) => h.split(','));
    const maxAge = get('max_age');
    draft.maxAge = maxAge === undefined ? null : values.seconds(maxAge, 'max_age');
    draft.privateNetwork = flag('allow_private_network', false);
    if (!flag('vary_header', true) && draft.origins !== '*') {
      report.finding(
        'missing-vary-origin',
        'medium',
        `${where}: vary_header=False, so caches may serve one origin's answer to another`,
      );
    }
    // Flask answers preflights with its automatic OPTIONS response: 200.
    draft.preflightStatus = 200;
    return toOptions(draft, report, where);
  }

  /** Strings or compiled regexes, as Flask-CORS takes origins and header lists. */
  private patterns(
    value: PyValue,
    what: string,
  ): { source: string; kind: 'string' | 'regex'; line: number }[] {
    const v = this.values.resolve(value);
    const items = v.kind === 'list' ? v.items : [v];
    return items.map((item) => {
      const resolved = this.values.resolve(item);
      if (resolved.kind === 'str')
        return { source: resolved.value, kind: 'string' as const, line: this.line(item) };
      const regex = this.values.regex(item, what);
      return { source: regex.source, kind: 'regex' as const, line: this.line(item) };
    });
  }

  /**
   * The path table of the regions `corsproof generate --for flask` writes, in dict order (which
   * does not matter to Flask-CORS, the regions never overlapping), or null for other resources.
   */
  private generatedTable(entries: readonly [string, Options][]): ImportedDocument | null {
    const table = readRegionTable(entries.map(([pattern]) => pattern));
    if (table === null) return null;
    const policyOf = (pattern: string | null): PolicyFileEntry => {
      const i = table.regions.indexOf(pattern);
      const entry = entries[i];
      return entry === undefined
        ? false
        : this.policy(entry[1], `resources[${JSON.stringify(entry[0])}]`);
    };
    const paths: Record<string, PolicyFileEntry> = {};
    for (const pattern of table.patterns) paths[pattern] = policyOf(pattern);
    return { default: policyOf(null), paths };
  }

  /** `resources`: a pattern string, a list of them, or a dict of pattern to options. */
  resources(value: PyValue, base: Options): ImportedDocument | null {
    const v = this.values.resolve(value);
    const entries: [string, Options][] = [];
    if (v.kind === 'dict') {
      for (const [key, options] of v.entries) {
        const pattern = this.values.regex(key, 'a resources pattern').source;
        const o = this.values.resolve(options);
        if (o.kind !== 'dict' && !(o.kind === 'call' && o.call.callee === 'dict')) {
          this.values.fail(o, 'the options of a resource: a dict or dict(...)');
        }
        const own =
          o.kind === 'dict'
            ? this.values.keywords({
                callee: 'dict',
                args: [],
                kwargs: new Map(),
                spreads: [o],
                offset: o.offset,
              })
            : this.values.keywords(o.call);
        entries.push([pattern, new Map([...base, ...own])]);
      }
    } else {
      for (const pattern of this.values.strings(v, 'resources')) entries.push([pattern, base]);
    }
    const generated = this.generatedTable(entries);
    if (generated !== null) return generated;
    // Flask-CORS tries the longest pattern first.
    entries.sort((a, b) => b[0].length - a[0].length);
    if (entries.length === 1 && isEveryPath(entries[0]?.[0] as string)) {
      return null;
    }
    const paths: Record<string, PolicyFileEntry> = {};
    const unread: string[] = [];
    for (const [pattern, options] of entries) {
      const path = pathPattern(pattern);
      if (path === null) {
        unread.push(pattern);
        continue;
      }
      if (path.prefix !== null) {
        this.report.note(
          `the resource ${JSON.stringify(pattern)} also matches paths that merely start with ${path.prefix} (such as ${path.prefix}-internal); imported as ${path.pattern}`,
        );
      }
      if (!(path.pattern in paths))
        paths[path.pattern] = this.policy(options, `resources[${JSON.stringify(pattern)}]`);
    }
    for (const pattern of unread) {
      this.report.finding(
        'regex-not-expressible',
        'info',
        `the resource pattern ${JSON.stringify(pattern)} is no path pattern corsproof reads; its paths get no CORS in the policy file`,
      );
    }
    return { default: false, paths };
  }
}

function isEveryPath(pattern: string): boolean {
  return ['*', '.*', '/*', '/.*', '^/.*', '\\A'].includes(pattern);
}

/** `/api/*` (a regex: `/api` then any slashes, matched by prefix) and its kin as `/api/*`. */
function pathPattern(pattern: string): { pattern: string; prefix: string | null } | null {
  if (isEveryPath(pattern)) return { pattern: '/*', prefix: null };
  const m = /^\^?((?:\/[A-Za-z0-9_~-]+)+)(\/\*|\/\.\*|\/?)(\$)?$/.exec(pattern);
  if (m === null) return null;
  const base = m[1] as string;
  if (m[3] === '$' && m[2] === '') return { pattern: base, prefix: null };
  return { pattern: `${base}/*`, prefix: m[3] === '$' && m[2] !== '/*' ? null : base };
}

export function readFlask(text: string, report: Report): ImportedDocument {
  const names = pythonAssignments('flask', text);
  const values = new PythonValues('flask', text, names);
  const reader = new FlaskReader(text, values, report);
  for (const site of callSites(text, /\b(?:CORS|cross_origin)/)) {
    const scanner = new PythonReader('flask', text);
    scanner.at = site;
    const callee = scanner.name() as string;
    const call = scanner.callArguments(callee, site);
    const unread: PyValue[] = [];
    const options = values.keywords(call, unread);
    if (unread.length > 0) {
      report.note(
        `some **keyword arguments of ${callee}(...) are not literal dicts and were not read; their options keep Flask-CORS' defaults`,
      );
    }
    for (const key of options.keys())
      if (!KNOWN.has(key)) report.note(`the option ${key} is not read`);
    const resources = options.get('resources');
    options.delete('resources');
    if (callee === 'cross_origin') {
      report.note(
        '@cross_origin applies to the one view it decorates; the policy file gives the policy to every path',
      );
    }
    if (resources !== undefined) {
      const table = reader.resources(resources, options);
      if (table !== null) return table;
    }
    return asDocument(reader.policy(options, `${callee}(...)`));
  }
  throw new ImportSyntaxError(
    'flask',
    text,
    0,
    'CORS(app, origins=..., ...) or @cross_origin(...)',
    'neither',
  );
}

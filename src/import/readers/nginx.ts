/**
 * nginx: `add_header` lines (in `server`, `location` and `if` blocks), `map $http_origin $var {...}`,
 * `if ($http_origin ~* "...")` and `if ($request_method = OPTIONS) { return 204; }`. nginx's rules
 * count: a block with any `add_header` of its own inherits none from outside
 * (https://nginx.org/en/docs/http/ngx_http_headers_module.html#add_header), `add_header` without
 * `always` is skipped on error responses, and `~` regexes match anywhere unless anchored.
 * What `corsproof generate --for nginx` writes (a state machine over `$cors_*` variables) is read
 * by `_nginx-generated.ts` instead.
 */
import type { PolicyFileEntry } from 'corsproof';
import {
  addExactOrigins,
  addRegexOrigins,
  asDocument,
  type DraftPolicy,
  emptyDraft,
  toOptions,
} from '../_policy.js';
import { ImportSyntaxError } from '../errors.js';
import type { ImportedDocument, Report } from '../findings.js';
import { type Directive, tokenize } from './_nginx-directives.js';
import { isGeneratedNginx, readGeneratedNginx } from './_nginx-generated.js';

const CORS_HEADERS = new Map([
  ['access-control-allow-origin', 'origin'],
  ['access-control-allow-credentials', 'credentials'],
  ['access-control-allow-methods', 'methods'],
  ['access-control-allow-headers', 'headers'],
  ['access-control-expose-headers', 'expose'],
  ['access-control-max-age', 'maxAge'],
  ['access-control-allow-private-network', 'privateNetwork'],
  ['vary', 'vary'],
] as const);

interface Header {
  readonly name: string;
  readonly value: string;
  readonly always: boolean;
  readonly line: number;
  /** The `if` condition the header sits under, if any. */
  readonly under?: string;
}

/** How an origin variable is chosen: from a `map`, or by `if` blocks that `set` it. */
interface OriginSources {
  readonly maps: Map<string, readonly Directive[]>;
  readonly sets: Map<string, { condition: string; value: string; line: number }[]>;
}

function collectSources(directives: readonly Directive[], sources: OriginSources): void {
  for (const d of directives) {
    if (d.name === 'map' && d.block !== null && d.args[1] !== undefined) {
      if (d.args[0] === '$http_origin') sources.maps.set(d.args[1], d.block);
      continue;
    }
    if (d.name === 'if' && d.block !== null && d.condition !== undefined) {
      for (const inner of d.block) {
        if (inner.name === 'set' && inner.args[0] !== undefined && inner.args[1] !== undefined) {
          const list = sources.sets.get(inner.args[0]) ?? [];
          list.push({ condition: d.condition, value: inner.args[1], line: inner.line });
          sources.sets.set(inner.args[0], list);
        }
      }
    }
    if (d.block !== null && d.name !== 'map') collectSources(d.block, sources);
  }
}

/** `$http_origin ~* "regex"`, `$http_origin = "https://a.com"`: the origins a condition admits. */
function addCondition(
  draft: DraftPolicy,
  condition: string,
  report: Report,
  line: number,
): boolean {
  const m = /^\$http_origin\s+(~\*|~|=)\s*(?:"([^"]*)"|'([^']*)'|(\S+))$/.exec(condition);
  if (m === null) return false;
  const value = m[2] ?? m[3] ?? m[4] ?? '';
  if (m[1] === '=') addExactOrigins(draft, [value], report, line);
  else
    addRegexOrigins(
      draft,
      value,
      { impliedStart: false, impliedEnd: false, ignoreCase: m[1] === '~*' },
      report,
      line,
    );
  return true;
}

/** The origins an `Access-Control-Allow-Origin` value allows. */
function addOriginValue(
  draft: DraftPolicy,
  header: Header,
  sources: OriginSources,
  report: Report,
): void {
  const value = header.value;
  if (value === '*') {
    draft.origins = '*';
    return;
  }
  if (value === '$http_origin') {
    if (header.under !== undefined && addCondition(draft, header.under, report, header.line))
      return;
    draft.origins = '*';
    draft.reflectsAnyOrigin = true;
    return;
  }
  if (!value.startsWith('$')) {
    addExactOrigins(draft, [value], report, header.line);
    return;
  }
  const map = sources.maps.get(value);
  const sets = sources.sets.get(value);
  if (map === undefined && sets === undefined) {
    report.note(
      `${value} is set somewhere the importer does not read; no origin was imported from it`,
    );
    return;
  }
  for (const entry of map ?? []) {
    const result = entry.args[0] ?? '';
    const allows = result === '$http_origin' || result === entry.name;
    if (!allows || result === '' || result === '""') continue;
    if (entry.name === 'default') {
      draft.origins = '*';
      draft.reflectsAnyOrigin = result === '$http_origin';
    } else if (entry.name.startsWith('~*')) {
      addRegexOrigins(
        draft,
        entry.name.slice(2),
        { impliedStart: false, impliedEnd: false, ignoreCase: true },
        report,
        entry.line,
      );
    } else if (entry.name.startsWith('~')) {
      addRegexOrigins(
        draft,
        entry.name.slice(1),
        { impliedStart: false, impliedEnd: false, ignoreCase: false },
        report,
        entry.line,
      );
    } else addExactOrigins(draft, [entry.name.replace(/^\\/, '')], report, entry.line);
  }
  for (const set of sets ?? []) {
    if (set.value === '$http_origin' && !addCondition(draft, set.condition, report, set.line)) {
      report.note(
        `the condition (${set.condition}) setting ${value} is not read; no origin was imported from it`,
      );
    } else if (set.value !== '$http_origin' && set.value !== '""' && set.value !== '') {
      addExactOrigins(draft, [set.value], report, set.line);
    }
  }
}

const list = (value: string) =>
  value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');

function headersOf(directives: readonly Directive[], under?: string): Header[] {
  return directives
    .filter((d) => d.name === 'add_header' && d.args.length >= 2)
    .map((d) => ({
      name: (d.args[0] as string).toLowerCase(),
      value: d.args[1] as string,
      always: d.args[2] === 'always',
      line: d.line,
      ...(under !== undefined && { under }),
    }));
}

const isCors = (h: Header) => CORS_HEADERS.has(h.name as never);

class NginxReader {
  preflightStatus: number | null = null;
  constructor(
    private readonly sources: OriginSources,
    private readonly report: Report,
  ) {}

  /**
   * The headers a block sends: its own, or the enclosing ones where it has none; `if` blocks add
   * theirs for the requests they match (and drop the outer ones then: reported).
   */
  headers(block: readonly Directive[], outer: readonly Header[]): Header[] {
    const own = headersOf(block);
    const effective = own.length > 0 ? own : [...outer];
    for (const d of block) {
      if (d.name !== 'if' || d.block === null) continue;
      const inner = headersOf(d.block, d.condition);
      if (inner.length === 0) {
        this.preflight(d);
        continue;
      }
      const dropped = effective
        .filter((h) => isCors(h) && !inner.some((i) => i.name === h.name))
        .map((h) => h.name);
      if (dropped.length > 0) {
        this.report.finding(
          'add-header-overridden',
          'medium',
          `the add_header lines inside "if (${d.condition})" replace the enclosing ones, so those requests get no ${dropped.join(', ')}`,
          d.line,
        );
      }
      this.preflight(d);
      effective.push(...inner);
    }
    return effective;
  }

  private preflight(d: Directive): void {
    if (!/^\$request_method\s*=\s*["']?OPTIONS["']?$/.test(d.condition ?? '')) return;
    const ret = d.block?.find((i) => i.name === 'return');
    const status = Number(ret?.args[0]);
    if (Number.isInteger(status) && status >= 200 && status <= 299) this.preflightStatus = status;
  }

  policy(headers: readonly Header[], where: string): PolicyFileEntry {
    const cors = headers.filter(isCors);
    if (!cors.some((h) => h.name === 'access-control-allow-origin')) return false;
    const draft = emptyDraft();
    for (const h of cors) {
      if (!h.always && h.name !== 'vary') {
        this.report.finding(
          'add-header-without-always',
          'low',
          `add_header ${h.name} has no "always": nginx leaves it off 4xx and 5xx responses, so browsers hide those errors from the page`,
          h.line,
        );
      }
    }
    const value = (name: string) => cors.filter((h) => h.name === name).map((h) => h.value);
    draft.credentials = value('access-control-allow-credentials').includes('true');
    for (const h of cors.filter((c) => c.name === 'access-control-allow-origin')) {
      addOriginValue(draft, h, this.sources, this.report);
    }
    draft.methods = value('access-control-allow-methods').flatMap(list);
    const requested = value('access-control-allow-headers');
    draft.requestHeaders =
      requested.includes('$http_access_control_request_headers') || requested.includes('*')
        ? '*'
        : requested.flatMap(list);
    const expose = value('access-control-expose-headers').flatMap(list);
    draft.exposeHeaders = expose.includes('*') ? '*' : expose;
    const maxAge = value('access-control-max-age')[0];
    draft.maxAge = maxAge !== undefined && /^[0-9]+$/.test(maxAge) ? Number(maxAge) : null;
    draft.privateNetwork = value('access-control-allow-private-network').includes('true');
    const varies = value('vary')
      .flatMap(list)
      .some((v) => v.toLowerCase() === 'origin');
    const originValues = value('access-control-allow-origin');
    if (!varies && originValues.some((v) => v !== '*')) {
      this.report.finding(
        'missing-vary-origin',
        draft.credentials ? 'medium' : 'low',
        `${where} sends an Access-Control-Allow-Origin that depends on Origin without "Vary: Origin", so caches may serve one origin's answer to another`,
        cors[0]?.line,
      );
    }
    if (this.preflightStatus !== null) draft.preflightStatus = this.preflightStatus;
    return toOptions(draft, this.report, where);
  }
}

/** `location /api/` and `location ^~ /api` as the path pattern `/api/*`; others are not read. */
function locationPath(args: readonly string[]): string | null {
  const path =
    args.length === 1
      ? args[0]
      : args[0] === '^~'
        ? args[1]
        : args[0] === '='
          ? args[1]
          : undefined;
  if (path === undefined || !/^\/[A-Za-z0-9_~./-]*$/.test(path)) return null;
  if (args[0] === '=') return path;
  const base = path.replace(/\/+$/, '');
  return base === '' ? '/*' : `${base}/*`;
}

export function readNginx(text: string, report: Report): ImportedDocument {
  const top = tokenize(text);
  if (isGeneratedNginx(top)) return readGeneratedNginx(top, report);
  const sources: OriginSources = { maps: new Map(), sets: new Map() };
  collectSources(top, sources);
  const servers = top.filter((d) => d.name === 'server' && d.block !== null);
  const http = top.find((d) => d.name === 'http' && d.block !== null);
  const server = servers[0]?.block ?? http?.block?.find((d) => d.name === 'server')?.block ?? top;
  const reader = new NginxReader(sources, report);
  const serverHeaders = reader.headers(server, []);
  const paths: Record<string, PolicyFileEntry> = {};
  for (const location of server.filter((d) => d.name === 'location' && d.block !== null)) {
    const own = headersOf(location.block ?? []);
    const hasIfHeaders = (location.block ?? []).some(
      (d) => d.name === 'if' && d.block !== null && headersOf(d.block).length > 0,
    );
    if (own.length === 0 && !hasIfHeaders) continue;
    if (own.length > 0 && serverHeaders.some(isCors) && !own.some(isCors)) {
      report.finding(
        'add-header-overridden',
        'medium',
        `location ${location.args.join(' ')} has add_header lines of its own, so it inherits none of the server's CORS headers`,
        location.line,
      );
    }
    const path = locationPath(location.args);
    const policy = reader.policy(
      reader.headers(location.block ?? [], serverHeaders),
      `location ${location.args.join(' ')}`,
    );
    if (path === null) {
      report.note(
        `location ${location.args.join(' ')} is not a path prefix corsproof reads; its CORS headers were not imported`,
      );
      continue;
    }
    if (!location.args.includes('=') && path !== '/*') {
      report.note(
        `location ${location.args.join(' ')} also matches paths that merely start with it; imported as ${path}`,
      );
    }
    paths[path] = policy;
  }
  const base = reader.policy(serverHeaders, 'the server block');
  if (Object.keys(paths).length === 0) {
    if (!serverHeaders.some((h) => h.name === 'access-control-allow-origin')) {
      throw new ImportSyntaxError(
        'nginx',
        text,
        0,
        'add_header Access-Control-Allow-Origin ...',
        'no Access-Control-Allow-Origin header',
      );
    }
    return asDocument(base);
  }
  return { default: base, paths };
}

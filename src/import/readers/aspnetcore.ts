/**
 * ASP.NET Core: `AddCors(o => o.AddPolicy("name", p => p.WithOrigins(...)...))` and
 * `AddDefaultPolicy(...)` builder chains, and `UseCors("name")`. Its rules count: no method, request
 * header or max-age unless given; `*.` origins only with `SetIsOriginAllowedToAllowWildcardSubdomains()`
 * (then any depth of subdomain, never the apex); `AllowAnyOrigin()` with `AllowCredentials()` throws
 * at start-up.
 */
import type { PolicyFileEntry, PolicySetJSON } from 'corsproof';
import { addExactOrigins, asDocument, emptyDraft, toOptions } from '../_policy.js';
import { ImportSyntaxError, positionOf } from '../errors.js';
import type { ImportedDocument, Report } from '../findings.js';

/** The index just after the parenthesis that closes the one at `open`, skipping strings. */
function closing(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    const c = text[i];
    if (c === '"') {
      const verbatim = text[i - 1] === '@';
      for (
        i++;
        i < text.length &&
        !(text[i] === '"' && (verbatim ? text[i + 1] !== '"' : text[i - 1] !== '\\'));
        i++
      ) {
        if (verbatim && text[i] === '"') i++;
      }
    } else if (c === '(') depth++;
    else if (c === ')' && --depth === 0) return i + 1;
  }
  throw new ImportSyntaxError('aspnetcore', text, open, '")" closing the call');
}

/** C# string literals among the arguments: "..." and @"...". */
function stringsIn(args: string): string[] {
  const out: string[] = [];
  for (const m of args.matchAll(/@"((?:[^"]|"")*)"|"((?:[^"\\]|\\.)*)"/g)) {
    out.push(
      m[1] !== undefined ? m[1].replaceAll('""', '"') : (m[2] as string).replace(/\\(.)/g, '$1'),
    );
  }
  return out;
}

const TIME_UNITS: Record<string, number> = { Seconds: 1, Minutes: 60, Hours: 3600, Days: 86400 };

function readChain(
  text: string,
  from: number,
  to: number,
  name: string,
  report: Report,
): PolicyFileEntry {
  const chain = text.slice(from, to);
  const draft = emptyDraft();
  let wildcardSubdomains = false;
  const origins: string[] = [];
  const where = name === '' ? 'the default policy' : `the policy ${JSON.stringify(name)}`;
  const line = positionOf(text, from).line;
  for (const m of chain.matchAll(/\.\s*([A-Z][A-Za-z]*)\s*\(/g)) {
    const open = from + m.index + m[0].length - 1;
    const args = text.slice(open + 1, closing(text, open) - 1);
    switch (m[1]) {
      case 'WithOrigins':
        origins.push(...stringsIn(args));
        break;
      case 'AllowAnyOrigin':
        draft.origins = '*';
        break;
      case 'AllowCredentials':
        draft.credentials = true;
        break;
      case 'DisallowCredentials':
        draft.credentials = false;
        break;
      case 'WithMethods':
        draft.methods = draft.methods === '*' ? '*' : [...draft.methods, ...stringsIn(args)];
        break;
      case 'AllowAnyMethod':
        draft.methods = '*';
        break;
      case 'WithHeaders':
        draft.requestHeaders =
          draft.requestHeaders === '*' ? '*' : [...draft.requestHeaders, ...stringsIn(args)];
        break;
      case 'AllowAnyHeader':
        draft.requestHeaders = '*';
        break;
      case 'WithExposedHeaders':
        draft.exposeHeaders =
          draft.exposeHeaders === '*' ? '*' : [...draft.exposeHeaders, ...stringsIn(args)];
        break;
      case 'SetPreflightMaxAge': {
        const time = /TimeSpan\.From(Seconds|Minutes|Hours|Days)\s*\(\s*([0-9.]+)\s*\)/.exec(args);
        if (time === null)
          report.note(`${where}: SetPreflightMaxAge(${args.trim()}) is not read; no max-age`);
        else draft.maxAge = Math.floor(Number(time[2]) * (TIME_UNITS[time[1] as string] as number));
        break;
      }
      case 'SetIsOriginAllowedToAllowWildcardSubdomains':
        wildcardSubdomains = true;
        break;
      case 'SetIsOriginAllowed':
        if (/^\s*_?\w*\s*=>\s*true\s*$/.test(args)) {
          draft.origins = '*';
          draft.reflectsAnyOrigin = true;
        } else
          report.note(
            `${where}: SetIsOriginAllowed(${args.trim()}) runs code the importer does not; no origin imported from it`,
          );
        break;
      default:
        break;
    }
  }
  if (draft.origins === '*' && draft.credentials && !draft.reflectsAnyOrigin) {
    report.finding(
      'wildcard-with-credentials',
      'info',
      `${where}: AllowAnyOrigin() with AllowCredentials() makes ASP.NET Core throw at start-up; list the origins instead`,
      line,
    );
  }
  const exact = origins.filter((o) => wildcardSubdomains || !o.includes('://*.'));
  if (exact.length < origins.length) {
    report.note(
      `${where}: "*." origins match nothing without SetIsOriginAllowedToAllowWildcardSubdomains(); left out`,
    );
  }
  addExactOrigins(
    draft,
    exact.map((o) => o.toLowerCase()),
    report,
    line,
  );
  return toOptions(draft, report, where);
}

export function readAspnetcore(text: string, report: Report): ImportedDocument {
  let defaultPolicy: PolicyFileEntry | undefined;
  const policies: Record<string, PolicyFileEntry> = {};
  for (const m of text.matchAll(/\.\s*(AddDefaultPolicy|AddPolicy)\s*\(/g)) {
    const open = m.index + m[0].length - 1;
    const end = closing(text, open);
    let name = '';
    if (m[1] === 'AddPolicy') {
      const named = /^\(\s*(?:name\s*:\s*)?"([^"]*)"\s*,/.exec(text.slice(open));
      if (named === null)
        throw new ImportSyntaxError(
          'aspnetcore',
          text,
          open + 1,
          'a policy name string: AddPolicy("name", p => ...)',
        );
      name = named[1] as string;
    }
    const policy = readChain(text, open, end, name, report);
    if (m[1] === 'AddDefaultPolicy') defaultPolicy = policy;
    else policies[name] = policy;
  }
  if (defaultPolicy === undefined && Object.keys(policies).length === 0) {
    throw new ImportSyntaxError(
      'aspnetcore',
      text,
      0,
      'AddCors(o => o.AddPolicy("name", p => p.WithOrigins(...))) or AddDefaultPolicy(...)',
      'no CORS policy',
    );
  }
  const used = /\bUseCors\s*\(\s*"([^"]*)"\s*\)/.exec(text)?.[1];
  if (Object.keys(policies).length === 0 && defaultPolicy !== undefined)
    return asDocument(defaultPolicy);
  if (used !== undefined && policies[used] === undefined) {
    report.note(`UseCors("${used}") names no policy in the input`);
  }
  const set: PolicySetJSON = {
    default: defaultPolicy ?? (used !== undefined ? (policies[used] ?? false) : false),
    policies,
  };
  if (defaultPolicy === undefined && used === undefined) {
    report.note(
      'no UseCors("name") or default policy: the named policies apply where endpoints ask for them ([EnableCors("name")], RequireCors); map those paths under "paths"',
    );
  }
  return set;
}

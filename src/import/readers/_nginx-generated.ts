/**
 * nginx configurations written by `corsproof generate --for nginx`: a state machine over `$cors_*`
 * variables rather than the `add_header`/`map`/`if` idioms of hand-written files. The form is
 * recognised by its directives (the `add_header ... $cors_acao always` lines), never by its header
 * comment; each policy is read from its own `if` lines (the origin, method and header regexes, the
 * values set on actual responses and accepted preflights) and the path table from the
 * `$cors_path` rules. The result is then proven exact: the policy file read back must generate
 * these very directives again. A file that does not (edited by hand, or written by another
 * version) is imported as no CORS at all, with a note, since nothing in it was proven.
 */
import type { PolicyFileEntry } from 'corsproof';
import { parsePolicyFile } from 'corsproof';
import { generate } from '../../generate/registry.js';
import { addRegexOrigins, type DraftPolicy, emptyDraft, toOptions } from '../_policy.js';
import type { ImportedDocument, Report } from '../findings.js';
import { type Directive, tokenize } from './_nginx-directives.js';

/** The id the generator gives "no CORS here" (see `NO_POLICY` in generate/_plan.ts). */
const NONE = 'none';

/**
 * Whether the directives are the generator's: CORS headers sent from `$cors_*` variables that a
 * `$cors_state` string decides.
 */
export function isGeneratedNginx(top: readonly Directive[]): boolean {
  const fromVariable = top.some(
    (d) =>
      d.name === 'add_header' &&
      d.args[0] === 'Access-Control-Allow-Origin' &&
      d.args[1] === '$cors_acao',
  );
  return fromVariable && top.some((d) => d.name === 'set' && d.args[0] === '$cors_state');
}

/** `$variable ~ "regex"` (or `=`) of an `if`, with the quotes removed. */
function condition(d: Directive): { variable: string; op: string; value: string } | null {
  const m = /^(\$[a-z_]+)\s+(=|~|!~)\s+(?:"([^"]*)"|(\S+))$/.exec(d.condition ?? '');
  if (m === null) return null;
  return { variable: m[1] as string, op: m[2] as string, value: m[3] ?? m[4] ?? '' };
}

/** The value a block `set`s `variable` to, quotes removed. */
function setIn(block: readonly Directive[] | null, variable: string): string | undefined {
  return block?.find((d) => d.name === 'set' && d.args[0] === variable)?.args[1];
}

/** A regex literal as `literal()` in generate/_regex.ts writes it, or null if it is not one. */
function unliteral(regex: string): string | null {
  if (!/^(?:[A-Za-z0-9_:/-]|\\\.|\\x[0-9a-f]{2})*$/.test(regex)) return null;
  return regex
    .replace(/\\x([0-9a-f]{2})/g, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)))
    .replaceAll('\\.', '.');
}

/** `^(?:A|B|C)$` (after the policy id) as its literal alternatives. */
function alternativesOf(regex: string): string[] | null {
  const m = /^\^\(\?:([^()]*)\)\$$/.exec(regex);
  if (m === null) return null;
  const names = (m[1] as string).split('|').map(unliteral);
  return names.every((n): n is string => n !== null) ? names : null;
}

/**
 * A path rule's regex as the corsproof pattern it was written from: `^/$`, literal segments,
 * `/[^/?]+` for a parameter, `(?:/[^?]*)?` at the end for `/*`. Null for anything else.
 */
export function patternOfPathRegex(regex: string): string | null {
  if (regex === '^/$') return '/';
  const segment = String.raw`\/(?:\[\^\/\?\]\+|(?:[A-Za-z0-9_:-]|\\\.|\\x[0-9a-f]{2})+)`;
  const m = new RegExp(String.raw`^\^((?:${segment})*)(\(\?:\/\[\^\?\]\*\)\?)?\$$`).exec(regex);
  if (m === null) return null;
  const segments: string[] = [];
  let params = 0;
  for (const part of (m[1] as string).match(new RegExp(segment, 'g')) ?? []) {
    if (part === '/[^/?]+') {
      segments.push(`:p${++params}`);
      continue;
    }
    const text = unliteral(part.slice(1));
    if (text === null || text.startsWith(':')) return null;
    segments.push(text);
  }
  if (m[2] !== undefined) segments.push('*');
  return `/${segments.join('/')}`;
}

/** The regex of a policy line with its `^ID ` prefix replaced by `^`, or null. */
function afterId(regex: string, id: string): string | null {
  return regex.startsWith(`^${id} `) ? `^${regex.slice(id.length + 2)}` : null;
}

/** What the lines of one policy say, read into a draft. */
function readPolicy(id: string, lines: readonly Directive[], report: Report): PolicyFileEntry {
  const draft: DraftPolicy = emptyDraft();
  const actual = lines.find(
    (d) => condition(d)?.value.startsWith('^[^ ]+ ') && setIn(d.block, '$cors_acao') !== undefined,
  );
  const accepted = lines.find((d) => condition(d)?.value === `^OPTIONS ${id} 11111`);
  draft.credentials = setIn(actual?.block ?? null, '$cors_acac') === 'true';
  for (const d of lines) {
    const c = condition(d);
    if (c === null) continue;
    if (c.variable === '$cors_policy' && c.op === '=' && setIn(d.block, '$cors_allowed') === '1')
      draft.origins = '*';
    const regex = afterId(c.value, id);
    if (regex === null || c.op !== '~') continue;
    if (c.variable === '$cors_policy_origin') {
      addRegexOrigins(
        draft,
        regex,
        { impliedStart: false, impliedEnd: false, ignoreCase: false },
        report,
        d.line,
      );
    } else if (c.variable === '$cors_policy_method' && setIn(d.block, '$cors_m') === '1') {
      // Any token, less the forbidden methods (a second line sets `$cors_m 0` for those).
      draft.methods = regex.includes('(?:') ? (alternativesOf(regex) ?? []) : '*';
    } else if (c.variable === '$cors_policy_headers') {
      const names = /\(\?i\)\[ \\t,\]\*\(\?:\(\?:([^()]*)\)/.exec(regex)?.[1];
      draft.requestHeaders =
        names === undefined
          ? regex.includes('\\x21') // the token class: any name
            ? '*'
            : []
          : names.split('|').flatMap((n) => unliteral(n) ?? []);
    }
  }
  const expose = setIn(actual?.block ?? null, '$cors_aceh');
  if (expose !== undefined) draft.exposeHeaders = expose === '*' ? '*' : expose.split(',');
  const maxAge = setIn(accepted?.block ?? null, '$cors_acma');
  if (maxAge !== undefined && /^[0-9]+$/.test(maxAge)) draft.maxAge = Number(maxAge);
  draft.privateNetwork = lines.some(
    (d) =>
      condition(d)?.value === `^OPTIONS ${id} 111111$` && setIn(d.block, '$cors_acapn') === 'true',
  );
  const status = Number(accepted?.block?.find((d) => d.name === 'return')?.args[0]);
  if (Number.isInteger(status)) draft.preflightStatus = status;
  return toOptions(draft, report, `policy "${id}"`);
}

/** The policy id each `if` line is about, for the lines that name one. */
function policyIdOf(d: Directive): string | null {
  const c = condition(d);
  if (c === null) return null;
  if (c.variable === '$cors_policy' && c.op === '=') return c.value;
  if (c.variable === '$cors_policy_method') return /^\^([A-Za-z0-9_]+) /.exec(c.value)?.[1] ?? null;
  return null;
}

/** The document the directives describe, before it is proven. */
function readDocument(top: readonly Directive[], report: Report): ImportedDocument | null {
  const ifs = top.filter((d) => d.name === 'if');
  const ids: string[] = [];
  for (const d of ifs) {
    const id = policyIdOf(d);
    if (id !== null && id !== NONE && !ids.includes(id)) ids.push(id);
  }
  const policies = new Map<string, PolicyFileEntry>();
  for (const id of ids) {
    const lines = ifs.filter((d) => {
      const c = condition(d);
      return (
        c !== null &&
        (c.value === id || c.value.startsWith(`^${id} `) || c.value.includes(` ${id} `))
      );
    });
    policies.set(id, readPolicy(id, lines, report));
  }
  const policyOf = (id: string | undefined): PolicyFileEntry | undefined =>
    id === NONE ? false : id === undefined ? undefined : policies.get(id);
  const fallbackId = top.find((d) => d.name === 'set' && d.args[0] === '$cors_policy')?.args[1];
  const fallback = policyOf(fallbackId);
  if (fallback === undefined) return null;
  // The rules are written last to first; companions (`(?i)`, to no CORS) are regenerated.
  const routes = ifs
    .filter((d) => condition(d)?.variable === '$cors_path' && condition(d)?.op === '~')
    .reverse();
  if (routes.length === 0) return fallback === false ? { default: false } : fallback;
  const paths: Record<string, PolicyFileEntry | string> = {};
  const named: Record<string, PolicyFileEntry> = {};
  for (const route of routes) {
    const regex = condition(route)?.value ?? '';
    const id = setIn(route.block, '$cors_policy');
    if (regex.startsWith('^(?i)') && id === NONE) continue;
    const pattern = patternOfPathRegex(regex);
    const entry = policyOf(id);
    if (pattern === null || entry === undefined || id === undefined) return null;
    const shared = routes.filter((r) => setIn(r.block, '$cors_policy') === id).length > 1;
    if (id === NONE || (/^path_[0-9]+$/.test(id) && !shared)) paths[pattern] = entry;
    else {
      named[id] = entry;
      paths[pattern] = id;
    }
  }
  return {
    default: fallback,
    ...(Object.keys(named).length > 0 && { policies: named }),
    paths,
  } as ImportedDocument;
}

/** Directive trees alike but for comments and line numbers. */
function sameDirectives(a: readonly Directive[], b: readonly Directive[]): number | null {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const [x, y] = [a[i], b[i]];
    if (x === undefined || y === undefined) return (x ?? y)?.line ?? null;
    const alike =
      x.name === y.name &&
      x.condition === y.condition &&
      x.args.join('\u0000') === y.args.join('\u0000') &&
      (x.block === null) === (y.block === null);
    if (!alike) return x.line;
    const inner = x.block !== null && y.block !== null ? sameDirectives(x.block, y.block) : null;
    if (inner !== null) return inner;
  }
  return null;
}

/**
 * The policy file a generated nginx configuration answers as, proven by generating it again;
 * `{ default: false }` with a note where the directives are not exactly the generator's.
 */
export function readGeneratedNginx(top: readonly Directive[], report: Report): ImportedDocument {
  const unproven = (why: string): ImportedDocument => {
    report.note(
      `the file looks generated by corsproof (CORS headers from $cors_* variables) but ${why}; imported as no CORS. Generate it again from its policy file`,
    );
    return { default: false };
  };
  const document = readDocument(top, report);
  if (document === null)
    return unproven('its policies or path rules are not in the generated form');
  let regenerated: readonly Directive[];
  try {
    regenerated = tokenize(generate(parsePolicyFile(document), 'nginx').config);
  } catch (error) {
    if (!(error instanceof Error)) throw error;
    return unproven(`the policy read back is not valid (${error.message})`);
  }
  const differs = sameDirectives(top, regenerated);
  if (differs !== null) {
    return unproven(`line ${differs} differs from what the policy read back generates`);
  }
  return document;
}

/**
 * The origin grammar a policy accepts: exact origins plus two wildcards.
 * - `https://*.example.com`: `*` stands for one or more whole subdomain labels, never the apex and
 *   never part of a label (so `https://*.foo.com` can never match `https://barfoo.com`);
 * - `http://localhost:*`: any port, the default one included, for local development.
 * Everything else about the origin is checked by the URL standard's parser through `parseOrigin`,
 * so a pattern is exactly as strict as an exact origin.
 */
import { parseOrigin, serializeOrigin } from '../spec/origin.js';

export type ParsedOriginSpec =
  | {
      readonly kind: 'exact';
      readonly serialized: string;
      readonly scheme: string;
      readonly host: string;
    }
  | {
      readonly kind: 'pattern';
      readonly scheme: string;
      /** The host after `*.` for subdomain patterns, else the exact host. */
      readonly host: string;
      readonly anySubdomain: boolean;
      /** A port number, null for the default port, or '*' for any port. */
      readonly port: number | null | '*';
      /** The canonical form of the pattern, for duplicates and toJSON. */
      readonly canonical: string;
    };

export type OriginSpecProblem =
  | { readonly kind: 'null' }
  | { readonly kind: 'not-ascii' }
  | { readonly kind: 'default-port'; readonly canonical: string }
  | { readonly kind: 'not-canonical'; readonly canonical: string }
  | { readonly kind: 'bad-pattern'; readonly detail: string }
  | { readonly kind: 'invalid'; readonly problem: string; readonly detail: string };

export type OriginSpecResult =
  | { readonly ok: true; readonly spec: ParsedOriginSpec }
  | { readonly ok: false; readonly problem: OriginSpecProblem };

const PROBE_LABEL = 'corsproof-wildcard-probe';

function hasNonAscii(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 0x7f) return true;
  return false;
}

/**
 * Parses one entry of the `origins` list.
 *
 * @example
 * parseOriginSpec('https://*.example.com') // pattern, host 'example.com', anySubdomain
 * parseOriginSpec('https://example.com:443') // problem 'default-port'
 */
export function parseOriginSpec(input: string): OriginSpecResult {
  if (input === 'null') return { ok: false, problem: { kind: 'null' } };
  if (hasNonAscii(input)) return { ok: false, problem: { kind: 'not-ascii' } };
  const sep = input.indexOf('://');
  let rest = sep === -1 ? input : input.slice(sep + 3);
  const anySubdomain = sep !== -1 && rest.startsWith('*.');
  if (anySubdomain) rest = `${PROBE_LABEL}.${rest.slice(2)}`;
  const anyPort = rest.endsWith(':*');
  if (anyPort) rest = rest.slice(0, -2);
  if (rest.includes('*') || (sep !== -1 && input.slice(0, sep).includes('*'))) {
    return {
      ok: false,
      problem: {
        kind: 'bad-pattern',
        detail:
          '"*" may only stand for whole subdomain labels right after "://" (https://*.example.com) or for the port (http://localhost:*)',
      },
    };
  }
  const text = sep === -1 ? rest : `${input.slice(0, sep)}://${rest}`;
  const parsed = parseOrigin(text);
  if (!parsed.ok) {
    return {
      ok: false,
      problem: { kind: 'invalid', problem: parsed.problem, detail: parsed.detail },
    };
  }
  if (parsed.origin.type === 'opaque') return { ok: false, problem: { kind: 'null' } };
  // Fix (found by validate.test.ts): parseOrigin gives `file://host` a tuple origin, but a file: URL's
  // origin is opaque (https://url.spec.whatwg.org/#concept-url-origin), so a page loaded from one
  // sends `Origin: null`: the entry could never match and stands for the null origin.
  if (parsed.origin.scheme === 'file') return { ok: false, problem: { kind: 'null' } };
  const { scheme, port } = parsed.origin;
  let host = parsed.origin.host;
  if (anySubdomain) {
    if (!host.startsWith(`${PROBE_LABEL}.`)) {
      return {
        ok: false,
        problem: {
          kind: 'bad-pattern',
          detail: 'a subdomain wildcard needs a domain name after "*."',
        },
      };
    }
    host = host.slice(PROBE_LABEL.length + 1);
    // Fix (found by origin-pattern.test.ts): the URL parser accepts empty labels, so `https://*.`
    // had the empty suffix and matched every host with a trailing dot (`https://evil.com.`), and
    // `https://*..com` could never match anything. The suffix must be a domain: non-empty labels
    // (a trailing dot, the fully-qualified form, stays allowed).
    if (host === '' || host.startsWith('.') || host.includes('..')) {
      return {
        ok: false,
        problem: {
          kind: 'bad-pattern',
          detail: 'a subdomain wildcard needs a domain name after "*."',
        },
      };
    }
  }
  const shown = (h: string) => (anySubdomain ? `*.${h}` : h);
  const portText = anyPort ? ':*' : port === null ? '' : `:${port}`;
  const canonical = `${scheme}://${shown(host)}${portText}`;
  // An explicit default port is refused rather than dropped: the author probably meant something.
  const authority = rest.replace(/^[^/?#]*@/, '');
  const hadPort = /:[0-9]+$/.test(authority) && !authority.endsWith(']');
  if (hadPort && port === null) return { ok: false, problem: { kind: 'default-port', canonical } };
  // Hosts the URL parser rewrites (0x7f.1 -> 127.0.0.1, uncompressed IPv6) are refused with the
  // canonical spelling; plain upper case is simply lower-cased.
  const writtenHost = (anySubdomain ? rest.slice(PROBE_LABEL.length + 1) : rest)
    .replace(/:[0-9]*$/, '')
    .toLowerCase();
  if (writtenHost !== host) return { ok: false, problem: { kind: 'not-canonical', canonical } };
  if (!anySubdomain && !anyPort) {
    const serialized = serializeOrigin(parsed.origin);
    return { ok: true, spec: { kind: 'exact', serialized, scheme, host } };
  }
  return {
    ok: true,
    spec: { kind: 'pattern', scheme, host, anySubdomain, port: anyPort ? '*' : port, canonical },
  };
}

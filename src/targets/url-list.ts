/**
 * A plain list of targets, one per line, as people and recon tools write them: full URLs
 * (`https://api.example.com/v1`), or bare `host[:port][/path]` (`api.example.com`,
 * `10.0.0.5:8443/admin`), which subdomain and port scanners print. Anything after the first space
 * on a line (httpx's `[200] [title]`) is ignored.
 */
import type { ContentLine } from './lines.js';

export type UrlListLine =
  | { readonly line: number; readonly ok: true; readonly url: string }
  | { readonly line: number; readonly ok: false; readonly message: string };

const URL_START = /^https?:\/\//i;
/** A host name with a dot, localhost, an IPv4 or a bracketed IPv6, then an optional port and path. */
const BARE_HOST =
  /^(?:localhost|\[[0-9a-f:.]+\]|[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)+)(?::\d{1,5})?(?:[/?#]\S*)?$/i;

/** Whether a content line is a list entry (a URL or a bare host) rather than CSV or JSON. */
export function isUrlListLine(text: string): boolean {
  const first = text.trim().split(/\s+/)[0] ?? '';
  return URL_START.test(first) || BARE_HOST.test(first);
}

/**
 * The URL of a list entry: as written when it has a scheme, else `https://` before it (a bare
 * host is assumed to serve https, as browsers now assume for a typed address).
 */
function urlOf(entry: string): string | null {
  const candidate = URL_START.test(entry)
    ? entry
    : BARE_HOST.test(entry)
      ? `https://${entry}`
      : null;
  if (candidate === null) return null;
  try {
    return new URL(candidate).href;
  } catch {
    return null;
  }
}

/**
 * Reads the lines of a plain list.
 *
 * @example
 * parseUrlList(contentLines('api.example.com\nhttps://x.example/v1 [200]'))
 * // [{ line: 1, ok: true, url: 'https://api.example.com/' }, { line: 2, ok: true, url: 'https://x.example/v1' }]
 */
export function parseUrlList(lines: readonly ContentLine[]): UrlListLine[] {
  return lines.map(({ line, text }) => {
    const entry = text.trim().split(/\s+/)[0] ?? '';
    const url = urlOf(entry);
    return url === null
      ? {
          line,
          ok: false,
          message: `line ${line}: ${JSON.stringify(entry)} is neither an http(s) URL nor host[:port][/path]`,
        }
      : { line, ok: true, url };
  });
}

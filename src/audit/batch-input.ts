/**
 * Batch input for many audits: a plain list of URLs (one per line, `#` comments), or the
 * checker's formats (JSON lines, CSV with a header row) with the fields an audit uses: `url`
 * (required), `origin`, `credentials`, `headers`, and `method` (the state-changing method the
 * preflights ask for). A `body` is refused: an audit never sends one.
 */
import { parseBatchInput } from '../check/batch-input.js';
import type { HeadersInput } from '../check/options.js';

export interface AuditBatchEntry {
  readonly url: string;
  readonly origin?: string;
  readonly credentials?: boolean;
  readonly headers?: HeadersInput;
  readonly method?: string;
}

export type AuditBatchLine =
  | { readonly line: number; readonly ok: true; readonly entry: AuditBatchEntry }
  | { readonly line: number; readonly ok: false; readonly message: string };

/**
 * Parses a whole batch file. A file whose first entry starts with `http://` or `https://` is a
 * list of URLs; one starting with `{` is JSON lines; anything else is CSV.
 *
 * @example
 * parseAuditBatch('https://api.example.com/a\nhttps://api.example.com/b\n')
 * // [{ line: 1, ok: true, entry: { url: 'https://api.example.com/a' } }, { line: 2, ... }]
 */
export function parseAuditBatch(text: string): AuditBatchLine[] {
  const body = text.replace(/^\uFEFF/, '');
  const first = body.split(/\r?\n/).find((l) => l.trim() !== '' && !l.trim().startsWith('#'));
  if (first !== undefined && /^\s*https?:\/\//i.test(first)) return parseUrlList(body);
  return parseBatchInput(body).map((item): AuditBatchLine => {
    if (!item.ok) return item;
    const { entry } = item;
    if (entry.body !== undefined) {
      return {
        line: item.line,
        ok: false,
        message: `line ${item.line}: "body" is not used by an audit, which sends only GETs and preflights; remove it`,
      };
    }
    return {
      line: item.line,
      ok: true,
      entry: {
        url: entry.url,
        ...(entry.origin === undefined ? {} : { origin: entry.origin }),
        ...(entry.credentials === undefined
          ? {}
          : { credentials: entry.credentials === 'include' }),
        ...(entry.headers === undefined ? {} : { headers: entry.headers }),
        ...(entry.method === undefined ? {} : { method: entry.method }),
      },
    };
  });
}

function parseUrlList(text: string): AuditBatchLine[] {
  const out: AuditBatchLine[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const url = raw.trim();
    if (url === '' || url.startsWith('#')) return;
    out.push({ line: i + 1, ok: true, entry: { url } });
  });
  return out;
}

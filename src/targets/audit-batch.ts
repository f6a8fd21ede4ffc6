/**
 * The batch file of `corsproof audit --input`: a plain list of URLs (one per line, `#` comments), or the
 * checker's formats (JSON lines, CSV with a header row) with the fields an audit uses: `url`
 * (required), `origin`, `credentials`, `headers`, and `method` (the state-changing method the
 * preflights ask for). A `body` is refused: an audit never sends one.
 */
import { type BatchHeaders, parseBatchInput } from './check-batch.js';
import { stripByteOrderMark } from './csv.js';

/** One audit as a line of the batch gives it; what it leaves out comes from the command line. */
export interface AuditBatchEntry {
  readonly url: string;
  readonly origin?: string;
  readonly credentials?: boolean;
  readonly headers?: BatchHeaders;
  readonly method?: string;
}

export type AuditBatchLine =
  | { readonly line: number; readonly ok: true; readonly entry: AuditBatchEntry }
  | { readonly line: number; readonly ok: false; readonly message: string };

/**
 * Parses a whole batch file: a plain list (URLs or bare `host[:port][/path]`, see url-list.ts),
 * JSON lines, or CSV, as the checker's batch file.
 *
 * @example
 * parseAuditBatch('https://api.example.com/a\nhttps://api.example.com/b\n')
 * // [{ line: 1, ok: true, entry: { url: 'https://api.example.com/a' } }, { line: 2, ... }]
 */
export function parseAuditBatch(text: string): AuditBatchLine[] {
  const body = stripByteOrderMark(text);
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

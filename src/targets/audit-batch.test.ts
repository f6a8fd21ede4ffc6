/**
 * Batch input for `corsproof audit --input`: URL lists, JSON lines and CSV.
 */
import { describe, expect, it } from 'vitest';
import { parseAuditBatch } from './audit-batch.js';

describe('parseAuditBatch', () => {
  it('reads one URL per line, skipping blanks and comments', () => {
    expect(parseAuditBatch('# targets\nhttps://a.example/x\n\nhttp://b.example/y\n')).toEqual([
      { line: 2, ok: true, entry: { url: 'https://a.example/x' } },
      { line: 4, ok: true, entry: { url: 'http://b.example/y' } },
    ]);
  });

  it('reads JSON lines with origin, credentials, headers and method', () => {
    const text = [
      '{"url": "https://a.example/x", "origin": "https://app.example", "credentials": true}',
      '{"url": "https://a.example/y", "headers": {"X-Api-Key": "k"}, "method": "DELETE"}',
    ].join('\n');
    expect(parseAuditBatch(text)).toEqual([
      {
        line: 1,
        ok: true,
        entry: { url: 'https://a.example/x', origin: 'https://app.example', credentials: true },
      },
      {
        line: 2,
        ok: true,
        entry: { url: 'https://a.example/y', headers: { 'X-Api-Key': 'k' }, method: 'DELETE' },
      },
    ]);
  });

  it('reads CSV with a url,origin header', () => {
    expect(parseAuditBatch('url,origin\nhttps://a.example/x,https://app.example\n')).toEqual([
      { line: 2, ok: true, entry: { url: 'https://a.example/x', origin: 'https://app.example' } },
    ]);
  });

  it('refuses a body (an audit never sends one) and bad lines, naming the line', () => {
    const out = parseAuditBatch('{"url": "https://a.example/x", "body": "x"}\n{oops\n');
    expect(out).toEqual([
      { line: 1, ok: false, message: expect.stringContaining('"body" is not used') },
      { line: 2, ok: false, message: expect.stringContaining('line 2: not valid JSON') },
    ]);
  });
});

import { describe, expect, it } from 'vitest';
import { parseAuditBatch } from './audit-batch.js';
import { parseBatchInput } from './check-batch.js';
import { contentLines } from './lines.js';
import { isUrlListLine, parseUrlList } from './url-list.js';

describe('plain target lists', () => {
  it('reads URLs and the bare host[:port][/path] lines recon tools print', () => {
    const text = [
      '# from subfinder and httpx',
      'api.example.com',
      '10.0.0.5:8443/admin',
      'https://x.example.com/v1 [200] [Login]',
      'localhost:3000',
      '[::1]:8080/health',
    ].join('\n');
    expect(parseUrlList(contentLines(text))).toEqual([
      { line: 2, ok: true, url: 'https://api.example.com/' },
      { line: 3, ok: true, url: 'https://10.0.0.5:8443/admin' },
      { line: 4, ok: true, url: 'https://x.example.com/v1' },
      { line: 5, ok: true, url: 'https://localhost:3000/' },
      { line: 6, ok: true, url: 'https://[::1]:8080/health' },
    ]);
  });

  it('names a line that is neither a URL nor a host', () => {
    expect(parseUrlList([{ line: 3, text: 'ftp://files.example' }])).toEqual([
      {
        line: 3,
        ok: false,
        message: 'line 3: "ftp://files.example" is neither an http(s) URL nor host[:port][/path]',
      },
    ]);
  });

  it('tells a list from a CSV header or JSON lines', () => {
    expect(isUrlListLine('api.example.com')).toBe(true);
    expect(isUrlListLine('url,origin')).toBe(false);
    expect(isUrlListLine('url')).toBe(false);
    expect(isUrlListLine('{"url":"https://a.example"}')).toBe(false);
  });

  it('is what check --input and audit --input read, besides CSV and JSON lines', () => {
    expect(parseBatchInput('api.example.com\nhttps://b.example/x\n')).toEqual([
      { line: 1, ok: true, entry: { url: 'https://api.example.com/' } },
      { line: 2, ok: true, entry: { url: 'https://b.example/x' } },
    ]);
    expect(parseAuditBatch('api.example.com:8443\n')).toEqual([
      { line: 1, ok: true, entry: { url: 'https://api.example.com:8443/' } },
    ]);
    expect(parseBatchInput('url\nhttps://a.example/\n')).toEqual([
      { line: 2, ok: true, entry: { url: 'https://a.example/' } },
    ]);
  });
});

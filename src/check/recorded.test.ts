import { describe, expect, it } from 'vitest';
import { judgeRecordedExchange, pageSetHeaders, type RecordedExchange } from './recorded.js';

const PAGE = 'https://app.example';

function exchange(over: Partial<RecordedExchange>): RecordedExchange {
  return {
    browser: 'chromium',
    pageOrigin: PAGE,
    url: 'https://api.example/items',
    method: 'GET',
    requestHeaders: [],
    credentialsInclude: false,
    preflightRequestHeaders: null,
    preflight: null,
    response: { status: 200, headers: [['Access-Control-Allow-Origin', PAGE]] },
    ...over,
  };
}

describe('judgeRecordedExchange', () => {
  it('allows a simple request whose response names the page, and says what script reads', () => {
    const judged = judgeRecordedExchange(
      exchange({
        response: {
          status: 200,
          headers: [
            ['Access-Control-Allow-Origin', PAGE],
            ['X-Id', '1'],
            ['Content-Type', 'text/plain'],
          ],
        },
      }),
    );
    expect(judged).toMatchObject({ verdict: 'allowed', preflightNeeded: false });
    if (judged.verdict === 'allowed') {
      expect(judged.readable.readableHeaders).toEqual(['content-type']);
      expect(judged.readable.hiddenHeaders).toContain('x-id');
    }
  });

  it('ignores the headers the browser adds itself when deciding on a preflight', () => {
    const recorded: [string, string][] = [
      ['User-Agent', 'Mozilla/5.0'],
      ['Accept', '*/*'],
      ['sec-ch-ua', '"Chromium";v="156"'],
      [':authority', 'api.example'],
      ['Origin', PAGE],
      ['X-Token', 'abc'],
    ];
    expect(pageSetHeaders(recorded)).toEqual([['X-Token', 'abc']]);
    expect(judgeRecordedExchange(exchange({ requestHeaders: recorded })).preflightNeeded).toBe(
      true,
    );
  });

  it("takes the unsafe header names from the preflight's Access-Control-Request-Headers", () => {
    const judged = judgeRecordedExchange(
      exchange({
        method: 'POST',
        requestHeaders: [['Referer', `${PAGE}/`]],
        preflightRequestHeaders: [
          ['Access-Control-Request-Method', 'POST'],
          ['Access-Control-Request-Headers', 'content-type,x-token'],
        ],
        preflight: {
          status: 204,
          headers: [
            ['Access-Control-Allow-Origin', PAGE],
            ['Access-Control-Allow-Headers', 'content-type'],
          ],
        },
        response: null,
      }),
    );
    expect(judged).toMatchObject({ verdict: 'blocked', at: 'preflight' });
    if (judged.verdict === 'blocked') {
      expect(judged.failures[0].code).toBe('HeaderDisallowedByPreflightResponse');
      expect(judged.failures[0].message).toContain('Request header field x-token is not allowed');
    }
  });

  it('is unknown, never allowed, when the browser recorded no response', () => {
    const judged = judgeRecordedExchange(exchange({ method: 'PUT', response: null }));
    expect(judged.verdict).toBe('unknown');
  });

  it('checks a hop after a cross-origin redirect against Origin: null', () => {
    const judged = judgeRecordedExchange(exchange({ requestOrigin: 'null' }));
    expect(judged).toMatchObject({ verdict: 'blocked' });
    if (judged.verdict === 'blocked') expect(judged.failures[0].code).toBe('AllowOriginMismatch');
  });

  it('words the failure as Firefox does for the firefox profile', () => {
    const judged = judgeRecordedExchange(
      exchange({ browser: 'firefox', response: { status: 403, headers: [] } }),
    );
    if (judged.verdict !== 'blocked') throw new Error(judged.verdict);
    expect(judged.failures[0].message).toBe(
      'Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at https://api.example/items. (Reason: CORS header ‘Access-Control-Allow-Origin’ missing). Status code: 403.',
    );
  });
});

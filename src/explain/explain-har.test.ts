import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as engine from '../check/index.js';
import { explainHar, type HarExplanation } from './explain-har.js';
import { HarError } from './har.js';

const fixture = (name: string) =>
  readFileSync(new URL(`../../test/fixtures/har/${name}`, import.meta.url), 'utf8');

function byPath(report: HarExplanation) {
  return Object.fromEntries(
    report.requests.map((r) => [
      new URL(r.url).pathname,
      { verdict: r.verdict, code: r.failures[0]?.code ?? null, r },
    ]),
  );
}

describe('explainHar on a Chromium recording (DevTools protocol, Chromium 156)', () => {
  const report = explainHar(fixture('chromium.har'), {}, engine);
  const at = byPath(report);

  it('takes the browser from the file and judges only the cross-origin requests', () => {
    expect(report.browser).toBe('chromium');
    expect(Object.keys(at).sort()).toEqual(
      [
        '/allowed',
        '/json-no-headers',
        '/mismatch',
        '/no-acao',
        '/preflight-404',
        '/put-no-method',
        '/put-ok',
        '/wildcard-credentials',
        '/with-token',
      ].sort(),
    );
  });

  it('gives the verdict Chromium gave, for the reason it gave', () => {
    expect(at['/allowed']?.verdict).toBe('allowed');
    expect(at['/put-ok']?.verdict).toBe('allowed');
    expect(at['/with-token']?.verdict).toBe('allowed');
    expect(at['/no-acao']?.code).toBe('MissingAllowOriginHeader');
    expect(at['/mismatch']?.code).toBe('AllowOriginMismatch');
    expect(at['/wildcard-credentials']?.code).toBe('WildcardOriginNotAllowed');
    expect(at['/put-no-method']?.code).toBe('MethodDisallowedByPreflightResponse');
    expect(at['/json-no-headers']?.code).toBe('HeaderDisallowedByPreflightResponse');
    // A 404 without Access-Control-Allow-Origin: Chromium names the header before the status.
    expect(at['/preflight-404']?.code).toBe('PreflightMissingAllowOriginHeader');
  });

  it("quotes Chromium's console line with the page's origin", () => {
    expect(at['/no-acao']?.r.failures[0]?.message).toBe(
      "Access to fetch at 'http://127.0.0.1:9090/no-acao' from origin 'http://localhost:8080' has been blocked by CORS policy: No 'Access-Control-Allow-Origin' header is present on the requested resource.",
    );
  });

  it('pairs each preflight with its request although it is recorded after it', () => {
    const put = at['/put-no-method']?.r;
    expect(put?.preflight?.status).toBe(204);
    expect(put?.browserError).toBe('net::ERR_FAILED');
  });

  it('reads credentials from Sec-Fetch-Storage-Access', () => {
    expect(at['/wildcard-credentials']?.r.credentials).toMatchObject({
      include: true,
      evidence: 'sec-fetch-storage-access',
    });
    expect(at['/allowed']?.r.credentials.include).toBe(false);
  });

  it('says which response headers script can read', () => {
    expect(at['/allowed']?.r.readableHeaders).toContain('x-request-id');
  });

  it('masks the Authorization value in the check command', () => {
    const command = at['/with-token']?.r.checkCommand ?? '';
    expect(command).toContain("-H 'authorization: Bearer ****'");
    expect(command).toContain('--credentials');
  });

  it('groups the failures by cause', () => {
    expect(report.summary).toMatchObject({ allowed: 3, blocked: 6, unknown: 0 });
    expect(report.summary.causes.map((c) => c.code).sort()).toEqual(
      [
        'AllowOriginMismatch',
        'HeaderDisallowedByPreflightResponse',
        'MethodDisallowedByPreflightResponse',
        'MissingAllowOriginHeader',
        'PreflightMissingAllowOriginHeader',
        'WildcardOriginNotAllowed',
      ].sort(),
    );
  });
});

describe('explainHar on a Firefox recording (WebDriver BiDi, Firefox ESR 153)', () => {
  const report = explainHar(fixture('firefox.har'), {}, engine);
  const at = byPath(report);

  it("judges the responses Firefox kept, in Firefox's words", () => {
    expect(report.browser).toBe('firefox');
    expect(at['/no-acao']?.r.failures[0]?.message).toBe(
      'Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at http://127.0.0.1:9090/no-acao. (Reason: CORS header ‘Access-Control-Allow-Origin’ missing). Status code: 200.',
    );
    expect(at['/wildcard-credentials']?.code).toBe('WildcardOriginNotAllowed');
    expect(at['/put-ok']?.verdict).toBe('allowed');
  });

  it('says a refused preflight recorded without its response cannot be judged, and how to find out', () => {
    const put = at['/put-no-method']?.r;
    expect(put?.verdict).toBe('unknown');
    expect(put?.reason).toContain('NS_ERROR_DOM_BAD_URI');
    expect(put?.checkCommand).toBe(
      'corsproof check http://127.0.0.1:9090/put-no-method --origin http://localhost:8080 -X PUT --browser firefox',
    );
  });

  it('judges with another browser when asked', () => {
    const chromium = explainHar(fixture('firefox.har'), { browser: 'chromium' }, engine);
    expect(byPath(chromium)['/no-acao']?.r.failures[0]?.message).toMatch(/^Access to fetch at/);
  });
});

describe('explainHar on what is not a HAR', () => {
  it('names the problem and the fix', () => {
    expect(() => explainHar('{"entries":[]}', {}, engine)).toThrow(HarError);
    expect(() => explainHar('not json', {}, engine)).toThrow(/not JSON.*Save all as HAR/);
  });

  it('judges no image or script a page loads from another origin (no-cors)', () => {
    const har = {
      log: {
        creator: { name: 'WebInspector' },
        entries: [
          {
            request: {
              method: 'GET',
              url: 'https://cdn.example/logo.png',
              headers: [
                { name: 'Referer', value: 'https://app.example/' },
                { name: 'Sec-Fetch-Mode', value: 'no-cors' },
              ],
            },
            response: { status: 200, headers: [] },
          },
        ],
      },
    };
    expect(explainHar(har, {}, engine).requests).toEqual([]);
  });
});

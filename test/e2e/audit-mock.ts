/**
 * Stands in for `POST /api/audits` while the service answers 501 (its runner does not wire the
 * network auditor yet). The findings come from the real catalogue (`makeFinding`), so titles,
 * severities, why and fix are the auditor's own; only the probing is pretended.
 */
import type { Page, Route } from 'playwright-core';
import { type Evidence, type Finding, makeFinding } from '../../src/audit/findings.js';

interface AuditBody {
  readonly url: string;
  readonly origin: string;
  readonly credentials?: boolean;
}

function evidence(url: string, origin: string, acao: string, credentials: boolean): Evidence[] {
  return [
    {
      request: { method: 'GET', url, headers: [['Origin', origin]] },
      response: {
        status: 200,
        headers: [
          ['Access-Control-Allow-Origin', acao],
          ...(credentials ? [['Access-Control-Allow-Credentials', 'true'] as const] : []),
        ],
      },
    },
  ];
}

function findingsFor(body: AuditBody): Finding[] {
  const credentials = body.credentials === true;
  const host = new URL(body.origin).hostname;
  const lookAlike = `https://${host}.attacker.example`;
  return [
    makeFinding('prefix-match-bypass', {
      origin: lookAlike,
      message: `${lookAlike} was allowed: the trusted host is matched as a prefix`,
      credentials,
      impact: 'read',
      evidence: evidence(body.url, lookAlike, lookAlike, credentials),
    }),
    makeFinding('null-origin-trusted', {
      origin: 'null',
      message: 'Origin: null was allowed',
      credentials,
      impact: 'read',
      evidence: evidence(body.url, 'null', 'null', credentials),
    }),
    makeFinding('dev-origin-trusted', {
      origin: 'http://localhost:5173',
      message: 'http://localhost:5173 was allowed',
      credentials,
      impact: 'read',
      evidence: evidence(body.url, 'http://localhost:5173', 'http://localhost:5173', credentials),
    }),
    makeFinding('max-age-excessive', {
      origin: '',
      message: 'Access-Control-Max-Age: 86400; Chromium caps preflight caching at 7200 seconds',
      credentials: false,
    }),
  ];
}

/**
 * Sends audit requests to the service, and answers them from the catalogue when the service says
 * the auditor is not implemented. Returns how many were answered by the mock.
 */
export async function mockAuditsWhereMissing(page: Page): Promise<() => number> {
  const stored = new Map<string, unknown>();
  let mocked = 0;
  await page.route('**/api/audits**', async (route: Route) => {
    const request = route.request();
    const id = /\/api\/audits\/([^/?]+)/.exec(request.url())?.[1];
    if (id !== undefined && stored.has(id)) {
      await route.fulfill({ json: stored.get(id) });
      return;
    }
    const response = await route.fetch();
    if (response.status() !== 501 || request.method() !== 'POST') {
      await route.fulfill({ response });
      return;
    }
    const body = request.postDataJSON() as AuditBody;
    const findings = findingsFor(body);
    const record = {
      id: `aud_MOCK${stored.size + 1}`,
      createdAt: new Date().toISOString(),
      input: {
        url: body.url,
        origin: body.origin,
        method: 'GET',
        headers: [],
        credentials: body.credentials === true,
        browser: 'chromium',
        allowUnsafeMethods: false,
      },
      notices: [],
      outcome: 'failed',
      result: { findings },
    };
    stored.set(record.id, record);
    mocked += 1;
    await route.fulfill({ status: 201, json: record });
  });
  return () => mocked;
}

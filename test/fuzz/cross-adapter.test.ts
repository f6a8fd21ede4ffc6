/**
 * Cross-adapter differential: random policies, each served on loopback by every adapter (node,
 * express, fastify, koa, hono, fetch) as an application would write it, and random requests sent
 * to all six over HTTP. Every adapter must give the same CORS decision: the same preflight status
 * and the same CORS headers, Vary included (framework additions to Vary, such as
 * Accept-Encoding, are not CORS's and are left out of the comparison).
 *
 * Cases (a request sent to all six): CORSPROOF_CASES / 200, at least 100 (5 000 under
 * `npm run test:long`); seed CORSPROOF_SEED.
 */
import { type CorsRequest, parsePolicyFile } from 'corsproof';
import { Agent, request } from 'undici';
import { afterAll, describe, expect, it } from 'vitest';
import {
  ADAPTERS,
  type AdapterName,
  type RunningServer,
  startAdapterServer,
} from '../servers/adapter-servers.js';
import { randomModel, randomRequest } from './generators.js';
import { budgetMs, random, report, scaledCases, seed } from './knobs.js';

const CORS_HEADERS = [
  'access-control-allow-origin',
  'access-control-allow-credentials',
  'access-control-allow-methods',
  'access-control-allow-headers',
  'access-control-expose-headers',
  'access-control-max-age',
  'access-control-allow-private-network',
];
const CORS_VARY = new Set([
  'origin',
  'access-control-request-method',
  'access-control-request-headers',
  'access-control-request-private-network',
]);
const REQUESTS_PER_POLICY = 20;

const agent = new Agent({ keepAliveTimeout: 1_000, connections: 4 });
afterAll(() => agent.close());

/** Whether HTTP/1.1 can carry the request: a token method, header values without controls. */
function sendable(req: CorsRequest): boolean {
  const values = [req.origin, req.requestMethod, req.requestHeaders].filter((v) => v !== undefined);
  return (
    /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/.test(req.method) &&
    values.every((v) => /^[\x21-\x7e]([\t\x20-\x7e]*[\x21-\x7e])?$/.test(v))
  );
}

interface Sent {
  readonly method: string;
  readonly headers: Record<string, string>;
}

/** What an adapter's answer says about CORS, in a form six answers can be compared by. */
async function corsAnswer(base: string, sent: Sent, preflight: boolean): Promise<string> {
  const response = await request(base, {
    method: sent.method as 'GET',
    headers: sent.headers,
    dispatcher: agent,
  });
  await response.body.dump();
  const headers = response.headers;
  const lines = CORS_HEADERS.map((name) => `${name}: ${String(headers[name] ?? '')}`);
  const vary = String(headers.vary ?? '')
    .split(',')
    .map((v) => v.trim().toLowerCase())
    .filter((v) => CORS_VARY.has(v));
  // The app's own status is the framework's business for actual requests; a preflight's is CORS's.
  return [preflight ? `status ${response.statusCode}` : '', ...lines, `vary: ${vary}`].join('\n');
}

describe('every adapter gives the same decision and headers', () => {
  const total = scaledCases(200, 100);
  it(
    `over ${total} random requests, each sent to all ${ADAPTERS.length} adapters`,
    async () => {
      const r = random(seed() ^ 0x5eed);
      const counts = { cases: 0, policies: 0, exchanges: 0, differences: 0 };
      while (counts.cases < total) {
        const model = randomModel(r);
        if (model.origins === '*' && model.credentials) continue;
        counts.policies++;
        const document = model.options;
        const file = parsePolicyFile(document);
        const servers = new Map<AdapterName, RunningServer>();
        try {
          for (const adapter of ADAPTERS) {
            servers.set(adapter, await startAdapterServer(adapter, document, file));
          }
          for (let i = 0; i < REQUESTS_PER_POLICY && counts.cases < total; i++) {
            const drawn = randomRequest(r, model);
            const req = drawn.request;
            // Strings HTTP cannot carry stay in the in-process harness.
            if (!sendable(req)) continue;
            counts.cases++;
            const headers: Record<string, string> = {};
            if (req.origin !== undefined) headers.origin = req.origin;
            if (req.requestMethod !== undefined) {
              headers['access-control-request-method'] = req.requestMethod;
            }
            if (req.requestHeaders !== undefined) {
              headers['access-control-request-headers'] = req.requestHeaders;
            }
            const sent = { method: req.method, headers };
            // A preflight's status is CORS's; any other request's is the app's, and the apps
            // differ on purpose (Fastify's answers 404 to an OPTIONS it has no route for).
            const preflight =
              req.method === 'OPTIONS' &&
              (req.origin ?? '').trim() !== '' &&
              req.requestMethod !== undefined;
            const answers = await Promise.all(
              ADAPTERS.map((a) =>
                corsAnswer((servers.get(a) as RunningServer).url, sent, preflight),
              ),
            );
            counts.exchanges += answers.length;
            const first = answers[0];
            for (const [i, answer] of answers.entries()) {
              if (answer === first) continue;
              counts.differences++;
              expect(
                { adapter: ADAPTERS[i], answer, policy: document, request: sent },
                `seed ${seed()}, case ${counts.cases}`,
              ).toEqual({ adapter: ADAPTERS[i], answer: first, policy: document, request: sent });
            }
          }
        } finally {
          await Promise.all([...servers.values()].map((s) => s.close()));
        }
      }
      expect(counts.differences).toBe(0);
      report('cross-adapter differential', counts);
    },
    budgetMs(total, 150),
  );
});

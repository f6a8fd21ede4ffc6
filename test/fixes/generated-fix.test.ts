/**
 * The proof that a fix fixes: failing checks against a local node:http server, then the fix's
 * Express configuration, as the generators render it from the failure's needed policy, served
 * in front of the same handler, and the same check again: it passes.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import express, { type RequestHandler } from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CheckOptions, check } from '../../src/check/index.js';
import { snippetsFor } from '../../src/generate/index.js';

// Inside the repository, so that the generated module's `import 'corsproof/express'` resolves.
const HERE = path.dirname(fileURLToPath(import.meta.url));
let dir = '';
const servers: http.Server[] = [];

async function listen(handler: http.RequestListener): Promise<string> {
  const server = http.createServer(handler);
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** The API before the fix: its routes answer, OPTIONS is not routed, CORS is half done. */
const broken: http.RequestListener = (req, res) => {
  req.resume();
  if (req.method === 'OPTIONS') {
    // Half-done CORS: the origin is allowed, but only GET and POST.
    res.writeHead(req.url === '/half' ? 204 : 405, {
      ...(req.url === '/half'
        ? {
            'access-control-allow-origin': 'https://app.example',
            'access-control-allow-methods': 'GET, POST',
          }
        : {}),
    });
    return res.end();
  }
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end('{"ok":true}');
};

/** The same API behind the fix's generated Express configuration. */
async function fixedBy(code: string): Promise<string> {
  const file = path.join(dir, `cors-${servers.length}.mjs`);
  await writeFile(file, code);
  const { corsMiddleware } = (await import(pathToFileURL(file).href)) as {
    corsMiddleware: RequestHandler;
  };
  const app = express();
  app.use(corsMiddleware);
  app.use((req, res) => broken(req, res));
  return listen(app);
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(HERE, '.generated-'));
});

afterAll(async () => {
  for (const server of servers) {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  }
  await rm(dir, { recursive: true, force: true });
});

describe("a failing check passes behind its fix's generated Express configuration", () => {
  let base = '';
  beforeAll(async () => {
    base = await listen(broken);
  });

  it.each<[string, Omit<CheckOptions, 'url'>, string, string]>([
    [
      'a GET without CORS headers',
      { origin: 'https://app.example' },
      '/none',
      'MissingAllowOriginHeader',
    ],
    [
      'a credentialed PUT with JSON and an API key, OPTIONS not routed',
      {
        origin: 'https://app.example',
        method: 'PUT',
        credentials: 'include',
        headers: { 'content-type': 'application/json', 'x-api-key': 'k' },
        body: '{}',
      },
      '/orders',
      'PreflightMissingAllowOriginHeader',
    ],
    [
      'a DELETE the preflight does not list',
      { origin: 'https://app.example', method: 'DELETE' },
      '/half',
      'MethodDisallowedByPreflightResponse',
    ],
    [
      "Galxe's CORS Check, OPTIONS not routed",
      { emulate: 'galxe', method: 'POST' },
      '/credential',
      'GalxeInvalidStatus',
    ],
  ])('%s', async (_, options, route, code) => {
    const before = await check({ url: `${base}${route}`, ...options });
    expect(before.verdict).toBe('blocked');
    if (before.verdict !== 'blocked') return;
    const [failure] = before.failures;
    expect(failure.code).toBe(code);
    expect(failure.fix.policy).not.toBeNull();
    const [snippet] = snippetsFor(failure.fix.policy ?? never(), ['express']);
    expect(snippet?.error).toBeNull();

    const fixed = await fixedBy(snippet?.code ?? never());
    const after = await check({ url: `${fixed}${route}`, ...options });
    expect(
      after.verdict,
      JSON.stringify(after.verdict === 'blocked' ? after.failures[0] : after),
    ).toBe('allowed');
  });
});

function never(): never {
  throw new Error('expected a value');
}

/**
 * `check --openapi` and `audit --openapi` end to end: the built CLI against a loopback server
 * that answers each operation of test/fixtures/openapi/cli-api.yaml with a different CORS policy.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { buildCliAsync, ROOT } from './build-cli.js';

const BIN = path.join(ROOT, 'bin/corsproof.js');
const API = path.join(ROOT, 'test/fixtures/openapi/cli-api.yaml');
const ORIGIN = 'http://app.test';

let server: http.Server;
let base = '';
let dir = '';
/** What the server received: method, path and the preflight's Access-Control-Request-Headers. */
let received: { method: string; path: string; acrh: string | undefined }[] = [];

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function cli(args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [BIN, ...args],
      { cwd: ROOT, env: { PATH: process.env.PATH ?? '', NO_COLOR: '1' }, timeout: 60_000 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 99) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

/** Each path its own policy; see the description for the operations. */
function answer(req: http.IncomingMessage, res: http.ServerResponse): void {
  const origin = req.headers.origin ?? '';
  const url = new URL(req.url ?? '/', 'http://x');
  const preflight = req.method === 'OPTIONS';
  if (url.pathname === '/description.yaml') {
    // The description itself, its server relative to where it is fetched from.
    res.writeHead(200, { 'content-type': 'application/yaml' });
    res.end(readFileSync(API, 'utf8').replace('https://api.invalid', '/'));
    return;
  }
  if (url.pathname === '/public') {
    res.writeHead(200, { 'access-control-allow-origin': '*' });
  } else if (url.pathname === '/me' || url.pathname === '/internal/debug') {
    // Reflects any origin, with credentials: callable, and a finding for the audit.
    res.writeHead(preflight ? 204 : 200, {
      'access-control-allow-origin': origin,
      'access-control-allow-credentials': 'true',
      'access-control-allow-methods': 'GET',
      'access-control-allow-headers': 'authorization',
      vary: 'Origin',
    });
  } else if (url.pathname.startsWith('/items')) {
    // The right origin, but no DELETE and no Content-Type: both operations are refused.
    res.writeHead(preflight ? 204 : 200, {
      ...(origin === ORIGIN ? { 'access-control-allow-origin': ORIGIN } : {}),
      'access-control-allow-methods': 'GET, POST',
      'access-control-allow-headers': 'authorization',
      vary: 'Origin',
    });
  } else {
    // /private, /admin/stats and /form: no CORS at all.
    res.writeHead(preflight ? 204 : 200);
  }
  res.end();
}

beforeAll(async () => {
  await buildCliAsync('openapi-cli');
  server = http.createServer((req, res) => {
    const acrh = req.headers['access-control-request-headers'];
    received.push({ method: req.method ?? '', path: req.url ?? '', acrh });
    req.resume();
    answer(req, res);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  dir = await mkdtemp(path.join(os.tmpdir(), 'corsproof-openapi-'));
}, 120_000);

beforeEach(() => {
  received = [];
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
  await rm(dir, { recursive: true, force: true });
});

const common = () => ['--openapi', API, '--origin', ORIGIN, '--base-url', base, '--rate', '1000'];

describe('corsproof check --openapi', () => {
  it('tables what a page can call, groups the causes, and exits 1', async () => {
    const r = await cli(['check', ...common()]);
    expect(r.code).toBe(1);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toBe(`8 operations called from ${ORIGIN}: 3 callable, 4 blocked, 1 not sent`);
    const row = (op: string) => lines.find((l) => l.trimStart().startsWith(op)) ?? '';
    expect(row('GET     /public')).toMatch(/callable\s+getPublic$/);
    expect(row('GET     /me')).toMatch(/callable\s+getMe$/);
    expect(row('POST    /items ')).toMatch(/blocked\s+HeaderDisallowedByPreflightResponse/);
    expect(row('DELETE  /items/{itemId}')).toMatch(/blocked\s+MethodDisallowedByPreflightResponse/);
    expect(row('GET     /private')).toMatch(/blocked\s+PreflightMissingAllowOriginHeader/);
    expect(row('POST    /form')).toMatch(/not sent/);
    expect(r.stdout).toContain(
      'PreflightMissingAllowOriginHeader (2 operations)\n' +
        `  Access to fetch at '${base}/private' from origin '${ORIGIN}' has been blocked by CORS policy: Response to preflight request doesn't pass access control check: No 'Access-Control-Allow-Origin' header is present on the requested resource.`,
    );
    expect(r.stdout).toContain('  GET /private, GET /admin/stats');
    expect(r.stdout).toContain('MethodDisallowedByPreflightResponse (1 operation)');
  });

  it('sends the preflight a browser would, and never a request that could change data', async () => {
    await cli(['check', ...common()]);
    const me = received.find((x) => x.method === 'OPTIONS' && x.path === '/me');
    expect(me?.acrh).toBe('authorization');
    const post = received.find((x) => x.method === 'OPTIONS' && x.path === '/items');
    expect(post?.acrh).toBe('authorization,content-type');
    expect(received.some((x) => x.path === '/items/1')).toBe(true);
    expect(received.filter((x) => !['GET', 'OPTIONS'].includes(x.method))).toEqual([]);
    // A form POST without credentials needs no preflight: nothing was sent for it.
    expect(received.some((x) => x.path === '/form')).toBe(false);
  });

  it('keeps the operations --include and --exclude select', async () => {
    const r = await cli([
      'check',
      ...common(),
      '--include',
      'tag:items',
      '--include',
      '/internal/**',
      '--exclude',
      'tag:admin',
      '--json',
    ]);
    const report = JSON.parse(r.stdout) as {
      total: number;
      counts: Record<string, number>;
      causes: { code: string; operations: string[] }[];
      operations: { method: string; path: string; status: string }[];
    };
    expect(report.operations.map((o) => `${o.method} ${o.path} ${o.status}`)).toEqual([
      'POST /items blocked',
      'GET /internal/debug callable',
    ]);
    expect(report.causes).toMatchObject([
      { code: 'HeaderDisallowedByPreflightResponse', operations: ['POST /items'] },
    ]);
    expect(received.map((x) => x.path).sort()).toEqual([
      '/internal/debug',
      '/internal/debug',
      '/items',
    ]);
  });

  it('fetches a linked description, its servers relative to the link', async () => {
    const r = await cli([
      'check',
      '--openapi',
      `${base}/description.yaml`,
      '--origin',
      ORIGIN,
      '--include',
      '/public',
      '--json',
    ]);
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout) as { operations: { url: string; status: string }[] };
    expect(report.operations).toMatchObject([{ url: `${base}/public`, status: 'callable' }]);
  });

  it('exits 2 with the parser location and what it expected for a bad description', async () => {
    const r = await cli([
      'check',
      '--openapi',
      path.join(ROOT, 'test/fixtures/openapi/broken-path-parameter.yaml'),
      '--origin',
      ORIGIN,
    ]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('is not a valid OpenAPI description');
    expect(r.stderr).toContain('`/paths/things/{thingId}/get` is missing path parameter(s)');
    expect(r.stdout).toBe('');
  });

  it('exits 2 naming --base-url when the description has no usable server', async () => {
    const file = path.join(dir, 'relative.yaml');
    await writeFile(
      file,
      'openapi: 3.0.3\ninfo: { title: t, version: "1" }\nservers: [{ url: /v1 }]\npaths: {}\n',
    );
    const r = await cli(['check', '--openapi', file, '--origin', ORIGIN]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /"\/v1" is not an absolute http\(s\) URL; give the API's address with --base-url/,
    );
  });

  it('exits 2 when nothing is selected, and without --origin', async () => {
    const none = await cli(['check', ...common(), '--include', 'tag:nothing']);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('none kept by --include/--exclude');
    const noOrigin = await cli(['check', '--openapi', API]);
    expect(noOrigin.code).toBe(2);
    expect(noOrigin.stderr).toContain('missing --origin');
  });
});

describe('corsproof audit --openapi', () => {
  const audited = ['--include', '/me', '--include', '/public', '--include', 'tag:items'];

  it('audits each operation and groups the findings they share', async () => {
    const r = await cli(['audit', ...common(), ...audited]);
    expect(r.code).toBe(1);
    expect(r.stdout.split('\n')[0]).toBe(
      `AUDIT  4 operations  (trusted origin ${ORIGIN}, Chromium rules)`,
    );
    expect(r.stdout).toMatch(/\[high\] origin-reflected-any .*\(1 operation\)/);
    expect(r.stdout).toMatch(/ {2}GET\s+\/me\s+\d+ high/);
    // The audit asks each operation's preflight for the operation's own method.
    const asked = received.filter((x) => x.method === 'OPTIONS' && x.path === '/items');
    expect(asked.length).toBeGreaterThan(0);
    expect(received.filter((x) => !['GET', 'OPTIONS'].includes(x.method))).toEqual([]);
  });

  it('gives one SARIF result per operation and finding, naming the operation', async () => {
    const r = await cli(['audit', ...common(), ...audited, '--format', 'sarif']);
    const log = JSON.parse(r.stdout) as {
      runs: {
        results: {
          ruleId: string;
          locations: { logicalLocations: { fullyQualifiedName: string }[] }[];
          partialFingerprints: { corsproofFinding: string };
        }[];
      }[];
    };
    const results = log.runs[0]?.results ?? [];
    const where = results.map(
      (x) => `${x.ruleId} ${x.locations[0]?.logicalLocations[0]?.fullyQualifiedName}`,
    );
    // Credentialed, so high: under the rule of that severity.
    expect(where).toContain('origin-reflected-any/high GET /me');
    const prints = results.map((x) => x.partialFingerprints.corsproofFinding);
    expect(new Set(prints).size).toBe(prints.length);
  });
});

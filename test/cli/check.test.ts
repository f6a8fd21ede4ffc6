/**
 * `corsproof check` end to end: the built CLI (bin/corsproof.js -> dist) spawned against loopback
 * servers, asserting output, exit codes (0 allowed, 1 blocked, 2 usage or network error), --json
 * and batch mode.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHostileServer } from '../hostile/targets.js';
import { buildCliAsync, ROOT } from './build-cli.js';

const BIN = path.join(ROOT, 'bin/corsproof.js');

let server: http.Server;
let base = '';
let dir = '';

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Spawns the CLI asynchronously (the test's own server must keep answering meanwhile). */
function cli(args: string[], env: Record<string, string> = { NO_COLOR: '1' }): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [BIN, ...args],
      { cwd: ROOT, env: { PATH: process.env.PATH ?? '', ...env }, timeout: 20_000 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 99) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

beforeAll(async () => {
  await buildCliAsync('check-cli');
  server = http.createServer((req, res) => {
    const origin = req.headers.origin ?? '';
    const url = req.url ?? '/';
    req.resume();
    if (url.startsWith('/open')) {
      if (req.method === 'OPTIONS') {
        res.writeHead(204, {
          'access-control-allow-origin': origin,
          'access-control-allow-methods': 'PUT',
        });
        return res.end();
      }
      res.writeHead(200, {
        'access-control-allow-origin': origin,
        'content-type': 'application/json',
      });
      return res.end('{}');
    }
    if (url.startsWith('/galxe-get-only')) {
      // Galxe's preflight passes for GET only: POST is not among the allowed methods.
      res.writeHead(req.method === 'OPTIONS' ? 204 : 200, {
        'access-control-allow-origin': '*',
        'access-control-allow-methods': 'GET, OPTIONS',
      });
      return res.end();
    }
    // /closed: no CORS at all.
    res.writeHead(req.method === 'OPTIONS' ? 405 : 200, { 'content-type': 'text/plain' });
    res.end('no');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  dir = await mkdtemp(path.join(os.tmpdir(), 'corsproof-cli-'));
}, 120_000);

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
  await rm(dir, { recursive: true, force: true });
});

const ORIGIN = 'http://app.test';

describe('corsproof check <url>', () => {
  it('exits 0 and says ALLOWED for an allowed request', async () => {
    const r = await cli(['check', `${base}/open`, '--origin', ORIGIN]);
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n')[0]).toBe(`ALLOWED  GET ${base}/open from ${ORIGIN} (Chromium)`);
    expect(r.stdout).toContain('Reproduce with curl:');
    expect(r.stdout).not.toContain('\u001b[');
  });

  it('exits 1 with the exchange, the console message, why, and the fix', async () => {
    const r = await cli([
      'check',
      `${base}/closed`,
      '--origin',
      ORIGIN,
      '-X',
      'PUT',
      '-H',
      'X-Api-Key: k',
      '--fix-for',
      'express,cors',
    ]);
    expect(r.code).toBe(1);
    expect(r.stdout.split('\n')[0]).toBe(`BLOCKED  PUT ${base}/closed from ${ORIGIN} (Chromium)`);
    expect(r.stdout).toContain('1. OPTIONS');
    expect(r.stdout).toContain('> Access-Control-Request-Headers: x-api-key');
    expect(r.stdout).toContain('(no access-control-allow-origin header)  <-- decisive');
    expect(r.stdout).toContain(
      `Access to fetch at '${base}/closed' from origin '${ORIGIN}' has been blocked by CORS policy: Response to preflight request doesn't pass access control check: No 'Access-Control-Allow-Origin' header is present on the requested resource.`,
    );
    expect(r.stdout).toContain('Why:');
    expect(r.stdout).toContain(`Access-Control-Allow-Origin: ${ORIGIN}`);
    expect(r.stdout).toContain("import { cors } from 'corsproof/express';");
    expect(r.stdout).toContain("import cors from 'cors';");
    expect(r.stdout).toContain("requestHeaders: ['x-api-key'],");
  });

  it('renders each fix with the generators: --fix-for in text, the default targets in --json', async () => {
    const args = ['check', `${base}/closed`, '--origin', ORIGIN, '-X', 'PUT', '--no-curl'];
    const text = await cli([...args, '--fix-for', 'nginx,flask']);
    expect(text.stdout).toContain('nginx (cors.conf):');
    expect(text.stdout).toContain('flask (cors_settings.py):');
    expect(text.stdout).toMatch(/! flask: Flask answers preflights/);
    const json = await cli([...args, '--json']);
    const result = JSON.parse(json.stdout) as {
      failures: { fix: { policy: unknown; snippets: { target: string }[] } }[];
    };
    expect(result.failures[0]?.fix.policy).toEqual({
      origin: ORIGIN,
      credentials: false,
      methods: ['PUT'],
      requestHeaders: [],
    });
    expect(result.failures[0]?.fix.snippets.map((s) => s.target)).toEqual([
      'express',
      'nginx',
      'caddy',
      'flask',
      'fastapi',
      'aspnetcore',
    ]);
  });

  it('prints the full result with --json', async () => {
    const r = await cli([
      'check',
      `${base}/open`,
      '--origin',
      ORIGIN,
      '-X',
      'PUT',
      '--data',
      'x',
      '--json',
    ]);
    expect(r.code).toBe(0);
    const result = JSON.parse(r.stdout);
    expect(result).toMatchObject({
      verdict: 'allowed',
      allowed: true,
      browser: 'chromium',
      scope: 'full',
    });
    expect(result.steps.map((s: { kind: string }) => s.kind)).toEqual(['preflight', 'request']);
    expect(result.curl).toHaveLength(2);
  });

  it('covers only the preflight with --preflight-only', async () => {
    const r = await cli([
      'check',
      `${base}/open`,
      '--origin',
      ORIGIN,
      '-X',
      'PUT',
      '--preflight-only',
      '--json',
    ]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ scope: 'preflight-only', response: null });
  });

  it("runs Galxe's check with --galxe and explains the trap", async () => {
    const r = await cli(['check', `${base}/closed`, '--galxe', '--no-curl']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("(Galxe's CORS Check)");
    expect(r.stdout).toContain('GalxeInvalidStatus');
  });

  it("runs both of Galxe's probes with --galxe, and fails when POST does", async () => {
    const r = await cli(['check', `${base}/galxe-get-only`, '--galxe', '--no-curl']);
    expect(r.code).toBe(1);
    const lines = r.stdout.split('\n');
    expect(lines.filter((l) => /^(ALLOWED|BLOCKED) /.test(l))).toEqual([
      `ALLOWED  GET ${base}/galxe-get-only from https://dashboard.galxe.com (Galxe's CORS Check)`,
      `BLOCKED  POST ${base}/galxe-get-only from https://dashboard.galxe.com (Galxe's CORS Check)`,
    ]);
    expect(r.stdout).toContain('GalxeMethodNotAllowed');
    expect(lines.at(-2)).toBe("Galxe's CORS Check: FAILED (GET passed, POST blocked)");
  });

  it('takes --emulate galxe as --galxe, and lists the emulations in --help', async () => {
    const r = await cli(['check', `${base}/galxe-get-only`, '--emulate', 'galxe', '--no-curl']);
    expect(r.code).toBe(1);
    expect(r.stdout.split('\n').at(-2)).toBe(
      "Galxe's CORS Check: FAILED (GET passed, POST blocked)",
    );
    const help = await cli(['check', '--help']);
    expect(help.stdout).toMatch(/--emulate <id>[\s\S]*galxe \(Galxe's CORS Check/);
  });

  it('runs only the probe -X picks, and --json gives both with the overall verdict', async () => {
    const get = await cli(['check', `${base}/galxe-get-only`, '--galxe', '-X', 'GET']);
    expect(get.code).toBe(0);
    expect(get.stdout.match(/^(ALLOWED|BLOCKED) .*$/gm)).toEqual([
      `ALLOWED  GET ${base}/galxe-get-only from https://dashboard.galxe.com (Galxe's CORS Check)`,
    ]);
    expect(get.stdout).not.toContain("Galxe's CORS Check: ");
    const json = await cli(['check', `${base}/galxe-get-only`, '--galxe', '--json']);
    expect(json.code).toBe(1);
    const parsed = JSON.parse(json.stdout) as {
      verdict: string;
      results: { verdict: string; plan: { method: string } }[];
    };
    expect(parsed.verdict).toBe('blocked');
    expect(parsed.results.map((r) => [r.plan.method, r.verdict])).toEqual([
      ['GET', 'allowed'],
      ['POST', 'blocked'],
    ]);
  });

  it('exits 2 on a network error, with no CORS verdict', async () => {
    const r = await cli([
      'check',
      'http://127.0.0.1:59998/x',
      '--origin',
      ORIGIN,
      '--timeout',
      '3000',
    ]);
    expect(r.code).toBe(2);
    expect(r.stdout.split('\n')[0]).toMatch(/^ERROR {2}GET .*The server refused the connection/);
  });

  it('exits 2 at the --deadline of a dripping target, naming the deadline', async () => {
    const hostile = await startHostileServer();
    try {
      const r = await cli([
        'check',
        `${hostile.base}/drip`,
        '--origin',
        ORIGIN,
        '--deadline',
        '300',
      ]);
      expect(r.code).toBe(2);
      expect(r.stdout).toContain('ran past its deadline of 300 ms (deadlineMs, --deadline)');
    } finally {
      await hostile.close();
    }
  });

  it('connects a name to the address --resolve gives, and the curl commands say so', async () => {
    const port = new URL(base).port;
    const url = `http://api.resolve.test:${port}/open`;
    const r = await cli([
      'check',
      url,
      '--origin',
      ORIGIN,
      '--resolve',
      `api.resolve.test:${port}:127.0.0.1`,
    ]);
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n')[0]).toBe(`ALLOWED  GET ${url} from ${ORIGIN} (Chromium)`);
    expect(r.stdout).toContain(`curl -sS -i --resolve api.resolve.test:${port}:127.0.0.1 ${url}`);
  });

  it('refuses a --cacert it cannot read, and --resolve with --proxy (exit 2)', async () => {
    const missing = await cli([
      'check',
      `${base}/open`,
      '--origin',
      ORIGIN,
      '--cacert',
      'no/such/ca.pem',
    ]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('--cacert: cannot read "no/such/ca.pem"');
    const both = await cli([
      'check',
      `${base}/open`,
      '--origin',
      ORIGIN,
      '--proxy',
      'http://127.0.0.1:9',
      '--resolve',
      'api.test:80:127.0.0.1',
    ]);
    expect(both.code).toBe(2);
    expect(both.stderr).toContain('--resolve cannot be used with a proxy');
  });

  it('refuses a --resolve that is not HOST:PORT:ADDRESS (exit 2)', async () => {
    const r = await cli([
      'check',
      `${base}/open`,
      '--origin',
      ORIGIN,
      '--resolve',
      'api.test:localhost',
    ]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('is not HOST:PORT:ADDRESS; write it as curl does');
    const bad = await cli([
      'check',
      `${base}/open`,
      '--origin',
      ORIGIN,
      '--resolve',
      'api.test:443:999.1.1.1',
    ]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('which is not an IPv4 or IPv6 address');
  });

  it('colours on request (FORCE_COLOR), never with NO_COLOR', async () => {
    const coloured = await cli(['check', `${base}/open`, '--origin', ORIGIN], { FORCE_COLOR: '1' });
    expect(coloured.stdout).toContain('\u001b[32m');
    const plain = await cli(['check', `${base}/open`, '--origin', ORIGIN], {
      FORCE_COLOR: '1',
      NO_COLOR: '1',
    });
    expect(plain.stdout).not.toContain('\u001b[');
  });

  it.each([
    [['check', 'http://x.test/'], /missing --origin/],
    [['check', '--origin', ORIGIN], /missing the URL/],
    [
      ['check', 'http://x.test/', '--origin', 'https://app.test/'],
      /corsproof: "https:\/\/app\.test\/" is not an origin/,
    ],
    [
      ['check', 'http://x.test/', '--origin', ORIGIN, '-X', 'TRACE'],
      /'TRACE' HTTP method is unsupported/,
    ],
    [
      ['check', 'http://x.test/', '--origin', ORIGIN, '-H', 'nocolon'],
      /is not a header; write it as 'Name: value'/,
    ],
    [
      ['check', 'http://x.test/', '--origin', ORIGIN, '--browser', 'safari'],
      /Allowed choices are chromium, firefox/,
    ],
    [
      ['check', 'http://x.test/', '--origin', ORIGIN, '--timeout', 'soon'],
      /expected a whole number/,
    ],
    [['check', 'http://x.test/', '--emulate', 'zealy'], /Allowed choices are galxe/],
    [
      ['check', 'http://x.test/', '--origin', ORIGIN, '--fix-for', 'nginx,iis'],
      /no generator for iis; name one or more of nginx, apache/,
    ],
    [['check', 'http://x.test/', '--emulate', 'zealy', '--galxe'], /Allowed choices are galxe/],
    [['check', 'http://x.test/', '--origin', ORIGIN, '--bogus'], /unknown option '--bogus'/],
    [['check', 'not a url', '--origin', ORIGIN], /is not an absolute URL/],
    [['check', '--input', '/nonexistent/file.jsonl'], /cannot read --input/],
  ])('exits 2 with a clear message for %j', async (args, message) => {
    const r = await cli(args);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/at .*\.js:\d+/); // no stack trace
  });
});

describe('corsproof check --input (batch)', () => {
  it('streams JSON lines, reports bad lines, and summarizes on stderr', async () => {
    const file = path.join(dir, 'batch.jsonl');
    await writeFile(
      file,
      [
        JSON.stringify({ url: `${base}/open` }),
        JSON.stringify({ url: `${base}/closed`, method: 'PUT' }),
        'not json',
        JSON.stringify({
          url: `${base}/open`,
          origin: 'https://other.test',
          headers: { 'X-A': '1' },
        }),
      ].join('\n'),
    );
    const r = await cli(['check', '--input', file, '--origin', ORIGIN, '--concurrency', '2']);
    expect(r.code).toBe(2); // an invalid line is a usage error
    const records = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    const byLine = new Map(records.map((rec) => [rec.line, rec]));
    expect(byLine.get(1)).toMatchObject({
      verdict: 'allowed',
      result: { plan: { origin: ORIGIN } },
    });
    expect(byLine.get(2)).toMatchObject({ verdict: 'blocked' });
    expect(byLine.get(3)).toMatchObject({
      error: { code: 'INVALID_INPUT', message: expect.stringContaining('line 3') },
    });
    expect(byLine.get(4)).toMatchObject({
      verdict: 'blocked',
      result: { plan: { origin: 'https://other.test' } },
    });
    expect(r.stderr).toContain(
      '4 checks: 1 allowed, 2 blocked, 0 network errors, 0 inconclusive, 1 invalid input',
    );
  });

  it('reads CSV and exits 1 when something is blocked', async () => {
    const file = path.join(dir, 'batch.csv');
    await writeFile(
      file,
      `url,origin,method,headers\n${base}/open,${ORIGIN},GET,\n${base}/closed,${ORIGIN},GET,X-A: 1\n`,
    );
    const r = await cli(['check', '--input', file]);
    expect(r.code).toBe(1);
    expect(r.stdout.trim().split('\n')).toHaveLength(2);
  });

  it('exits 0 when every check is allowed', async () => {
    const file = path.join(dir, 'ok.jsonl');
    await writeFile(file, `${JSON.stringify({ url: `${base}/open`, origin: ORIGIN })}\n`);
    const r = await cli(['check', '--input', file]);
    expect(r.code).toBe(0);
  });
});

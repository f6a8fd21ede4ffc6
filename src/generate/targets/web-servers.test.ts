/**
 * What each web server configuration must get right, read from the text: the traps of each
 * server. That the configurations also behave as the policy says is proven against the real
 * servers in test/servers/web-servers.test.ts, and the plan behind them against the engine in
 * src/generate/_plan.test.ts.
 */

import { parsePolicyFile } from 'corsproof';
import { describe, expect, it } from 'vitest';
import { GenerateError } from '../target.js';
import { apache } from './apache.js';
import { caddy } from './caddy.js';
import { haproxy } from './haproxy.js';
import { nginx } from './nginx.js';

const TABLE = parsePolicyFile({
  default: { origins: ['https://app.example.com'] },
  policies: { public: { origins: '*' } },
  paths: {
    '/admin/*': false,
    '/public/*': 'public',
    '/orders/:id': { origins: ['https://*.example.com'], credentials: true, methods: ['PUT'] },
  },
});
const ONE = parsePolicyFile({
  origins: ['https://app.example.com', 'http://localhost:*'],
  credentials: true,
  methods: ['PUT'],
  requestHeaders: ['Content-Type'],
  exposeHeaders: ['X-Request-Id'],
  maxAge: 600,
  privateNetwork: true,
  preflightStatus: 200,
});

const lines = (text: string) => text.split('\n').filter((l) => !l.trimStart().startsWith('#'));

describe('nginx', () => {
  const { config } = nginx.generate(TABLE);

  it('adds every header with always, at server level, never inside an if block', () => {
    const adds = lines(config).filter((l) => l.includes('add_header'));
    expect(adds.length).toBeGreaterThan(5);
    for (const line of adds) expect(line).toMatch(/^add_header [A-Za-z-]+ \$cors_\w+ always;$/);
  });

  it('anchors origin regexes and escapes their dots', () => {
    expect(config).toContain('^default (?:https://app\\.example\\.com)$');
    expect(config).not.toMatch(/example\.com/);
  });

  it('answers accepted preflights with the status and no body, refused ones with 403', () => {
    expect(config).toMatch(/return 204 "";/);
    expect(config).toMatch(/return 403 "";/);
    expect(nginx.generate(ONE).config).toMatch(/return 200 "";/);
  });

  it('matches paths on the request line as sent, not the decoded $uri', () => {
    expect(config).toContain('if ($request_uri ~');
    expect(lines(config).join('\n')).not.toContain('$uri ');
  });
});

describe('apache', () => {
  const { config } = apache.generate(ONE);

  it('sets every header with Header always, and merges Vary', () => {
    const headers = lines(config).filter((l) => l.startsWith('Header '));
    for (const line of headers) expect(line).toMatch(/^Header always (set|merge) /);
    expect(headers.filter((l) => l.includes(' Vary '))).toHaveLength(2);
    expect(headers.filter((l) => l.includes(' Vary ')).every((l) => l.includes('merge'))).toBe(
      true,
    );
  });

  it('reads request headers with req_novary, so conditions add nothing to Vary', () => {
    expect(config).not.toMatch(/[^_]req\(|%\{HTTP:/);
    expect(config).toContain("req_novary('Origin')");
  });

  it('answers preflights from mod_rewrite with the policy status or 403', () => {
    expect(config).toContain('RewriteRule ^ - [R=200,L]');
    expect(config).toContain('RewriteRule ^ - [R=403,L]');
  });

  it('refuses the default port in any-port patterns', () => {
    // http://localhost:* allows no ":80", which no browser sends and the engine refuses.
    const anyPort = /http:\/\/localhost\(\?::\(\?:([^)]*)\)\)\?/.exec(config)?.[1] ?? '';
    const ports = new RegExp(`^(?:${anyPort})$`);
    expect([
      ports.test('80'),
      ports.test('8080'),
      ports.test('65535'),
      ports.test('65536'),
    ]).toEqual([false, true, true, false]);
  });
});

describe('caddy', () => {
  const { config } = caddy.generate(TABLE);

  it('runs everything in one route, in the order written', () => {
    expect(config).toMatch(/\nroute \{\n[\s\S]*\n\}\n$/);
  });

  it('adds Vary with +Vary, keeping the application one', () => {
    expect(config).toContain('+Vary Origin');
    expect(config).not.toMatch(/header @\w+ Vary/);
  });

  it('matches paths on {uri}, the target as sent, with no CORS for unreadable paths', () => {
    expect(config).toContain('map {uri} {cors_policy} {');
    expect(config).toMatch(/~\^\(\?:\[\^\?\]\*.* none\n/);
  });
});

describe('haproxy', () => {
  const { config } = haproxy.generate(ONE);

  it('sets headers with http-after-response, so HAProxy answers carry them too', () => {
    expect(config).not.toMatch(/^http-response /m);
    expect(config).toMatch(/^http-after-response set-header Access-Control-Allow-Origin /m);
    expect(config).toMatch(/^http-after-response add-header Vary /m);
  });

  it('reads whole header values with req.fhdr, which does not split on commas', () => {
    expect(config).not.toMatch(/req\.hdr\(/);
  });

  it('answers preflights with http-request return', () => {
    expect(config).toMatch(/^http-request return status 200 if /m);
    expect(config).toMatch(/^http-request return status 403 if /m);
  });
});

describe('every web server target', () => {
  for (const target of [nginx, apache, caddy, haproxy]) {
    it(`${target.name}: refuses an origins function, naming where and what to write`, () => {
      const file = parsePolicyFile({ origins: () => true } as never);
      expect(() => target.generate(file)).toThrow(GenerateError);
      expect(() => target.generate(file)).toThrow(/default\.origins.*Fix: list the origins/);
    });

    it(`${target.name}: writes a run script that starts the server in the foreground`, () => {
      const files = target.standalone?.(ONE, { port: 8123 }) ?? [];
      const run = files.find((f) => f.path === 'run');
      expect(run?.executable).toBe(true);
      expect(run?.contents).toMatch(/^#!\/bin\/sh\n/);
      expect(run?.contents).toMatch(/\nexec /);
      expect(files.some((f) => f.contents.includes('127.0.0.1:8123'))).toBe(true);
      expect(files.some((f) => f.contents === target.generate(ONE).config)).toBe(true);
    });
  }
});

import { describe, expect, it } from 'vitest';
import { fixFor } from './failures/describe.js';
import type { FailureContext } from './failures/detail.js';
import { snippetsFor } from './fixes.js';
import { CHROMIUM } from './profiles.js';

const ctx: FailureContext = {
  profile: CHROMIUM,
  pageOrigin: 'https://app.example',
  requestOrigin: 'https://app.example',
  firstUrl: 'https://api.example/a',
  url: 'https://api.example/a',
  hop: 0,
  method: 'PUT',
  credentials: 'include',
  unsafeHeaderNames: ['content-type', 'x-api-key'],
  step: 0,
};

describe('snippetsFor', () => {
  const snippets = snippetsFor({
    origin: 'https://app.example',
    credentials: true,
    methods: ['PUT'],
    headers: ['x-api-key'],
  });
  const code = (framework: string) => snippets.find((s) => s.framework === framework)?.code ?? '';

  it('allows exactly the page origin, method and headers, in every framework', () => {
    for (const s of snippets) {
      expect(s.code, s.label).toContain('https://app.example');
      expect(s.code, s.label).toContain('PUT');
      expect(s.code, s.label).toContain('x-api-key');
      expect(s.code, s.label).not.toMatch(/origin: true|reflect/i);
    }
  });

  it('uses each library option names', () => {
    expect(code('corsproof')).toContain("origins: ['https://app.example']");
    expect(code('corsproof')).toContain("requestHeaders: ['x-api-key']");
    expect(code('express')).toContain("allowedHeaders: ['x-api-key']");
    expect(code('fastify')).toContain('await fastify.register(cors, {');
    expect(code('koa')).toContain("allowMethods: ['GET', 'HEAD', 'POST', 'PUT']");
    expect(code('hono')).toContain("import { cors } from 'hono/cors';");
    expect(code('nginx')).toContain('add_header Access-Control-Allow-Credentials "true" always;');
    expect(code('nginx')).toContain('add_header Vary "Origin" always;');
    expect(code('flask')).toContain('supports_credentials=True');
    expect(code('aspnetcore')).toContain('.AllowCredentials()));');
  });

  it('leaves credentials out when not needed', () => {
    const plain = snippetsFor({ origin: '*', credentials: false, methods: [], headers: [] });
    expect(plain.map((s) => s.code).join('\n')).not.toMatch(/credentials|Credentials/);
  });
});

describe('fixFor', () => {
  it('names the header and value to add', () => {
    const fix = fixFor(
      {
        code: 'HeaderDisallowedByPreflightResponse',
        header: 'content-type',
        disallowed: ['content-type', 'x-api-key'],
        allowHeaders: [],
        wildcardIgnored: false,
      },
      ctx,
    );
    expect(fix).toMatchObject({
      where: 'preflight',
      header: { name: 'Access-Control-Allow-Headers', value: 'content-type, x-api-key' },
    });
    expect(fix.snippets).toHaveLength(8);
  });

  it('never suggests trusting null for a tainted credentialed request', () => {
    const fix = fixFor(
      {
        code: 'AllowOriginMismatch',
        allowOrigin: 'https://app.example',
        allowCredentials: 'true',
        status: 200,
      },
      { ...ctx, requestOrigin: 'null', hop: 1 },
    );
    expect(fix.summary).toContain('Call the final URL directly');
    expect(fix.snippets).toEqual([]);
  });

  it('suggests * (not null) for a tainted request without credentials', () => {
    const fix = fixFor(
      { code: 'MissingAllowOriginHeader', allowOrigin: null, allowCredentials: null, status: 200 },
      { ...ctx, credentials: 'omit', requestOrigin: 'null', hop: 1 },
    );
    expect(fix.header).toEqual({ name: 'Access-Control-Allow-Origin', value: '*' });
    expect(fix.summary).toContain('never trust `null`');
  });

  it('sends the page to the final URL for a redirected preflight', () => {
    expect(fixFor({ code: 'PreflightDisallowedRedirect', status: 301 }, ctx)).toMatchObject({
      where: 'client',
      snippets: [],
    });
  });
});

/**
 * The express, fastify, koa, hono and workers targets write the policy file back as the options
 * corsproof's adapters take, so what they generate must compile to the very same policies. That
 * the servers built from them conform is proven in test/servers/node-targets.test.ts.
 */

import type { CorsOptions } from 'corsproof';
import { compilePolicy, parsePolicyFile } from 'corsproof';
import { describe, expect, it } from 'vitest';
import { type GeneratedFile, GenerateError } from '../target.js';
import { jsLiteral, nodePolicies, policyOptions } from './_node.js';
import { express } from './express.js';
import { fastify } from './fastify.js';
import { hono } from './hono.js';
import { koa } from './koa.js';
import { workers } from './workers.js';

const TABLE = {
  default: { origins: ['https://app.example.com'], maxAge: 600 },
  policies: { public: { origins: '*' as const }, closed: false as const },
  paths: {
    '/admin/*': false as const,
    '/public/*': 'public',
    "/o'reilly/:id": { origins: ['https://*.example.com'], credentials: true, methods: ['PUT'] },
  },
};

describe('policy options written back', () => {
  it('compile to the same normalized policy, defaults left out', () => {
    const policy = compilePolicy({
      origins: ['https://app.example.com', 'http://localhost:*'],
      credentials: true,
      methods: ['PUT'],
      requestHeaders: ['Content-Type'],
      exposeHeaders: ['X-Request-Id'],
      maxAge: 0,
      privateNetwork: true,
      preflightStatus: 200,
    });
    const options = policyOptions('express', policy, 'default') as unknown as CorsOptions;
    expect(compilePolicy(options).toJSON()).toEqual(policy.toJSON());
    expect(policyOptions('express', compilePolicy({ origins: '*' }), 'default')).toEqual({
      origins: '*',
    });
  });

  it('keep the dangerouslyAllow opt-ins the policy needs, and only those', () => {
    const options = policyOptions(
      'koa',
      compilePolicy({
        origins: ['http://intranet.example', 'https://*.github.io'],
        credentials: true,
        dangerouslyAllowInsecureOrigins: true,
        dangerouslyAllowPublicSuffixWildcards: true,
      }),
      'default',
    ) as unknown as CorsOptions;
    expect(options.dangerouslyAllowInsecureOrigins).toBe(true);
    expect(options.dangerouslyAllowPublicSuffixWildcards).toBe(true);
    expect(() => compilePolicy(options)).not.toThrow();
    const plain = policyOptions(
      'koa',
      compilePolicy({ origins: ['http://localhost:3000'], credentials: true }),
      'default',
    );
    expect(plain).not.toHaveProperty('dangerouslyAllowInsecureOrigins');
  });

  it('refuse an origins function, naming where it is and what to do', () => {
    const policy = compilePolicy({ origins: () => true });
    expect(() => policyOptions('hono', policy, 'policies.tenants')).toThrow(GenerateError);
    expect(() => policyOptions('hono', policy, 'policies.tenants')).toThrow(
      /corsproof: cannot generate hono configuration for policies\.tenants\.origins: .*Fix: list the origins/,
    );
  });

  it('keep a path table in its order, with names, inline policies and false', () => {
    const { single, registry, paths } = nodePolicies('express', parsePolicyFile(TABLE));
    expect(single).toBeNull();
    expect(Object.keys(paths ?? {})).toEqual(['/admin/*', '/public/*', "/o'reilly/:id"]);
    expect(paths?.['/admin/*']).toBe(false);
    expect(paths?.['/public/*']).toBe('public');
    expect(registry?.policies).toEqual({ public: { origins: '*' }, closed: false });
  });
});

describe('JavaScript literals', () => {
  it('quote keys that are not identifiers and escape quotes in strings', () => {
    const source = jsLiteral({ "/o'reilly/*": 'it\'s "ok"\n', plain: [1, true, null] });
    expect(source).toBe(`{\n  '/o\\'reilly/*': 'it\\'s "ok"\\n',\n  plain: [1, true, null],\n}`);
    // biome-ignore lint/security/noGlobalEval: evaluating the generated literal is the point
    expect(eval(`(${source})`)).toEqual({ "/o'reilly/*": 'it\'s "ok"\n', plain: [1, true, null] });
  });
});

describe.each([express, koa, hono, workers])('the $name module', (target) => {
  it('uses cors(policy) for one policy and corsPolicies(...).paths(...) for a table', () => {
    const one = target.generate(parsePolicyFile({ origins: ['https://app.example.com'] }));
    expect(one.config).toMatch(/^import \{ cors \} from 'corsproof\/(express|koa|hono|fetch)';$/m);
    expect(one.config).toContain("origins: ['https://app.example.com'],");
    expect(one.warnings).toEqual([]);
    const table = target.generate(parsePolicyFile(TABLE)).config;
    expect(table).toContain('export const policies = corsPolicies({');
    expect(table).toMatch(
      /= policies\.paths\(\{\n {2}'\/admin\/\*': false,\n {2}'\/public\/\*': 'public',/,
    );
  });
});

describe('the fastify module', () => {
  it('exports the plugin options: one policy as is, a table under default, policies and paths', () => {
    const one = fastify.generate(parsePolicyFile({ origins: '*', maxAge: 60 })).config;
    expect(one).toContain("export const corsOptions = {\n  origins: '*',\n  maxAge: 60,\n};");
    const none = fastify.generate(parsePolicyFile({ default: false })).config;
    expect(none).toContain('export const corsOptions = {\n  default: false,\n};');
    const table = fastify.generate(parsePolicyFile(TABLE)).config;
    expect(table).toMatch(/export const corsOptions = \{\n {2}default: \{/);
    expect(table).toContain("  paths: {\n    '/admin/*': false,");
  });
});

describe('standalone examples', () => {
  it('run node server.mjs on the port, finding packages in node_modules or CORSPROOF_NODE_MODULES', () => {
    const files: readonly GeneratedFile[] =
      express.standalone?.(parsePolicyFile({ origins: '*' }), { port: 8123 }) ?? [];
    const byPath = new Map(files.map((f) => [f.path, f]));
    expect([...byPath.keys()].sort()).toEqual(['cors.mjs', 'package.json', 'run', 'server.mjs']);
    expect(byPath.get('run')?.executable).toBe(true);
    expect(byPath.get('run')?.contents).toContain('ln -s "$entry" node_modules/');
    // corsproof comes from that folder like every other package (a workspace link in a clone).
    expect(byPath.get('run')?.contents).not.toContain('node_modules/corsproof');
    expect(byPath.get('run')?.contents).toMatch(/exec node server\.mjs\n$/);
    expect(byPath.get('server.mjs')?.contents).toContain("app.listen(PORT, '127.0.0.1'");
    expect(byPath.get('server.mjs')?.contents).toContain('const PORT = 8123;');
    expect(JSON.parse(byPath.get('package.json')?.contents ?? '{}').dependencies).toEqual({
      corsproof: '^0.1.0',
      express: '^5.0.0',
    });
  });
});

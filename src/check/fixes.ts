/**
 * The vocabulary of fixes: the policy a request needs, the fix a server must make (with the
 * configuration that makes the whole request pass in the usual server frameworks), and the fix
 * that is not about headers. Snippets allow exactly the page origin, method and headers of the
 * request checked: never a "reflect every origin" shortcut.
 */
import { isSafelistedMethod } from 'corsproof/spec';
import type { Fix, Snippet } from './result.js';

/** What the server must allow for this request, and nothing more. */
export interface NeededPolicy {
  /** The page origin, or `*` when only a wildcard can work (a tainted `null` origin). */
  readonly origin: string;
  readonly credentials: boolean;
  /** Methods beyond GET, HEAD and POST. */
  readonly methods: readonly string[];
  /** Request headers to allow (lower-case). */
  readonly headers: readonly string[];
}

/**
 * A header to change on the server, with a snippet per framework that allows exactly `policy`;
 * for a credentialed request with a tainted origin, the one advice that is safe instead.
 */
export function serverFix(
  policy: NeededPolicy,
  summary: string,
  where: Fix['where'],
  header: Fix['header'],
): Fix {
  const taintedWithCredentials = policy.origin === '*' && policy.credentials;
  return {
    summary: taintedWithCredentials ? TAINTED_WITH_CREDENTIALS : summary,
    where,
    header,
    snippets: taintedWithCredentials ? [] : snippetsFor(policy),
  };
}

/** A fix that is not about a CORS header, so no snippet helps. */
export function plainFix(summary: string, where: Fix['where']): Fix {
  return { summary, where, header: null, snippets: [] };
}

/** What to do when the origin is tainted and `*` is the only answer (empty otherwise). */
export function taintedOriginFix(policy: NeededPolicy): string {
  return policy.origin === '*'
    ? ' The request reaches this URL through a cross-origin redirect, so its origin is `null`: call the final URL directly (best), or answer `Access-Control-Allow-Origin: *` (never trust `null`, which any sandboxed page can send).'
    : '';
}

const TAINTED_WITH_CREDENTIALS =
  'This credentialed request reaches the URL through a cross-origin redirect, so its origin is `null`, and no safe answer exists (`*` is refused with credentials, and trusting `null` lets any sandboxed page in). Call the final URL directly from the page.';

/** The items as a header list value, or `fallback` when there are none. */
export function listValue(items: readonly string[], fallback: string): string {
  return items.length > 0 ? items.join(', ') : fallback;
}

const js = (s: string) => JSON.stringify(s).replace(/"/g, "'");
const jsList = (items: readonly string[]) => `[${items.map(js).join(', ')}]`;

/**
 * Configuration for each framework that allows exactly `policy`.
 *
 * @example
 * snippetsFor({ origin: 'https://app.example', credentials: true, methods: ['PUT'], headers: ['x-api-key'] })
 *   .find((s) => s.framework === 'express')?.code
 * // app.use(cors({ origin: 'https://app.example', credentials: true, methods: [...], ... }))
 */
export function snippetsFor(policy: NeededPolicy): Snippet[] {
  const star = policy.origin === '*';
  const methods = ['GET', 'HEAD', 'POST', ...policy.methods.filter((m) => !isSafelistedMethod(m))];
  const headers = policy.headers;
  const cred = policy.credentials;
  const lines = (items: (string | false)[]) => items.filter((x): x is string => x !== false);

  const corsproof = lines([
    "import { withCors } from 'corsproof/node';",
    '',
    'const server = http.createServer(',
    '  withCors(',
    '    {',
    `      origins: ${star ? "'*'" : jsList([policy.origin])},`,
    cred && '      credentials: true,',
    policy.methods.length > 0 && `      methods: ${jsList(policy.methods)},`,
    headers.length > 0 && `      requestHeaders: ${jsList(headers)},`,
    '    },',
    '    handler,',
    '  ),',
    ');',
  ]);
  const express = lines([
    "import cors from 'cors';",
    '',
    '// Before the routes (and before authentication), so OPTIONS preflights are answered.',
    'app.use(',
    '  cors({',
    `    origin: ${js(policy.origin)},`,
    cred && '    credentials: true,',
    `    methods: ${jsList(methods)},`,
    headers.length > 0 && `    allowedHeaders: ${jsList(headers)},`,
    '  }),',
    ');',
  ]);
  const fastify = lines([
    "import cors from '@fastify/cors';",
    '',
    'await fastify.register(cors, {',
    `  origin: ${js(policy.origin)},`,
    cred && '  credentials: true,',
    `  methods: ${jsList(methods)},`,
    headers.length > 0 && `  allowedHeaders: ${jsList(headers)},`,
    '});',
  ]);
  const koa = lines([
    "import cors from '@koa/cors';",
    '',
    'app.use(',
    '  cors({',
    `    origin: ${js(policy.origin)},`,
    cred && '    credentials: true,',
    `    allowMethods: ${jsList(methods)},`,
    headers.length > 0 && `    allowHeaders: ${jsList(headers)},`,
    '  }),',
    ');',
  ]);
  const hono = lines([
    "import { cors } from 'hono/cors';",
    '',
    'app.use(',
    "  '*',",
    '  cors({',
    `    origin: ${js(policy.origin)},`,
    cred && '    credentials: true,',
    `    allowMethods: ${jsList(methods)},`,
    headers.length > 0 && `    allowHeaders: ${jsList(headers)},`,
    '  }),',
    ');',
  ]);
  const common = lines([
    `add_header Access-Control-Allow-Origin "${policy.origin}" always;`,
    cred && 'add_header Access-Control-Allow-Credentials "true" always;',
    !star && 'add_header Vary "Origin" always;',
  ]);
  const nginx = lines([
    'location /api/ {',
    '    if ($request_method = OPTIONS) {',
    ...common.map((l) => `        ${l}`),
    `        add_header Access-Control-Allow-Methods "${methods.join(', ')}" always;`,
    headers.length > 0 &&
      `        add_header Access-Control-Allow-Headers "${headers.join(', ')}" always;`,
    '        add_header Access-Control-Max-Age "7200" always;',
    '        return 204;',
    '    }',
    ...common.map((l) => `    ${l}`),
    '    proxy_pass http://backend;',
    '}',
  ]);
  const py = (items: readonly string[]) => `[${items.map((s) => JSON.stringify(s)).join(', ')}]`;
  const flask = lines([
    'from flask_cors import CORS',
    '',
    'CORS(',
    '    app,',
    `    origins=${star ? '"*"' : py([policy.origin])},`,
    cred && '    supports_credentials=True,',
    `    methods=${py(methods)},`,
    headers.length > 0 && `    allow_headers=${py(headers)},`,
    ')',
  ]);
  const cs = (items: readonly string[]) => items.map((s) => JSON.stringify(s)).join(', ');
  const aspnet = lines([
    'builder.Services.AddCors(options => options.AddPolicy("page", policy => policy',
    star ? '    .AllowAnyOrigin()' : `    .WithOrigins(${cs([policy.origin])})`,
    `    .WithMethods(${cs(methods)})`,
    headers.length > 0 ? `    .WithHeaders(${cs(headers)})` : false,
    cred && '    .AllowCredentials()',
    '));',
    '// ...',
    'app.UseCors("page"); // after UseRouting, before UseAuthentication',
  ]);
  // The last builder call closes the lambda: move ")); " onto it.
  const aspnetCode = aspnet.join('\n').replace(/\n\)\);/, '));');

  return [
    {
      framework: 'corsproof',
      label: 'corsproof (node:http)',
      language: 'js',
      code: corsproof.join('\n'),
    },
    { framework: 'express', label: 'Express (cors)', language: 'js', code: express.join('\n') },
    {
      framework: 'fastify',
      label: 'Fastify (@fastify/cors)',
      language: 'js',
      code: fastify.join('\n'),
    },
    { framework: 'koa', label: 'Koa (@koa/cors)', language: 'js', code: koa.join('\n') },
    { framework: 'hono', label: 'Hono (hono/cors)', language: 'js', code: hono.join('\n') },
    { framework: 'nginx', label: 'nginx', language: 'nginx', code: nginx.join('\n') },
    { framework: 'flask', label: 'Flask (Flask-CORS)', language: 'python', code: flask.join('\n') },
    { framework: 'aspnetcore', label: 'ASP.NET Core', language: 'csharp', code: aspnetCode },
  ];
}

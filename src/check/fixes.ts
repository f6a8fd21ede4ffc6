/**
 * The fix for a failure: the header (and value) to send, and the configuration that makes the
 * whole request pass in the usual server frameworks. Snippets allow exactly the page origin,
 * method and headers of the request checked: never a "reflect every origin" shortcut.
 */
import { isSafelistedMethod } from '../spec/methods.js';
import type { FailureContext, FailureDetail } from './failures.js';
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

export function neededPolicy(ctx: FailureContext): NeededPolicy {
  return {
    origin: ctx.requestOrigin === 'null' && ctx.pageOrigin !== 'null' ? '*' : ctx.pageOrigin,
    credentials: ctx.credentials === 'include',
    methods: isSafelistedMethod(ctx.method) ? [] : [ctx.method],
    headers: ctx.unsafeHeaderNames,
  };
}

export function fixFor(detail: FailureDetail, ctx: FailureContext): Fix {
  const policy = neededPolicy(ctx);
  const taintedWithCredentials = policy.origin === '*' && policy.credentials;
  const serverFix = (summary: string, where: Fix['where'], header: Fix['header']): Fix => ({
    summary: taintedWithCredentials ? TAINTED_WITH_CREDENTIALS : summary,
    where,
    header,
    snippets: taintedWithCredentials ? [] : snippetsFor(policy),
  });
  const acao = { name: 'Access-Control-Allow-Origin', value: policy.origin };
  const tainted =
    policy.origin === '*'
      ? ' The request reaches this URL through a cross-origin redirect, so its origin is `null`: call the final URL directly (best), or answer `Access-Control-Allow-Origin: *` (never trust `null`, which any sandboxed page can send).'
      : '';

  switch (detail.code) {
    case 'MissingAllowOriginHeader':
    case 'AllowOriginMismatch':
    case 'InvalidAllowOriginValue':
      return serverFix(
        `Send \`Access-Control-Allow-Origin: ${policy.origin}\` on this response${ctx.hop > 0 ? ' (every redirect response needs it too)' : ''}, on error responses as well.${tainted}`,
        'response',
        acao,
      );
    case 'MultipleAllowOriginValues':
      return serverFix(
        `Send a single \`Access-Control-Allow-Origin: ${policy.origin}\` line: remove the duplicate (usually one layer, the app or the proxy/CDN, should own CORS).`,
        'response',
        acao,
      );
    case 'WildcardOriginNotAllowed':
      return serverFix(
        `With credentials, answer \`Access-Control-Allow-Origin: ${ctx.pageOrigin}\` (the exact origin, with \`Vary: Origin\`) and \`Access-Control-Allow-Credentials: true\`. If the page does not need cookies, drop credentials: 'include' instead.`,
        'response',
        { name: 'Access-Control-Allow-Origin', value: ctx.pageOrigin },
      );
    case 'InvalidAllowCredentials':
      return serverFix(
        'Send `Access-Control-Allow-Credentials: true` (exactly, lower case) on this response.',
        'response',
        { name: 'Access-Control-Allow-Credentials', value: 'true' },
      );
    case 'PreflightMissingAllowOriginHeader':
    case 'PreflightAllowOriginMismatch':
    case 'PreflightInvalidAllowOriginValue':
      return serverFix(
        `Answer the OPTIONS preflight with a 2xx status and \`Access-Control-Allow-Origin: ${policy.origin}\`, before any authentication (preflights carry no cookies or Authorization).${tainted}`,
        'preflight',
        acao,
      );
    case 'PreflightMultipleAllowOriginValues':
      return serverFix(
        `Send a single \`Access-Control-Allow-Origin: ${policy.origin}\` line on the preflight response: two layers both add it.`,
        'preflight',
        acao,
      );
    case 'PreflightWildcardOriginNotAllowed':
      return serverFix(
        `With credentials the preflight response must name the origin: \`Access-Control-Allow-Origin: ${ctx.pageOrigin}\` and \`Access-Control-Allow-Credentials: true\`.`,
        'preflight',
        { name: 'Access-Control-Allow-Origin', value: ctx.pageOrigin },
      );
    case 'PreflightInvalidAllowCredentials':
      return serverFix(
        "Send `Access-Control-Allow-Credentials: true` on the preflight response as well: the preflight is checked against the request's credentials mode.",
        'preflight',
        { name: 'Access-Control-Allow-Credentials', value: 'true' },
      );
    case 'PreflightInvalidStatus':
      return serverFix(
        `Answer OPTIONS ${ctx.url} with 204 (or 200) and the CORS headers, before authentication and before any route that would give ${detail.status}.`,
        'preflight',
        null,
      );
    case 'PreflightDisallowedRedirect':
      return {
        summary:
          'Call the URL the server redirects to (right scheme, host and trailing slash) from the page, or make the server answer OPTIONS at this URL without redirecting.',
        where: 'client',
        header: null,
        snippets: [],
      };
    case 'InvalidAllowMethodsPreflightResponse':
      return serverFix(
        `Make Access-Control-Allow-Methods a comma-separated list of method names, e.g. \`${listValue(policy.methods, 'GET, POST')}\`.`,
        'preflight',
        { name: 'Access-Control-Allow-Methods', value: listValue(policy.methods, 'GET, POST') },
      );
    case 'InvalidAllowHeadersPreflightResponse':
      return serverFix(
        `Make Access-Control-Allow-Headers a comma-separated list of header names, e.g. \`${listValue(policy.headers, 'content-type')}\`.`,
        'preflight',
        { name: 'Access-Control-Allow-Headers', value: listValue(policy.headers, 'content-type') },
      );
    case 'MethodDisallowedByPreflightResponse':
      return serverFix(
        `Add ${detail.method} to Access-Control-Allow-Methods on the preflight response (case matters${detail.wildcardIgnored ? '; "*" does not count with credentials' : ''}).`,
        'preflight',
        { name: 'Access-Control-Allow-Methods', value: detail.method },
      );
    case 'HeaderDisallowedByPreflightResponse':
      return serverFix(
        `Add ${detail.disallowed.join(', ')} to Access-Control-Allow-Headers on the preflight response${detail.wildcardIgnored ? ' ("*" does not count with credentials)' : ''}.`,
        'preflight',
        { name: 'Access-Control-Allow-Headers', value: detail.disallowed.join(', ') },
      );
    case 'RedirectContainsCredentials':
      return {
        summary:
          'Redirect to a URL without a user name or password; send credentials in a header instead.',
        where: 'server',
        header: null,
        snippets: [],
      };
    case 'CorsDisabledScheme':
    case 'UnsafeRedirect':
      return {
        summary: 'Redirect to an http or https URL.',
        where: 'server',
        header: null,
        snippets: [],
      };
    case 'InvalidRedirect':
      return {
        summary: 'Send one Location header holding a valid URL.',
        where: 'server',
        header: null,
        snippets: [],
      };
    case 'TooManyRedirects':
      return {
        summary: 'Break the redirect loop (or shorten the chain) and call the final URL directly.',
        where: 'server',
        header: null,
        snippets: [],
      };
    case 'UnsafePort':
      return {
        summary: 'Serve the API on a port browsers allow (443, 80, 8080, 3000...).',
        where: 'server',
        header: null,
        snippets: [],
      };
    case 'MixedContent':
      return {
        summary: 'Serve the API over https (an https page may only call https URLs, or loopback).',
        where: 'server',
        header: null,
        snippets: [],
      };
    case 'GalxeInvalidStatus':
    case 'GalxeMissingAllowOrigin':
    case 'GalxeAllowOriginMismatch':
    case 'GalxeMethodNotAllowed':
      return {
        summary:
          'Answer OPTIONS with 204, `Access-Control-Allow-Origin: https://dashboard.galxe.com` (or `*`) and `Access-Control-Allow-Methods: GET, POST, OPTIONS`.',
        where: 'preflight',
        header:
          detail.code === 'GalxeMethodNotAllowed'
            ? { name: 'Access-Control-Allow-Methods', value: 'GET, POST, OPTIONS' }
            : detail.code === 'GalxeInvalidStatus'
              ? null
              : { name: 'Access-Control-Allow-Origin', value: 'https://dashboard.galxe.com' },
        snippets: snippetsFor({
          origin: 'https://dashboard.galxe.com',
          credentials: false,
          methods: ['GET', 'POST', 'OPTIONS'],
          headers: ['content-type'],
        }),
      };
  }
}

const TAINTED_WITH_CREDENTIALS =
  'This credentialed request reaches the URL through a cross-origin redirect, so its origin is `null`, and no safe answer exists (`*` is refused with credentials, and trusting `null` lets any sandboxed page in). Call the final URL directly from the page.';

function listValue(items: readonly string[], fallback: string): string {
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

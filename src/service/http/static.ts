/**
 * Serves the built web page (`dist/web/`, made by Vite): files by path, `index.html` for page
 * routes (a path without a file extension), and, when the page was not built, a short page at `/`
 * that says how to build it. Paths under `/api/` never reach here.
 *
 * Which file answers is decided here; `@fastify/static` (`reply.sendFile`) sends it, with what a
 * hand-written stream lacked: an `ETag` and `Last-Modified` so that revalidating `index.html`
 * (`no-cache`) is a `304` without a body, byte ranges, and a `.br` or `.gz` file beside the original
 * sent to a client that accepts it (with `Vary: Accept-Encoding`).
 */
import { stat } from 'node:fs/promises';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.webmanifest': 'application/manifest+json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.avif': 'image/avif',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
  '.wasm': 'application/wasm',
};

/** The page shown when `dist/web/index.html` is missing. No script, so the CSP has nothing to block. */
export const NOT_BUILT_PAGE = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>corsproof</title></head>
<body>
<h1>corsproof</h1>
<p>The web page has not been built. Run <code>npm run build</code>, then restart <code>corsproof serve</code>.</p>
<p>The API is up: see <a href="/api/openapi.json">/api/openapi.json</a> and <a href="/api/health">/api/health</a>.</p>
</body>
</html>
`;

async function isFile(file: string): Promise<boolean> {
  try {
    return (await stat(file)).isFile();
  } catch {
    return false;
  }
}

/**
 * The file under `root` that `urlPath` names, or undefined when it escapes `root` or is malformed.
 * Decoding happens once and `..` is resolved before the containment test, so `%2e%2e/` and
 * `..%2f` cannot climb out.
 */
export function resolveUnder(root: string, urlPath: string): string | undefined {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return undefined;
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return undefined;
  const file = path.resolve(root, `.${path.posix.normalize(`/${decoded}`)}`);
  return file === root || file.startsWith(root + path.sep) ? file : undefined;
}

/** Options of `registerStatic`. */
export interface StaticOptions {
  /** The folder of the built page; null serves only the "not built" page. */
  readonly root: string | null;
}

/** Adds the `GET /*` route that serves the page. */
export async function registerStatic(app: FastifyInstance, options: StaticOptions): Promise<void> {
  const root = options.root === null ? null : path.resolve(options.root);
  if (root !== null) {
    await app.register(fastifyStatic, {
      root,
      // No routes of its own: the handler below picks the file (page routes get index.html).
      serve: false,
      preCompressed: true,
      // Set per file below: the plugin's one policy for all files cannot tell assets from the page.
      cacheControl: false,
      // Ours, with a charset on text (the plugin's table leaves it off `text/javascript`).
      contentType: false,
      // The root may be built after start-up; then it holds files.
      suppressWarning: true,
    });
  }

  async function send(reply: FastifyReply, file: string, immutable: boolean) {
    if (root === null) return reply.callNotFound();
    const type = CONTENT_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
    // Vite fingerprints everything under assets/, so those never change; the page itself must be
    // revalidated so a new build is picked up (cheaply: a 304 when its ETag still matches).
    reply.header('cache-control', immutable ? 'public, max-age=31536000, immutable' : 'no-cache');
    reply.type(type);
    const relative = path.relative(root, file).split(path.sep).join('/');
    return reply.sendFile(relative, root);
  }

  async function handler(request: FastifyRequest, reply: FastifyReply) {
    const urlPath = request.url.split('?')[0] ?? '/';
    if (urlPath === '/api' || urlPath.startsWith('/api/')) return reply.callNotFound();
    const index = root === null ? undefined : path.join(root, 'index.html');
    if (index === undefined || root === null || !(await isFile(index))) {
      if (urlPath === '/' || urlPath === '/index.html') {
        return reply
          .type('text/html; charset=utf-8')
          .header('cache-control', 'no-cache')
          .send(NOT_BUILT_PAGE);
      }
      return reply.callNotFound();
    }
    const file = resolveUnder(root, urlPath);
    if (file === undefined) return reply.callNotFound();
    if (await isFile(file)) return send(reply, file, urlPath.startsWith('/assets/'));
    // A client-side route (`/batches/bat_...`): the page handles it.
    if (path.extname(urlPath) === '') return send(reply, index, false);
    return reply.callNotFound();
  }

  app.get('/', handler);
  app.get('/*', handler);
}

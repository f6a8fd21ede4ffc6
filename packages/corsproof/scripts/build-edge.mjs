/**
 * Builds the edge entry points (dist/edge/), which the `workerd`, `worker` and `browser` export
 * conditions select for `corsproof`, `corsproof/fetch` and `corsproof/hono`: the modules tsc wrote
 * to dist/, bundled into shared chunks (one copy of the engine, so `instanceof CorsConfigError`
 * holds across entries), with `tldts` replaced by dist/edge/public-suffix-list-absent.js. That
 * drops the 124 KB Public Suffix List; see src/edge/public-suffix-list-absent.ts for what the edge
 * build does instead. Not minified: the Worker's own bundler minifies.
 */
import { existsSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const DIST = path.join(ROOT, 'dist');
const OUT = path.join(DIST, 'edge');
const STUB = path.join(OUT, 'public-suffix-list-absent.js');

// The entries and chunks of an earlier build (chunk names change with their content).
for (const name of existsSync(OUT) ? readdirSync(OUT) : []) {
  if (/^(index|fetch|hono|chunk-\w+)\.js$/.test(name))
    rmSync(path.join(OUT, name), { force: true });
}

await build({
  absWorkingDir: ROOT,
  entryPoints: {
    index: path.join(DIST, 'index.js'),
    fetch: path.join(DIST, 'adapters/fetch/index.js'),
    hono: path.join(DIST, 'adapters/hono/index.js'),
  },
  outdir: OUT,
  chunkNames: 'chunk-[hash]',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'neutral',
  target: 'es2022',
  external: ['hono', 'hono/*'],
  plugins: [
    {
      name: 'public-suffix-list-absent',
      setup(b) {
        b.onResolve({ filter: /^tldts$/ }, () => ({ path: STUB }));
      },
    },
  ],
  logLevel: 'warning',
});

/**
 * What corsproof costs a Worker: `corsproof/fetch` and `corsproof/hono` bundled as Wrangler bundles
 * a Worker (esbuild, the `workerd`, `worker` and `browser` conditions, minified), gzipped, beside
 * `hono/cors` and `cors` bundled the same way. The budget is a multiple of `hono/cors`, the
 * smallest CORS middleware a Worker is likely to use instead; BENCHMARKS.md has the figures.
 *
 * It bundles the package's build (dist/, from `npm run build`), as a user's bundler would.
 */
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

const ROOT = new URL('../../../../', import.meta.url).pathname;

/** Each subject as a Worker module using it. */
const SUBJECTS = {
  'corsproof/fetch': `import { withCors } from 'corsproof/fetch';
    export default { fetch: withCors({ origins: ['https://app.example.com'], credentials: true },
      async () => new Response('ok')) };`,
  'corsproof/hono': `import { cors } from 'corsproof/hono';
    export default cors({ origins: ['https://app.example.com'], credentials: true });`,
  'hono/cors': `import { cors } from 'hono/cors';
    export default cors({ origin: ['https://app.example.com'], credentials: true });`,
  cors: `import cors from 'cors';
    export default cors({ origin: ['https://app.example.com'], credentials: true });`,
} as const;

/**
 * The most a corsproof edge entry may weigh, gzipped, in multiples of hono/cors gzipped. They
 * weigh ~21 times hono/cors (15 KB against 0.7 KB): the engine validates every option with
 * messages that say how to fix it (8 KB minified), parses origins as the URL standard does (5 KB)
 * and carries per-path tables (11 KB), none of which hono/cors does. The budget holds them there;
 * the Public Suffix List alone would add 45 KB gzipped.
 */
const BUDGET_TIMES_HONO_CORS = 24;

export interface BundleSize {
  readonly minified: number;
  readonly gzipped: number;
}

/** Bundles `source` as a Worker would and measures it. */
export async function workerBundleSize(source: string): Promise<BundleSize> {
  const result = await build({
    stdin: { contents: source, resolveDir: ROOT, loader: 'js' },
    bundle: true,
    write: false,
    minify: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    conditions: ['workerd', 'worker', 'browser'],
    logLevel: 'silent',
  });
  const code = result.outputFiles[0]!.contents;
  return { minified: code.byteLength, gzipped: gzipSync(code, { level: 9 }).byteLength };
}

describe('the edge bundle size', () => {
  it('keeps corsproof/fetch and corsproof/hono within the budget, the Public Suffix List left out', async () => {
    const sizes: Record<string, BundleSize> = {};
    for (const [name, source] of Object.entries(SUBJECTS)) {
      sizes[name] = await workerBundleSize(source);
    }
    console.info(
      Object.entries(sizes)
        .map(([name, s]) => `${name}: ${s.minified} B min, ${s.gzipped} B gzip`)
        .join('\n'),
    );
    const budget = BUDGET_TIMES_HONO_CORS * sizes['hono/cors']!.gzipped;
    expect(sizes['corsproof/fetch']!.gzipped).toBeLessThanOrEqual(budget);
    expect(sizes['corsproof/hono']!.gzipped).toBeLessThanOrEqual(budget);
    // The 124 KB trie alone would be ~60 KB minified and gzipped, far past any budget; this
    // names the cause if it comes back.
    expect(sizes['corsproof/fetch']!.minified).toBeLessThan(100_000);
  }, 60_000);
});

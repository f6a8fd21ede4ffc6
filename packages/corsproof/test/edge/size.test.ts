/**
 * What corsproof costs a Worker: `corsproof/fetch` and `corsproof/hono` from the packed package
 * (`npm pack`, unpacked into a scratch app, as a user installs it), bundled as Wrangler bundles a
 * Worker (esbuild, the `workerd`, `worker` and `browser` conditions, minified), gzipped, beside
 * `hono/cors` and `cors` bundled the same way. The budgets are multiples of `hono/cors`, the
 * smallest CORS middleware a Worker is likely to use instead; BENCHMARKS.md has the figures and
 * scripts/edge-size.mjs shows where the bytes go.
 *
 * It packs the package's build (dist/, from `npm run build`).
 */
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));

const POLICY = `{ origins: ['https://app.example.com'], credentials: true }`;
const WILDCARD = `{ origins: ['https://*.example.com'], credentials: true }`;

/** Each subject as a Worker module using it. */
const SUBJECTS = {
  'corsproof/fetch': `import { withCors } from 'corsproof/fetch';
    export default { fetch: withCors(${POLICY}, async () => new Response('ok')) };`,
  'corsproof/hono': `import { cors } from 'corsproof/hono';
    export default cors(${POLICY});`,
  'corsproof/fetch with the Public Suffix List': `import { includePublicSuffixList } from 'corsproof';
    import { withCors } from 'corsproof/fetch';
    includePublicSuffixList();
    export default { fetch: withCors(${WILDCARD}, async () => new Response('ok')) };`,
  'hono/cors': `import { cors } from 'hono/cors';
    export default cors({ origin: ['https://app.example.com'], credentials: true });`,
  cors: `import cors from 'cors';
    export default cors({ origin: ['https://app.example.com'], credentials: true });`,
} as const;

/**
 * The most a corsproof edge entry may weigh, gzipped, in multiples of hono/cors gzipped. Both
 * entries weigh 21.9 times hono/cors (15,497 and 15,357 B against 707 B): the engine validates
 * every option with messages that say how to fix it, parses origins as the URL standard does,
 * carries per-path tables and policy registries, decision logs and explanations, none of which
 * hono/cors does (BENCHMARKS.md, "Edge bundle size", has the breakdown). 23 times is 16,261 B: 5%
 * over the figure, so growth of a tenth fails.
 */
const BUDGET_TIMES_HONO_CORS = 23;

/**
 * A Worker that calls `includePublicSuffixList()` carries the list too: 51,401 B gzipped, 72.7
 * times hono/cors, the list being 35 KB of it. 76 times is 53,732 B, 4.5% over.
 */
const BUDGET_WITH_LIST_TIMES_HONO_CORS = 76;

interface BundleSize {
  readonly minified: number;
  readonly gzipped: number;
}

/** A scratch app with the packed package installed, and the peers linked from this checkout. */
let app: string;

beforeAll(async () => {
  app = await mkdtemp(path.join(tmpdir(), 'corsproof-edge-size-'));
  const { stdout } = await run(
    'npm',
    ['pack', '--json', '--pack-destination', app, '-w', 'corsproof'],
    {
      cwd: ROOT,
      maxBuffer: 64 * 1024 * 1024,
    },
  );
  const [packed] = JSON.parse(stdout) as { filename: string }[];
  const into = path.join(app, 'node_modules/corsproof');
  await mkdir(into, { recursive: true });
  await run('tar', ['-xzf', path.join(app, packed!.filename), '-C', into, '--strip-components=1']);
  for (const name of ['hono', 'cors', 'object-assign', 'vary']) {
    await symlink(
      path.join(ROOT, 'node_modules', name),
      path.join(app, 'node_modules', name),
      'dir',
    );
  }
}, 120_000);

afterAll(async () => {
  if (app) await rm(app, { recursive: true, force: true });
});

/** Bundles `source` as a Worker would, in the scratch app. */
async function bundleWorker(source: string): Promise<Uint8Array> {
  const result = await build({
    stdin: { contents: source, resolveDir: app, loader: 'js' },
    bundle: true,
    write: false,
    minify: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    conditions: ['workerd', 'worker', 'browser'],
    logLevel: 'silent',
  });
  return result.outputFiles[0]!.contents;
}

/** Bundles `source` as a Worker would and measures it. */
async function workerBundleSize(source: string): Promise<BundleSize> {
  const code = await bundleWorker(source);
  return { minified: code.byteLength, gzipped: gzipSync(code, { level: 9 }).byteLength };
}

/** Runs a bundled Worker module; resolves to the error its start-up throws, or null. */
async function startUpError(source: string): Promise<Error | null> {
  const code = Buffer.from(await bundleWorker(source)).toString('base64');
  return import(`data:text/javascript;base64,${code}`).then(
    () => null,
    (error: Error) => error,
  );
}

describe('the edge bundle size', () => {
  it('keeps corsproof/fetch and corsproof/hono within the budget, with and without the list', async () => {
    const sizes: Record<string, BundleSize> = {};
    for (const [name, source] of Object.entries(SUBJECTS)) {
      sizes[name] = await workerBundleSize(source);
    }
    console.info(
      Object.entries(sizes)
        .map(([name, s]) => `${name}: ${s.minified} B min, ${s.gzipped} B gzip`)
        .join('\n'),
    );
    const hono = sizes['hono/cors']!.gzipped;
    expect(sizes['corsproof/fetch']!.gzipped).toBeLessThanOrEqual(BUDGET_TIMES_HONO_CORS * hono);
    expect(sizes['corsproof/hono']!.gzipped).toBeLessThanOrEqual(BUDGET_TIMES_HONO_CORS * hono);
    expect(sizes['corsproof/fetch with the Public Suffix List']!.gzipped).toBeLessThanOrEqual(
      BUDGET_WITH_LIST_TIMES_HONO_CORS * hono,
    );
    // The list is 97 KB minified; a Worker that never calls includePublicSuffixList() must not
    // carry it. This names the cause if it comes back.
    expect(sizes['corsproof/fetch']!.minified).toBeLessThan(60_000);
    expect(sizes['corsproof/hono']!.minified).toBeLessThan(60_000);
    expect(sizes['corsproof/fetch with the Public Suffix List']!.minified).toBeGreaterThan(100_000);
  }, 60_000);

  it('judges a credentialed wildcard as the Node build once the Worker includes the list', async () => {
    const worker = (host: string, include: boolean) =>
      `${include ? "import { includePublicSuffixList } from 'corsproof'; includePublicSuffixList();" : ''}
       import { withCors } from 'corsproof/fetch';
       export default { fetch: withCors({ origins: ['https://*.${host}'], credentials: true },
         async () => new Response('ok')) };`;
    expect(await startUpError(worker('example.com', true))).toBeNull();
    expect(await startUpError(worker('github.io', true))).toMatchObject({
      name: 'CorsConfigError',
      issues: [{ code: 'PUBLIC_SUFFIX_WILDCARD_WITH_CREDENTIALS' }],
    });
    expect(await startUpError(worker('example.com', false))).toMatchObject({
      name: 'PublicSuffixListAbsentError',
      host: 'example.com',
    });
  }, 60_000);
});

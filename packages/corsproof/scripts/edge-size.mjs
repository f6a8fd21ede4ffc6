/**
 * Where the bytes of the edge bundle go: bundles a Worker module using `corsproof/fetch` (or
 * `corsproof/hono`) as Wrangler does (esbuild, minified, the workerd, worker and browser
 * conditions) and prints, per source module, its minified bytes (esbuild's metafile) and its share
 * of the gzipped bundle. Reads dist/ (run `npm run build` first). Not part of `npm test`:
 *
 *   node packages/corsproof/scripts/edge-size.mjs [fetch|hono] [--validate-at-run-time] [--with-list]
 *
 * The Worker passes the policy of size.test.ts as `prevalidatePolicy()` writes it at build time;
 * with --validate-at-run-time it passes the options and calls `includePolicyValidation()`; with
 * --with-list, a credentialed wildcard validated at run time, and the list it needs.
 *
 * The gzipped share of a module is what it adds to the gzipped prefix of the bundle that ends with
 * it (modules in output order), so the shares sum to the gzipped size of the whole bundle; a
 * module that repeats what came before costs less than it would alone.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { EDGE_SUBSTITUTES } from './build-edge.mjs';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const entry = process.argv.find((a) => a === 'hono' || a === 'fetch') ?? 'fetch';
const withList = process.argv.includes('--with-list');
const atRunTime = withList || process.argv.includes('--validate-at-run-time');

const options = withList
  ? { origins: ['https://*.example.com'], credentials: true }
  : { origins: ['https://app.example.com'], credentials: true };
const { prevalidatePolicy } = await import(
  path.join(fileURLToPath(new URL('..', import.meta.url)), 'dist/index.js')
);
const policy = JSON.stringify(atRunTime ? options : prevalidatePolicy(options));
const prelude = [
  atRunTime && `import { includePolicyValidation } from 'corsproof'; includePolicyValidation();`,
  withList && `import { includePublicSuffixList } from 'corsproof'; includePublicSuffixList();`,
]
  .filter(Boolean)
  .join('\n');
const source =
  entry === 'fetch'
    ? `${prelude} import { withCors } from 'corsproof/fetch';
       export default { fetch: withCors(${policy}, async () => new Response('ok')) };`
    : `${prelude} import { cors } from 'corsproof/hono';
       export default cors(${policy});`;

/**
 * The edge build bundles dist/ into chunks, which hides the modules; this resolves the entries to
 * the modules tsc wrote, as scripts/build-edge.mjs bundles them.
 */
const fromModules = {
  name: 'edge-from-modules',
  setup(b) {
    const DIST = path.join(ROOT, 'packages/corsproof/dist');
    const ENTRIES = {
      corsproof: 'index.js',
      'corsproof/fetch': 'adapters/fetch/index.js',
      'corsproof/hono': 'adapters/hono/index.js',
    };
    b.onResolve({ filter: /^corsproof(\/|$)/ }, (args) => ({
      path: path.join(DIST, ENTRIES[args.path]),
    }));
    for (const [filter, to] of EDGE_SUBSTITUTES) {
      b.onResolve({ filter }, () => ({ path: path.join(DIST, to) }));
    }
  },
};

const MARK = '/*!corsproof-module:';
/** Marks where each module starts in the output, as a legal comment esbuild keeps in place. */
const marker = {
  name: 'mark-modules',
  setup(b) {
    b.onLoad({ filter: /\.js$/ }, async (args) => {
      const { readFile } = await import('node:fs/promises');
      const text = await readFile(args.path, 'utf8');
      const rel = path
        .relative(ROOT, args.path)
        .replace(/^(node_modules\/|packages\/corsproof\/)/, '');
      return { contents: `${MARK}${rel}*/\n${text}`, loader: 'js' };
    });
  },
};

async function bundle(plugins, legalComments) {
  return build({
    absWorkingDir: ROOT,
    stdin: { contents: source, resolveDir: ROOT, loader: 'js' },
    bundle: true,
    write: false,
    minify: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    conditions: ['workerd', 'worker', 'browser'],
    metafile: true,
    legalComments,
    plugins,
    logLevel: 'silent',
  });
}

const plain = await bundle([fromModules], 'none');
const code = plain.outputFiles[0].contents;
const total = { minified: code.byteLength, gzipped: gzipSync(code, { level: 9 }).byteLength };

// Segments of the marked bundle, stripped of their markers.
const marked = (await bundle([fromModules, marker], 'inline')).outputFiles[0].text;
const segments = [];
let rest = marked;
let name = '(entry)';
for (;;) {
  const at = rest.indexOf(MARK);
  const text = at < 0 ? rest : rest.slice(0, at);
  if (text.length > 0) segments.push({ name, text });
  if (at < 0) break;
  const end = rest.indexOf('*/', at);
  name = rest.slice(at + MARK.length, end);
  rest = rest.slice(end + 2);
}
let prefix = '';
let before = 0;
const gz = new Map();
for (const s of segments) {
  prefix += s.text;
  const after = gzipSync(Buffer.from(prefix), { level: 9 }).byteLength;
  gz.set(s.name, (gz.get(s.name) ?? 0) + after - before);
  before = after;
}

const inputs = Object.values(plain.metafile.outputs)[0].inputs;
const rows = Object.entries(inputs)
  .map(([file, { bytesInOutput }]) => {
    const rel = path
      .relative(ROOT, path.resolve(ROOT, file))
      .replace(/^(node_modules\/|packages\/corsproof\/)/, '');
    return { file: rel, minified: bytesInOutput, gzipped: gz.get(rel) ?? 0 };
  })
  .filter((r) => r.minified > 0)
  .sort((a, b) => b.minified - a.minified);

const width = Math.max(...rows.map((r) => r.file.length));
console.log(`corsproof/${entry}, policy ${policy}`);
console.log(`${'module'.padEnd(width)}  minified  gzip share`);
for (const r of rows) {
  console.log(
    `${r.file.padEnd(width)}  ${String(r.minified).padStart(8)}  ${String(r.gzipped).padStart(10)}`,
  );
}
console.log(
  `${'total'.padEnd(width)}  ${String(total.minified).padStart(8)}  ${String(total.gzipped).padStart(10)}`,
);

/**
 * Builds the edge entry points (dist/edge/), which the `workerd`, `worker` and `browser` export
 * conditions select for `corsproof`, `corsproof/fetch` and `corsproof/hono`: the modules tsc wrote
 * to dist/, bundled into shared chunks (one copy of the engine, so `instanceof CorsConfigError`
 * holds across entries), with the modules of EDGE_SUBSTITUTES swapped for their edge versions.
 * Those carry a part only once the Worker asks for it (each `include*()` call hands the part to a
 * hook, so a Worker that never calls it bundles none of it): run-time validation
 * (policy/validate-input.edge.ts; without it a Worker passes a policy from `prevalidatePolicy()`),
 * path tables (policy/routes/path-tables.edge.ts), the decision log (policy/decision-report.edge.ts)
 * and the Public Suffix List (`tldts` replaced by edge/tldts.ts, which answers from a compact copy
 * written here, from tldts's own list, to dist/edge/public-suffix-trie-data.js). The start-up
 * errors' words become a code, a few words and a link (policy/startup-messages.edge.ts). Not
 * minified: the Worker's own bundler minifies.
 */
import { existsSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const DIST = path.join(ROOT, 'dist');
const OUT = path.join(DIST, 'edge');

/** Modules the edge build swaps for its own, as [import filter, path under dist/]. */
export const EDGE_SUBSTITUTES = [
  [/^tldts$/, 'edge/tldts.js'],
  [/\/include-public-suffix-list\.js$/, 'edge/include-public-suffix-list.edge.js'],
  [/\/include-path-tables\.js$/, 'edge/include-path-tables.edge.js'],
  [/\/include-decision-log\.js$/, 'edge/include-decision-log.edge.js'],
  [/\/path-tables\.js$/, 'policy/routes/path-tables.edge.js'],
  [/\/decision-report\.js$/, 'policy/decision-report.edge.js'],
  [/\/include-policy-validation\.js$/, 'edge/include-policy-validation.edge.js'],
  [/\/validate-input\.js$/, 'policy/validate-input.edge.js'],
  [/\/startup-messages\.js$/, 'policy/startup-messages.edge.js'],
  [/\/origin-matcher\.js$/, 'policy/origin-matcher.edge.js'],
];

/** Writes tldts's Public Suffix List as the text src/edge/public-suffix-trie.ts reads. */
async function writeSuffixTrie() {
  const data = await import('tldts/dist/es6/src/data/trie.js');
  const { encodeSuffixTrie, rulesForAsciiHosts, rulesOfTldtsTrie } = await import(
    path.join(DIST, 'edge/public-suffix-trie-encode.js')
  );
  const text = encodeSuffixTrie(rulesForAsciiHosts(rulesOfTldtsTrie(data)));
  writeFileSync(
    path.join(OUT, 'public-suffix-trie-data.js'),
    `// Written by scripts/build-edge.mjs from tldts's Public Suffix List.\nexport const PUBLIC_SUFFIX_TRIE = ${JSON.stringify(text)};\n`,
  );
}

/** Builds dist/edge/ from the modules tsc wrote to dist/. */
export async function buildEdge() {
  // The entries and chunks of an earlier build (chunk names change with their content).
  for (const name of existsSync(OUT) ? readdirSync(OUT) : []) {
    if (/^(index|fetch|hono|chunk-\w+)\.js$/.test(name))
      rmSync(path.join(OUT, name), { force: true });
  }
  await writeSuffixTrie();

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
        name: 'edge-substitutes',
        setup(b) {
          for (const [filter, to] of EDGE_SUBSTITUTES) {
            b.onResolve({ filter }, () => ({ path: path.join(DIST, to) }));
          }
        },
      },
    ],
    logLevel: 'warning',
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await buildEdge();

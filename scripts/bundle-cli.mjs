/**
 * Bundles the CLI (dist/cli/main.js, built by tsc) into dist/cli-bundle/: a few files instead of
 * about a hundred modules that Node's ES module loader would read, and for CommonJS packages lex,
 * one by one at start-up. The small pure-JS packages every command loads (the corsproof library,
 * commander, tldts, ipaddr.js) go into the bundle; the service's packages stay in node_modules (better-sqlite3 is a
 * native addon, fastify loads files of its own), and so do undici's parts, loaded by path.
 * The entry gets the modification time of the dist/cli/main.js it was built from: tsc rewrites
 * that file on every run, so bin/corsproof.js uses the bundle only while the two times are equal.
 *
 * Each file is written under a temporary name and renamed into place, chunks before the entry,
 * so a CLI starting meanwhile (tests spawn it while others rebuild) never reads half a file.
 */
import {
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';

const OUT = path.resolve('dist/cli-bundle');
const INLINED = new Set(['corsproof', 'commander', 'tldts', 'ipaddr.js']);
const { dependencies } = JSON.parse(readFileSync('package.json', 'utf8'));

// Read before bundling: a tsc run finishing meanwhile then leaves the bundle marked stale.
const built = new Date(Math.trunc(statSync('dist/cli/main.js').mtimeMs));

const result = await build({
  entryPoints: ['dist/cli/main.js'],
  outdir: OUT,
  write: false,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  external: Object.keys(dependencies).filter((name) => !INLINED.has(name)),
  // The inlined CommonJS packages call require() (for node:events and the like); an ES module has
  // none of its own, so the bundle makes one.
  banner: {
    js: "import { createRequire as createRequireForBundle } from 'node:module'; const require = createRequireForBundle(import.meta.url);",
  },
  logLevel: 'warning',
});

mkdirSync(OUT, { recursive: true });
const entry = path.join(OUT, 'main.js');
const files = [...result.outputFiles].sort((a, b) => (a.path === entry) - (b.path === entry));
for (const file of files) {
  const temporary = `${file.path}.${process.pid}.tmp`;
  writeFileSync(temporary, file.contents);
  // The build-time marker bin/corsproof.js reads: set before the rename, so no CLI sees the new
  // entry with an old time.
  if (file.path === entry) utimesSync(temporary, built, built);
  renameSync(temporary, file.path);
}
// Chunks of earlier builds are no longer referenced.
const written = new Set(files.map((file) => path.basename(file.path)));
for (const name of readdirSync(OUT)) {
  if (!written.has(name) && !name.endsWith('.tmp')) rmSync(path.join(OUT, name), { force: true });
}

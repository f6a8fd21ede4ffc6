/**
 * Bundles the CLI (dist/cli/main.js, built by tsc) into dist/cli-bundle/: a few files instead of
 * about a hundred modules that Node's ES module loader would read, and for CommonJS packages lex,
 * one by one at start-up. The small pure-JS packages the commands load (the corsproof library,
 * commander, ipaddr.js) go into the bundle; the service's packages stay in node_modules
 * (better-sqlite3 is a native addon, fastify loads files of its own), and so do undici's parts,
 * loaded by path.
 *
 * undici's Agent and connector (src/check/undici.ts) go into dist/cli-bundle/undici.cjs, one
 * CommonJS script with the ~20 modules they load: Node's CommonJS loader resolves, reads and wraps
 * each file on its own, which cost a single check about 3 ms. In it, undici's HTTP/2 client is a
 * stand-in that runs the bundled module on the first call: the real one loads Node's http2 (and,
 * through it, tls) at once, about 4 ms, for a protocol the checker never asks for (it does not set
 * `allowH2`). The bundle finds the script through esbuild's `define`.
 *
 * tldts (the Public Suffix List, ~180 KB of code) is reached through `corsproof/spec`, which every
 * command loads, but only site comparisons call it: in the bundle it is a stand-in that requires
 * the real package on the first call, so a command that compares no sites never compiles it.
 *
 * The build-time marker dist/cli-bundle/built-from holds the modification time, in nanoseconds, of
 * the dist/cli/main.js the bundle was built from: tsc rewrites that file on every run, so
 * bin/corsproof.js uses the bundle only while the two are equal (one read and one stat).
 *
 * Each file is written under a temporary name and renamed into place, chunks before the entry and
 * the marker last, so a CLI starting meanwhile (tests spawn it while others rebuild) never reads
 * half a file nor a marker newer than the entry.
 */
import {
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { build } from 'esbuild';

const OUT = path.resolve('dist/cli-bundle');
const MARKER = 'built-from';
const INLINED = new Set(['corsproof', 'commander', 'ipaddr.js']);
const { dependencies } = JSON.parse(readFileSync('package.json', 'utf8'));

// Read before bundling: a tsc run finishing meanwhile then leaves the bundle marked stale.
const builtFrom = String(statSync('dist/cli/main.js', { bigint: true }).mtimeNs);

/**
 * `tldts` as a module whose every export requires the package on its first call (a synchronous
 * CommonJS require, so callers stay synchronous). The export list is the installed package's.
 */
const lazyTldts = {
  name: 'lazy-tldts',
  setup(build) {
    build.onResolve({ filter: /^tldts$/ }, () => ({ path: 'tldts', namespace: 'lazy-tldts' }));
    build.onLoad({ filter: /.*/, namespace: 'lazy-tldts' }, () => {
      const names = Object.keys(createRequire(import.meta.url)('tldts'));
      return {
        loader: 'js',
        contents: [
          "import { createRequire } from 'node:module';",
          'let tldts;',
          "const load = () => (tldts ??= createRequire(import.meta.url)('tldts'));",
          ...names.map(
            (name) => `export function ${name}(...args) { return load().${name}(...args); }`,
          ),
        ].join('\n'),
      };
    });
  },
};

/**
 * undici's `client.js` requires `./client-h2.js` at its top; here that is a module whose export
 * requires the real one, bundled as usual, on its first call (esbuild runs a bundled CommonJS
 * module when it is first required).
 */
const lazyHttp2Client = {
  name: 'lazy-undici-h2',
  setup(build) {
    build.onResolve({ filter: /^\.\/client-h2\.js$/ }, (args) =>
      args.importer.endsWith(`${path.sep}client.js`)
        ? { path: 'client-h2', namespace: 'lazy-undici-h2', pluginData: args.resolveDir }
        : undefined,
    );
    build.onLoad({ filter: /.*/, namespace: 'lazy-undici-h2' }, (args) => ({
      loader: 'js',
      resolveDir: args.pluginData,
      contents: [
        'let connectH2;',
        'module.exports = function lazyConnectH2(...args) {',
        "  connectH2 ??= require('./client-h2.js?real');",
        '  return connectH2(...args);',
        '};',
      ].join('\n'),
    }));
    build.onResolve({ filter: /^\.\/client-h2\.js\?real$/ }, (args) => ({
      path: path.join(args.resolveDir, 'client-h2.js'),
    }));
  },
};

/**
 * Modules of undici that the script leaves to node_modules, required from there when first needed:
 * llhttp's two WebAssembly builds (72 KB of base64 each, of which a process compiles one) and the
 * fetch body reader (with FormData and WebIDL behind it), which undici's HTTP/1 client requires
 * only for a FormData or Blob body, never sent by the checker. Each is a data module or reads
 * nothing of the script's module instances, and together they were 60% of the script's bytes,
 * all of which Node parses at start-up.
 */
const undiciLeftOut = {
  name: 'undici-left-out',
  setup(build) {
    build.onResolve(
      { filter: /(?:^|\/)(?:llhttp\/llhttp(?:_simd)?-wasm|web\/fetch\/body)\.js$/ },
      (args) => {
        const lib = path.resolve('node_modules/undici/lib');
        const file = path.resolve(args.resolveDir, args.path);
        if (!file.startsWith(`${lib}${path.sep}`)) return undefined;
        return {
          path: `undici/lib/${path.relative(lib, file).split(path.sep).join('/')}`,
          external: true,
        };
      },
    );
  },
};

const UNDICI_SCRIPT = 'undici.cjs';
const { version: undiciVersion } = createRequire(import.meta.url)('undici/package.json');
const undiciScript = await build({
  stdin: {
    // The modules left out come from the installed undici, so they must be of the version the
    // script was built from; with another, the script exports nothing and the CLI loads undici's
    // files instead (src/check/undici.ts).
    contents: [
      `if (require('undici/package.json').version === ${JSON.stringify(undiciVersion)}) {`,
      "  exports.Agent = require('undici/lib/dispatcher/agent.js');",
      "  exports.buildConnector = require('undici/lib/core/connect.js');",
      '}',
    ].join('\n'),
    resolveDir: process.cwd(),
    sourcefile: 'undici-parts.cjs',
    loader: 'js',
  },
  outfile: path.join(OUT, UNDICI_SCRIPT),
  write: false,
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  external: ['undici/package.json'],
  plugins: [lazyHttp2Client, undiciLeftOut],
  logLevel: 'warning',
});
if (!undiciScript.outputFiles[0].text.includes('lazyConnectH2')) {
  throw new Error(
    "bundle-cli: undici's client.js no longer requires ./client-h2.js; update lazyHttp2Client",
  );
}

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
  // Relative to the chunk that requires it, which is in the same folder.
  define: { CORSPROOF_BUNDLED_UNDICI: JSON.stringify(`./${UNDICI_SCRIPT}`) },
  plugins: [lazyTldts],
  logLevel: 'warning',
});

mkdirSync(OUT, { recursive: true });
const entry = path.join(OUT, 'main.js');
const files = [...undiciScript.outputFiles, ...result.outputFiles].sort(
  (a, b) => (a.path === entry) - (b.path === entry),
);
const outputs = [
  ...files.map((file) => ({ path: file.path, contents: file.contents })),
  { path: path.join(OUT, MARKER), contents: builtFrom },
];
for (const file of outputs) {
  const temporary = `${file.path}.${process.pid}.tmp`;
  writeFileSync(temporary, file.contents);
  renameSync(temporary, file.path);
}
// Chunks of earlier builds are no longer referenced.
const written = new Set(outputs.map((file) => path.basename(file.path)));
for (const name of readdirSync(OUT)) {
  if (!written.has(name) && !name.endsWith('.tmp')) rmSync(path.join(OUT, name), { force: true });
}

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
 * `check` gets a bundle of its own, main-check.js (see OWN_BUNDLES), and the bundle's
 * `performance.now()` reads the clock through `process.hrtime` (bundle-cli-clock.mjs).
 *
 * The build-time marker dist/cli-bundle/built-from holds on its first line the modification time,
 * in nanoseconds, of the dist/cli/main.js the bundle was built from: tsc rewrites that file on
 * every run, so bin/corsproof.js uses the bundle only while the two are equal (one read and one
 * stat). The lines after it name the subcommands with a bundle of their own.
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
 * A plugin that resolves `filter` imports, from the importers `from` accepts, to a module of its
 * own whose text is `contents()`: the stand-ins below.
 */
function standIn(name, filter, from, contents) {
  return {
    name,
    setup(build) {
      build.onResolve({ filter }, (args) =>
        from(args.importer)
          ? { path: name, namespace: name, pluginData: args.resolveDir }
          : undefined,
      );
      build.onLoad({ filter: /.*/, namespace: name }, (args) => ({
        loader: 'js',
        resolveDir: args.pluginData,
        contents: contents(),
      }));
    },
  };
}

/**
 * `tldts` as a module whose every export requires the package on its first call (a synchronous
 * CommonJS require, so callers stay synchronous). The export list is the installed package's.
 */
const lazyTldts = standIn(
  'lazy-tldts',
  /^tldts$/,
  () => true,
  () =>
    [
      "import { createRequire } from 'node:module';",
      'let tldts;',
      "const load = () => (tldts ??= createRequire(import.meta.url)('tldts'));",
      ...Object.keys(createRequire(import.meta.url)('tldts')).map(
        (name) => `export function ${name}(...args) { return load().${name}(...args); }`,
      ),
    ].join('\n'),
);

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

/**
 * Node's `assert` and `http` as undici's modules use them, without loading either at start-up
 * (about 0.5 ms and 1 ms, most of it compiling Node's own modules):
 * - undici calls `assert(value)` as a check of its own invariants; the stand-in throws Node's
 *   AssertionError, loading `assert` only then.
 * - `core/util.js` compares a stream's constructor with `http.IncomingMessage` when destroying a
 *   request body, and `dispatcher/client.js` reads `http.maxHeaderSize` for a Client given no
 *   `maxHeaderSize` (the checker always gives one); both read `http` when they need it.
 * Each rewrite replaces an exact text, and the build fails when a new undici no longer has it.
 */
const UNDICI_LIB = path.resolve('node_modules/undici/lib');
const lazyUndiciAssert = standIn(
  'lazy-undici-assert',
  /^node:assert$/,
  (importer) => importer.startsWith(`${UNDICI_LIB}${path.sep}`),
  () =>
    [
      'module.exports = function assert(value, message) {',
      '  if (value) return;',
      '  if (message instanceof Error) throw message;',
      "  const { AssertionError } = require('node:assert');",
      '  throw new AssertionError({',
      "    message: message ?? 'undici: an internal invariant does not hold',",
      '    actual: value,',
      '    expected: true,',
      "    operator: '==',",
      '  });',
      '};',
    ].join('\n'),
);
const undiciWithoutHttp = {
  name: 'undici-without-http',
  setup(build) {
    const lib = UNDICI_LIB;
    const rewrites = {
      'core/util.js': [
        ["const { IncomingMessage } = require('node:http')\n", ''],
        [
          'Object.getPrototypeOf(stream).constructor === IncomingMessage',
          "Object.getPrototypeOf(stream).constructor === require('node:http').IncomingMessage",
        ],
      ],
      'dispatcher/client.js': [
        ["const http = require('node:http')\n", ''],
        [
          'const getDefaultNodeMaxHeaderSize = http &&',
          'const getDefaultNodeMaxHeaderSize = () => (http => http &&\n',
        ],
        [
          "  : () => { throw new InvalidArgumentError('http module not available or http.maxHeaderSize invalid') }\n",
          "  : () => { throw new InvalidArgumentError('http module not available or http.maxHeaderSize invalid') })(require('node:http'))()\n",
        ],
      ],
    };
    build.onLoad(
      { filter: /[\\/]undici[\\/]lib[\\/](?:core[\\/]util|dispatcher[\\/]client)\.js$/ },
      (args) => {
        const name = path.relative(lib, args.path).split(path.sep).join('/');
        let contents = readFileSync(args.path, 'utf8');
        for (const [from, to] of rewrites[name] ?? []) {
          if (!contents.includes(from)) {
            throw new Error(
              `bundle-cli: undici's ${name} no longer contains ${JSON.stringify(from)}; update undiciWithoutHttp`,
            );
          }
          contents = contents.replace(from, to);
        }
        return { contents, loader: 'js' };
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
  plugins: [lazyHttp2Client, undiciLeftOut, lazyUndiciAssert, undiciWithoutHttp],
  logLevel: 'warning',
});
if (!undiciScript.outputFiles[0].text.includes('lazyConnectH2')) {
  throw new Error(
    "bundle-cli: undici's client.js no longer requires ./client-h2.js; update lazyHttp2Client",
  );
}

/**
 * commander requires `node:child_process` at its top, for subcommands that are executables of
 * their own, which the CLI has none of; with it come Node's child_process, dgram and their
 * helpers, about 0.5 ms. Here it is a module whose `spawn` (all commander calls) requires the real
 * one on the first call.
 */
const lazyChildProcess = standIn(
  'lazy-child-process',
  /^node:child_process$/,
  (importer) => /[\\/]commander[\\/]lib[\\/]command\.js$/.test(importer),
  () =>
    [
      'let childProcess;',
      "exports.spawn = (...args) => (childProcess ??= require('node:child_process')).spawn(...args);",
    ].join('\n'),
);

/** What the split bundle and the per-command bundles share. */
const esm = {
  bundle: true,
  write: false,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  external: Object.keys(dependencies).filter((name) => !INLINED.has(name)),
  // The inlined CommonJS packages call require() (for node:events and the like); an ES module has
  // none of its own, so the bundle makes one.
  banner: {
    js: "import { createRequire as createRequireForBundle } from 'node:module'; const require = createRequireForBundle(import.meta.url);",
  },
  define: {
    // Relative to the chunk that requires it, which is in the same folder.
    CORSPROOF_BUNDLED_UNDICI: JSON.stringify(`./${UNDICI_SCRIPT}`),
    'performance.now': 'cliMonotonicNow',
  },
  inject: ['scripts/bundle-cli-clock.mjs'],
  plugins: [lazyTldts, lazyChildProcess],
  logLevel: 'warning',
};

const result = await build({
  ...esm,
  entryPoints: ['dist/cli/main.js'],
  outdir: OUT,
  splitting: true,
});

/**
 * Subcommands whose start-up is worth a bundle of their own, with the module dist/cli/commands.js
 * loads for each. The split bundle has a chunk for every set of subcommands sharing code, and
 * `check` loaded 20 of them; Node's ES module loader resolves, reads and links each file on its
 * own, about 0.4 ms apiece. `main-<name>.js` is the whole CLI in one file, the subcommand's
 * module (and what it imports, dynamically too) included and the other subcommands' modules left
 * to dist/cli: the shim runs it only for that subcommand, whose process never loads another.
 */
const OWN_BUNDLES = { check: './check/command.js' };

function ownBundle(name) {
  const commands = path.resolve('dist/cli/commands.js');
  const otherSubcommands = {
    name: 'other-subcommands',
    setup(build) {
      build.onResolve({ filter: /.*/ }, (args) =>
        args.kind === 'dynamic-import' &&
        args.importer === commands &&
        args.path !== OWN_BUNDLES[name]
          ? { path: `../cli/${args.path.slice(2)}`, external: true }
          : undefined,
      );
    },
  };
  return build({
    ...esm,
    entryPoints: ['dist/cli/main.js'],
    outfile: path.join(OUT, `main-${name}.js`),
    plugins: [...esm.plugins, otherSubcommands],
  });
}
const ownBundles = await Promise.all(Object.keys(OWN_BUNDLES).map(ownBundle));
for (const [index, name] of Object.keys(OWN_BUNDLES).entries()) {
  const { text } = ownBundles[index].outputFiles[0];
  if (!text.includes('"../cli/') || text.includes(`"../cli/${OWN_BUNDLES[name].slice(2)}"`)) {
    throw new Error(
      `bundle-cli: main-${name}.js does not hold ${OWN_BUNDLES[name]} alone; update otherSubcommands`,
    );
  }
}

mkdirSync(OUT, { recursive: true });
const entries = new Set([
  path.join(OUT, 'main.js'),
  ...Object.keys(OWN_BUNDLES).map((name) => path.join(OUT, `main-${name}.js`)),
]);
const files = [
  ...undiciScript.outputFiles,
  ...result.outputFiles,
  ...ownBundles.flatMap((bundle) => bundle.outputFiles),
].sort((a, b) => entries.has(a.path) - entries.has(b.path));
// The marker's first line says what the bundle was built from, the rest which subcommands have a
// bundle of their own (bin/corsproof.js).
const outputs = [
  ...files.map((file) => ({ path: file.path, contents: file.contents })),
  { path: path.join(OUT, MARKER), contents: [builtFrom, ...Object.keys(OWN_BUNDLES)].join('\n') },
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

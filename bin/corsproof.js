#!/usr/bin/env node
import { readFileSync, statSync } from 'node:fs';
// Thin shim: the CLI lives in dist/ (built by `npm run build`). It runs from dist/cli-bundle, a few
// files that start faster than the ~150 modules of dist/ (and for `check`, one file of its own),
// unless a `tsc` run since the bundle was made left it stale; then from dist/cli. scripts/bundle-cli.mjs writes the modification time, in
// nanoseconds, of the dist/cli/main.js it was built from into dist/cli-bundle/built-from, and tsc
// rewrites that file on every run, so one read and one stat tell a fresh bundle from a stale one.
// (Whole nanoseconds as text: a time set with utimes passes through a double and may come back a
// microsecond off, which made an equal-milliseconds test fail on some builds.)
import module from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';

// Node 22.1+: keep V8's compiled code of the CLI's modules on disk between runs.
module.enableCompileCache?.();

const DIST = fileURLToPath(new URL('../dist/', import.meta.url));
const BUNDLE = `${DIST}cli-bundle/main.js`;
const MARKER = `${DIST}cli-bundle/built-from`;
const MODULES = `${DIST}cli/main.js`;

/** The subcommand `argv` runs, as dist/cli/commands.js reads it (`help <name>` included). */
function invoked(argv) {
  const [first, second] = argv.filter((arg) => !arg.startsWith('-'));
  return first === 'help' ? second : first;
}

/**
 * The bundle's entry for `argv`: its own file for a subcommand listed in the marker after the
 * time it was built from (scripts/bundle-cli.mjs), else main.js; dist/cli when the bundle is stale.
 */
function entryFor(argv) {
  let marker;
  try {
    marker = readFileSync(MARKER, 'latin1').split('\n');
    if (marker[0] !== String(statSync(MODULES, { bigint: true }).mtimeNs)) return MODULES;
  } catch {
    return MODULES;
  }
  const name = invoked(argv);
  return marker.includes(name, 1) ? `${DIST}cli-bundle/main-${name}.js` : BUNDLE;
}

const { main } = await import(pathToFileURL(entryFor(process.argv.slice(2))).href);

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    const message = error instanceof Error ? error.message : String(error);
    // The library's errors already start with "corsproof:".
    process.stderr.write(`${message.startsWith('corsproof:') ? '' : 'corsproof: '}${message}\n`);
    process.exitCode = 2;
  },
);

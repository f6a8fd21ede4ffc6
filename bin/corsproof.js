#!/usr/bin/env node
import { statSync } from 'node:fs';
// Thin shim: the CLI lives in dist/ (built by `npm run build`). It runs from dist/cli-bundle, a few
// files that start faster than the ~150 modules of dist/, unless a `tsc` run since the bundle was
// made left it stale; then from dist/cli. scripts/bundle-cli.mjs gives the bundle's entry the
// modification time of the dist/cli/main.js it was built from, and tsc rewrites that file on every
// run, so two stats tell a fresh bundle from a stale one (a walk over dist/ cost ~3 ms).
import module from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';

// Node 22.1+: keep V8's compiled code of the CLI's modules on disk between runs.
module.enableCompileCache?.();

const DIST = fileURLToPath(new URL('../dist/', import.meta.url));
const BUNDLE = `${DIST}cli-bundle/main.js`;
const MODULES = `${DIST}cli/main.js`;

function bundleIsFresh() {
  try {
    // Whole milliseconds: file systems keep finer times than utimes sets.
    return Math.trunc(statSync(BUNDLE).mtimeMs) === Math.trunc(statSync(MODULES).mtimeMs);
  } catch {
    return false;
  }
}

const entry = bundleIsFresh() ? BUNDLE : MODULES;
const { main } = await import(pathToFileURL(entry).href);

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

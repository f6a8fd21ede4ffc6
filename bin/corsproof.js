#!/usr/bin/env node
// Thin shim: the CLI lives in dist/ (built by `npm run build`). It runs from dist/cli-bundle, a few
// files that start faster than the ~150 modules of dist/, unless a `tsc` run since the bundle was
// made left it stale (any module of dist/ newer than it); then from dist/cli. The check costs ~3 ms.
import { readdirSync, statSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

const DIST = fileURLToPath(new URL('../dist/', import.meta.url));
const BUNDLE = `${DIST}cli-bundle/main.js`;

/** The newest mtime of the modules tsc wrote into `dir` (the bundle and the web page aside). */
function newestModule(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const at = `${dir}/${entry.name}`;
    if (entry.isDirectory()) {
      if (entry.name !== 'cli-bundle' && entry.name !== 'web')
        newest = Math.max(newest, newestModule(at));
    } else if (entry.name.endsWith('.js')) {
      newest = Math.max(newest, statSync(at).mtimeMs);
    }
  }
  return newest;
}

function bundleIsFresh() {
  try {
    return statSync(BUNDLE).mtimeMs >= newestModule(DIST);
  } catch {
    return false;
  }
}

const entry = bundleIsFresh() ? BUNDLE : `${DIST}cli/main.js`;
const { main } = await import(pathToFileURL(entry).href);

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    process.stderr.write(`corsproof: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 2;
  },
);

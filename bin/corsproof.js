#!/usr/bin/env node
// Thin shim: the CLI lives in dist/cli (built by `npm run build`).
import { main } from '../dist/cli/main.js';

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    process.stderr.write(`corsproof: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 2;
  },
);

/**
 * Builds what `corsproof` runs, as `npm run build` does for it: tsc into dist/, then the CLI bundle
 * (scripts/bundle-cli.mjs), so the spawned CLI is the bundle users run and not a stale one. Type
 * errors elsewhere in the tree do not stop tsc emitting; the tests' assertions are what matter.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const ROOT = path.resolve(import.meta.dirname, '../..');

/** Under `npm test` or `npm run test:long`, whose first step built everything already. */
function builtByNpm(): boolean {
  const event = process.env.npm_lifecycle_event;
  return (
    (event === 'test' || event === 'test:long') &&
    existsSync(path.join(ROOT, 'dist', 'cli-bundle', 'main.js'))
  );
}

const TSC = path.join(ROOT, 'node_modules/.bin/tsc');
const BUNDLE = 'scripts/bundle-cli.mjs';

function tscArgs(name: string): string[] {
  return [
    '-p',
    'tsconfig.build.json',
    '--incremental',
    '--tsBuildInfoFile',
    path.join(os.tmpdir(), `corsproof-${name}.tsbuildinfo`),
  ];
}

function run(file: string, args: readonly string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile(file, args, { cwd: ROOT }, (error) => (error === null ? resolve() : reject(error)));
  });
}

/**
 * `name` keeps tsc's incremental state outside the tree, so a second run re-emits only changes.
 * Under `npm test` the `pretest` script has just built everything, and under `npm run test:long`
 * its own first step has: that build is used as is. Asynchronous: tsc takes tens of seconds, and
 * vitest's worker must keep answering its runner meanwhile (a blocked worker fails the run with
 * "Timeout calling onTaskUpdate").
 */
export async function buildCliAsync(name: string): Promise<void> {
  if (builtByNpm()) return;
  // tsc exits non-zero on any type error anywhere; the files it emitted are still usable.
  await run(TSC, tscArgs(name)).catch(() => undefined);
  await run(process.execPath, [BUNDLE]);
}

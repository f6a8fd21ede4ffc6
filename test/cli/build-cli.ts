/**
 * Builds what `corsproof` runs, as `npm run build` does for it: tsc into dist/, then the CLI bundle
 * (scripts/bundle-cli.mjs), so the spawned CLI is the bundle users run and not a stale one. Type
 * errors elsewhere in the tree do not stop tsc emitting; the tests' assertions are what matter.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const ROOT = path.resolve(import.meta.dirname, '../..');

/**
 * `name` keeps tsc's incremental state outside the tree, so a second run re-emits only changes.
 * Under `npm test` the `pretest` script has just built everything, and under `npm run test:long`
 * its own first step has: that build is used as is.
 */
export function buildCli(name: string): void {
  const event = process.env.npm_lifecycle_event;
  if (
    (event === 'test' || event === 'test:long') &&
    existsSync(path.join(ROOT, 'dist', 'cli-bundle', 'main.js'))
  ) {
    return;
  }
  try {
    execFileSync(
      path.join(ROOT, 'node_modules/.bin/tsc'),
      [
        '-p',
        'tsconfig.build.json',
        '--incremental',
        '--tsBuildInfoFile',
        path.join(os.tmpdir(), `corsproof-${name}.tsbuildinfo`),
      ],
      { cwd: ROOT, stdio: 'pipe' },
    );
  } catch {
    // tsc exits non-zero on any type error anywhere; the files it emitted are still usable.
  }
  execFileSync(process.execPath, ['scripts/bundle-cli.mjs'], { cwd: ROOT, stdio: 'pipe' });
}

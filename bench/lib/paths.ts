/**
 * Where things are. The bench's own files (servers, Lua, compiled workers) live in this checkout;
 * the corsproof being measured (its dist/ and bin/) is `--target`, this checkout by default.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

function findRepoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const pkg = join(dir, 'package.json');
    // The tools' root package; before the library became its own package the root was corsproof.
    const name = existsSync(pkg)
      ? (JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name
      : undefined;
    if (name === '@corsproof/tools' || name === 'corsproof') return dir;
    const up = dirname(dir);
    if (up === dir) throw new Error('bench: cannot find the corsproof checkout above this file');
    dir = up;
  }
}

/** The checkout the bench lives in. */
export const REPO = findRepoRoot();
/** bench/ sources: servers, Lua scripts. */
export const BENCH_SRC = join(REPO, 'bench');
/** The compiled bench (this file's tree). */
export const BENCH_BUILD = resolve(dirname(fileURLToPath(import.meta.url)), '..');

export interface Target {
  readonly root: string;
  /** The tools' build: checker, auditor, CLI. */
  readonly dist: string;
  /** The library's build (policy engine, adapters): packages/corsproof/dist, or dist/ in a
   * checkout from before the library became its own package. */
  readonly lib: string;
  readonly bin: string;
}

export function targetAt(root: string): Target {
  const abs = resolve(root);
  const dist = join(abs, 'dist');
  const lib = join(abs, 'packages', 'corsproof', 'dist');
  return {
    root: abs,
    dist,
    lib: existsSync(lib) ? lib : dist,
    bin: join(abs, 'bin', 'corsproof.js'),
  };
}

/** The installed version of a package, as the bench's servers resolve it. */
export function packageVersion(name: string): string {
  try {
    const pkg = join(REPO, 'node_modules', name, 'package.json');
    return (JSON.parse(readFileSync(pkg, 'utf8')) as { version: string }).version;
  } catch {
    return '?';
  }
}

/**
 * Naming the servers a checker's fix is rendered for (`corsproof check --fix-for nginx,flask`):
 * the target names as data, without the generators, so a command can list and validate them
 * without loading sixteen generators it may never run.
 */
import type { TargetName } from './target.js';

/** Every target `corsproof generate --for` knows, in the order `--help` lists them. */
export const TARGET_NAMES = [
  'nginx',
  'apache',
  'caddy',
  'haproxy',
  'flask',
  'django',
  'fastapi',
  'express',
  'fastify',
  'koa',
  'hono',
  'workers',
  'cors',
  'aspnetcore',
  'spring',
  's3',
] as const satisfies readonly TargetName[];

/**
 * The servers a fix is rendered for when none are asked for: one per ecosystem the checker's
 * users run APIs on (Node, Python's two styles, .NET) and the two proxies that most often front
 * them; `--fix-for` (or `snippetsFor` with other targets) gives any of the sixteen.
 */
export const DEFAULT_FIX_TARGETS: readonly TargetName[] = [
  'express',
  'nginx',
  'caddy',
  'flask',
  'fastapi',
  'aspnetcore',
];

/** Thrown for a target list naming a server there is no generator for. */
export class FixTargetError extends Error {
  override readonly name = 'FixTargetError';
}

const KNOWN: ReadonlySet<string> = new Set(TARGET_NAMES);

/**
 * Reads a comma-separated target list (`nginx,flask`); throws a `FixTargetError` naming the
 * unknown names and every known one.
 *
 * @example
 * parseFixTargets('nginx, flask') // ['nginx', 'flask']
 */
export function parseFixTargets(list: string): TargetName[] {
  const names = list
    .split(',')
    .map((n) => n.trim())
    .filter((n) => n !== '');
  const unknown = names.filter((n) => !KNOWN.has(n));
  if (names.length === 0 || unknown.length > 0) {
    const what = names.length === 0 ? 'no target' : `no generator for ${unknown.join(', ')}`;
    throw new FixTargetError(
      `corsproof: ${what}; name one or more of ${TARGET_NAMES.join(', ')}, separated by commas`,
    );
  }
  return [...new Set(names)] as TargetName[];
}

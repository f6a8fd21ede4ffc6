/**
 * What `check --openapi` and `audit --openapi` share: reading the description, turning it into
 * operations, keeping those `--include`/`--exclude` select, and the rate-limited pool they send
 * through. A bad description is a usage error naming the parser's location and what it expected.
 */
import { readFile } from 'node:fs/promises';
import type { Dispatcher } from 'undici';
import { createCheckDispatcher, type ResolveMap } from '../check/index.js';
import {
  ApiDescriptionError,
  type ApiOperation,
  listOperations,
  loadApiDescription,
  selectOperations,
} from '../openapi/index.js';
import { HostRateLimiter, rateLimited } from './rate-limit.js';
import type { Terminal } from './terminal.js';

export interface OpenApiFlags {
  openapi?: string;
  baseUrl?: string;
  include?: string[];
  exclude?: string[];
  rate?: number;
}

/** Collects a repeatable option into a list. */
export function collectList(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

/**
 * The selected operations of `--openapi FILE`, or `undefined` after saying on stderr what is wrong
 * (unreadable file, bad description, no base URL, nothing selected).
 */
export async function readOperations(
  flags: OpenApiFlags,
  terminal: Terminal,
): Promise<ApiOperation[] | undefined> {
  const file = flags.openapi ?? '';
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    terminal.stderr.write(
      `corsproof: cannot read --openapi ${JSON.stringify(file)}: ${(error as Error).message}\n`,
    );
    return undefined;
  }
  let all: ApiOperation[];
  try {
    const doc = await loadApiDescription(text, file);
    all = listOperations(doc, flags.baseUrl === undefined ? {} : { baseUrl: flags.baseUrl });
  } catch (error) {
    if (!(error instanceof ApiDescriptionError)) throw error;
    terminal.stderr.write(`${error.message}\n`);
    return undefined;
  }
  const selected = selectOperations(all, {
    ...(flags.include === undefined ? {} : { include: flags.include }),
    ...(flags.exclude === undefined ? {} : { exclude: flags.exclude }),
  });
  if (selected.length === 0) {
    terminal.stderr.write(
      `corsproof: no operation to run: ${all.length} in ${JSON.stringify(file)}, none kept by --include/--exclude (a path glob such as '/users/**', or tag:NAME)\n`,
    );
    return undefined;
  }
  return selected;
}

/** A keep-alive pool for the whole run, each host's requests spaced `1000 / rate` ms apart. */
export function politePool(
  connections: number,
  rate: number,
  resolve: ResolveMap | undefined,
): Dispatcher {
  const agent = createCheckDispatcher({
    connections,
    ...(resolve === undefined ? {} : { resolve }),
  });
  return rateLimited(agent, new HostRateLimiter(rate));
}

/** `METHOD /path`, as the tables and groups name an operation. */
export function operationLabel(op: ApiOperation): string {
  return `${op.method} ${op.path}`;
}

/** `extra` over `base`, by header name (case-insensitive): the user's -H wins over a placeholder. */
export function mergeHeaders(
  base: readonly (readonly [string, string])[],
  extra: readonly (readonly [string, string])[],
): [string, string][] {
  const overridden = new Set(extra.map(([name]) => name.toLowerCase()));
  return [
    ...base.filter(([name]) => !overridden.has(name.toLowerCase())).map(([n, v]) => [n, v]),
    ...extra.map(([n, v]) => [n, v]),
  ] as [string, string][];
}

/** Items grouped by a key, the largest group first (ties in first-seen order). */
export function groupBy<T>(items: readonly T[], key: (item: T) => string): [string, T[]][] {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const group = groups.get(k);
    if (group === undefined) groups.set(k, [item]);
    else group.push(item);
  }
  return [...groups.entries()].sort((a, b) => b[1].length - a[1].length);
}

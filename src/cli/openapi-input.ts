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
import type { OpenApiFlags } from './openapi-flags.js';
import { HostRateLimiter, rateLimited } from './rate-limit.js';
import type { Terminal } from './terminal.js';

/**
 * The selected operations of `--openapi FILE`, or `undefined` after saying on stderr what is wrong
 * (unreadable file, bad description, no base URL, nothing selected).
 */
export async function readOperations(
  flags: OpenApiFlags & { resolve?: ResolveMap },
  terminal: Terminal,
): Promise<ApiOperation[] | undefined> {
  const file = flags.openapi ?? '';
  const isLink = /^https?:\/\//i.test(file);
  let text: string;
  try {
    text = isLink ? await fetchDescription(file, flags.resolve) : await readFile(file, 'utf8');
  } catch (error) {
    terminal.stderr.write(
      `corsproof: cannot ${isLink ? 'fetch' : 'read'} --openapi ${JSON.stringify(file)}: ${(error as Error).message}\n`,
    );
    return undefined;
  }
  let all: ApiOperation[];
  try {
    const doc = await loadApiDescription(text, file);
    all = listOperations(doc, {
      ...(flags.baseUrl === undefined ? {} : { baseUrl: flags.baseUrl }),
      // A relative server URL is relative to where the description was fetched from.
      ...(isLink ? { documentUrl: file } : {}),
    });
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

/** Redirects followed when fetching a linked description. */
const MAX_REDIRECTS = 5;
/** The longest description read from a link. */
const MAX_DESCRIPTION_BYTES = 16 * 1024 * 1024;

/**
 * A linked description's text, fetched through the checker's own pool (so `--resolve` applies),
 * following a few redirects.
 */
async function fetchDescription(link: string, resolve: ResolveMap | undefined): Promise<string> {
  // undici's request API is loaded only here; the checker's pool is leaner without it.
  const { request } = await import('undici');
  const dispatcher = createCheckDispatcher(resolve === undefined ? {} : { resolve });
  try {
    let url = link;
    for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
      const response = await request(url, {
        dispatcher,
        headers: { accept: 'application/yaml, application/json;q=0.9, */*;q=0.5' },
        signal: AbortSignal.timeout(30_000),
      });
      const location = response.headers.location;
      if (response.statusCode >= 300 && response.statusCode < 400 && location !== undefined) {
        await response.body.dump();
        url = new URL(String(location), url).href;
        continue;
      }
      if (response.statusCode < 200 || response.statusCode > 299) {
        await response.body.dump();
        throw new Error(`${url} answered ${response.statusCode}`);
      }
      const length = Number(response.headers['content-length'] ?? 0);
      if (length > MAX_DESCRIPTION_BYTES) {
        await response.body.dump();
        throw new Error(`${length} bytes is more than the ${MAX_DESCRIPTION_BYTES} read`);
      }
      return await response.body.text();
    }
    throw new Error(`more than ${MAX_REDIRECTS} redirects`);
  } finally {
    await dispatcher.close();
  }
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

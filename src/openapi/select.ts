/**
 * `--include` and `--exclude`: which operations to run, by path glob (`/internal/**`) or by tag
 * (`tag:admin`). An operation is kept when it matches some include (or none are given) and no
 * exclude.
 */
import type { ApiOperation } from './operations.js';

export interface OperationFilter {
  readonly include?: readonly string[];
  readonly exclude?: readonly string[];
}

/**
 * A path glob as a regular expression: `**` any characters, `*` any but `/`, `?` one but `/`;
 * everything else literal. The path is the description's own (`/users/{id}`).
 */
function globToRegExp(glob: string): RegExp {
  let source = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i] as string;
    if (c === '*' && glob[i + 1] === '*') {
      source += '.*';
      i++;
    } else if (c === '*') source += '[^/]*';
    else if (c === '?') source += '[^/]';
    else source += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${source}$`);
}

/** One `--include`/`--exclude` value as a test on an operation. */
function matcherOf(pattern: string): (op: ApiOperation) => boolean {
  if (pattern.startsWith('tag:')) {
    const tag = pattern.slice(4);
    return (op) => op.tags.includes(tag);
  }
  const re = globToRegExp(pattern);
  return (op) => re.test(op.path);
}

/**
 * The operations the filter keeps, in their order.
 *
 * @example
 * selectOperations(ops, { include: ['tag:admin'], exclude: ['/internal/**'] })
 */
export function selectOperations(
  operations: readonly ApiOperation[],
  filter: OperationFilter,
): ApiOperation[] {
  const include = (filter.include ?? []).map(matcherOf);
  const exclude = (filter.exclude ?? []).map(matcherOf);
  return operations.filter(
    (op) => (include.length === 0 || include.some((m) => m(op))) && !exclude.some((m) => m(op)),
  );
}

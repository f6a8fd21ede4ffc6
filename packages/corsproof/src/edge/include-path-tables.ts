/**
 * `includePathTables()` as the Node build has it: that build always compiles path tables, so there
 * is nothing to include. The edge build has edge/include-path-tables.edge.ts instead.
 */

/**
 * Makes the edge build of corsproof (the `workerd`, `worker` and `browser` export conditions)
 * compile path tables, so that `cors.paths({ '/api/*': {...} })` works in a Worker as it does on
 * Node. Without it the edge build throws a `PathTablesAbsentError` from `cors.paths(table)` (a
 * table compiled with `compilePathTable()` needs no call). The compiler costs a Worker about
 * 3.2 KB gzipped; a Worker with one policy needs none of it. Does nothing in the Node build.
 *
 * @example
 * import { includePathTables } from 'corsproof';
 * import { cors } from 'corsproof/fetch';
 *
 * includePathTables();
 * export default {
 *   fetch: cors.paths({ '/api/*': { origins: ['https://app.example.com'] } })(handler),
 * };
 */
export function includePathTables(): void {}

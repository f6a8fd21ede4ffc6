/**
 * How `cors.paths(table)` compiles a table in the edge build of corsproof (the `workerd`, `worker`
 * and `browser` export conditions; scripts/build-edge.mjs puts this module in place of
 * path-tables.ts). The pattern compiler and its checks are a quarter of the engine, gzipped, and
 * most Workers use one policy; so the edge build compiles path tables only once the Worker calls
 * `includePathTables()` (edge/include-path-tables.edge.ts), which hands the compiler over here.
 * A table compiled beforehand with `compilePathTable()` needs no call.
 */
import { EdgeOptInError } from '../opt-in-error.js';
import type { PolicyRegistry } from './resolve.js';
import type { PathTable, PathTableInput } from './table.js';

/** Thrown by `cors.paths(table)` in the edge build when the Worker has not included path tables. */
const absent = () => new EdgeOptInError('PathTables', 'cors.paths(table)');

type Compiler = (input: PathTableInput, registry: PolicyRegistry) => PathTable;

let compiler: Compiler | null = null;

/** Gives the edge build the path-table compiler (through a function, so that without it none is bundled). */
export function usePathTableCompiler(compile: Compiler): void {
  compiler = compile;
}

/** Compiles a path table whose entries may name the registry's policies, once included. */
export function compilePathTableFor(input: PathTableInput, registry: PolicyRegistry): PathTable {
  if (compiler === null) throw absent();
  return compiler(input, registry);
}

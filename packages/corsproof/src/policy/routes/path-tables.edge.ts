/**
 * How `cors.paths(table)` compiles a table in the edge build of corsproof (the `workerd`, `worker`
 * and `browser` export conditions; scripts/build-edge.mjs puts this module in place of
 * path-tables.ts). The pattern compiler and its checks are a quarter of the engine, gzipped, and
 * most Workers use one policy; so the edge build compiles path tables only once the Worker calls
 * `includePathTables()` (edge/include-path-tables.edge.ts), which hands the compiler over here.
 * A table compiled beforehand with `compilePathTable()` needs no call.
 */
import type { PolicyRegistry } from './resolve.js';
import type { PathTable, PathTableInput } from './table.js';

/** Thrown by `cors.paths(table)` in the edge build when the Worker has not included path tables. */
export class PathTablesAbsentError extends Error {
  override readonly name = 'PathTablesAbsentError';

  constructor() {
    super(
      "corsproof: cors.paths(table) needs the path-table compiler, and the edge build of corsproof (the workerd, worker and browser export conditions) carries it only when asked. Fix: call includePathTables() from 'corsproof' before creating the middleware, or pass a table compiled with compilePathTable() from 'corsproof'.",
    );
  }
}

type Compiler = (input: PathTableInput, registry: PolicyRegistry) => PathTable;

let compiler: Compiler | null = null;

/** Gives the edge build the path-table compiler (through a function, so that without it none is bundled). */
export function usePathTableCompiler(compile: Compiler): void {
  compiler = compile;
}

/** Compiles a path table whose entries may name the registry's policies, once included. */
export function compilePathTableFor(input: PathTableInput, registry: PolicyRegistry): PathTable {
  if (compiler === null) throw new PathTablesAbsentError();
  return compiler(input, registry);
}

/**
 * How `cors.paths(table)` compiles a table, in the Node build: with `compilePathTable`, always
 * there. The edge build has path-tables.edge.ts instead (scripts/build-edge.mjs swaps it in), which
 * compiles tables only once the Worker calls `includePathTables()`, so a Worker that uses no path
 * table does not carry the pattern compiler.
 */
import type { PolicyRegistry } from './resolve.js';
import { compilePathTable, type PathTable, type PathTableInput } from './table.js';

/** Compiles a path table whose entries may name the registry's policies. */
export function compilePathTableFor(input: PathTableInput, registry: PolicyRegistry): PathTable {
  return compilePathTable(input, { policies: registry });
}

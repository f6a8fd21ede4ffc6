/**
 * `includePathTables()` in the edge build (scripts/build-edge.mjs puts this module in place of
 * include-path-tables.ts): hands the path-table compiler to policy/routes/path-tables.edge.ts, so
 * a bundler leaves the compiler out of a Worker that never calls this.
 */
import { usePathTableCompiler } from '../policy/routes/path-tables.edge.js';
import { compilePathTable } from '../policy/routes/table.js';

/** See include-path-tables.ts. */
export function includePathTables(): void {
  usePathTableCompiler((input, registry) => compilePathTable(input, { policies: registry }));
}

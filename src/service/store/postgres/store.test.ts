/**
 * The store contract (`../store-contract.ts`) run for PostgreSQL, in a schema of this file's own:
 * each case opens the store anew on it, and the rows a case left are truncated after it.
 */
import pg from 'pg';
import { afterAll, describe } from 'vitest';
import { dropSchema, postgresOrSkip, uniqueSchema } from '../../../../test/support/postgres.js';
import { describeStoreContract } from '../store-contract.js';
import { openPostgresStore } from './store.js';

const url = await postgresOrSkip();

describe.skipIf(url === undefined)('on PostgreSQL', () => {
  const schema = uniqueSchema('contract');
  const admin = new pg.Pool({ connectionString: url, max: 1 });

  afterAll(async () => {
    await admin.end();
    await dropSchema(schema);
  });

  /** Empties every table of the schema but the bookkeeping (versions and key) a store reopens on. */
  async function truncate(): Promise<void> {
    const { rows } = await admin.query<{ tablename: string }>(
      `SELECT tablename FROM pg_tables WHERE schemaname = $1
         AND tablename NOT IN ('schema_migrations', 'store_keys')`,
      [schema],
    );
    if (rows.length === 0) return;
    const tables = rows.map((row) => `"${schema}"."${row.tablename}"`).join(', ');
    await admin.query(`TRUNCATE ${tables} RESTART IDENTITY`);
  }

  describeStoreContract(
    'PostgreSQL',
    () => openPostgresStore(url as string, { schema, poolSize: 2 }),
    truncate,
  );
});

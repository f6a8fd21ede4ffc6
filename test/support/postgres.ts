/**
 * The PostgreSQL of the tests: where it is, a gate that skips (or fails under CI) when it is not
 * there, and a schema per test file or case so tests never see each other's rows.
 *
 * @example
 * ```ts
 * const url = await postgresOrSkip();
 * describe.skipIf(url === undefined)('on PostgreSQL', () => {
 *   const schema = uniqueSchema('batches');
 *   afterAll(() => dropSchema(schema));
 *   ...
 * });
 * ```
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { reasonOf, skipOrFail } from './unreachable.js';

const VARIABLE = 'CORSPROOF_TEST_POSTGRES_URL';

/** The test database: `CORSPROOF_TEST_POSTGRES_URL`, else the local server every machine runs. */
export const POSTGRES_URL = process.env[VARIABLE] ?? 'postgres://postgres@127.0.0.1:5432/test';

let probe: Promise<string | undefined> | undefined;

async function answers(url: string): Promise<string | undefined> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  // A connection lost after connect emits 'error'; the query below reports it.
  client.on('error', () => {});
  try {
    await client.connect();
    await client.query('SELECT 1');
    return url;
  } catch (error) {
    return skipOrFail('PostgreSQL', url, reasonOf(error), VARIABLE);
  } finally {
    await client.end().catch(() => {});
  }
}

/**
 * The URL of the test database when it answers; undefined, with a message, when it does not
 * (throws instead under `CI`). Probed once per test file.
 */
export function postgresOrSkip(): Promise<string | undefined> {
  probe ??= answers(POSTGRES_URL);
  return probe;
}

/** A schema name no other test uses: `test_<label>_<random>`. */
export function uniqueSchema(label: string): string {
  const clean = label
    .toLowerCase()
    .replace(/[^a-z0-9_]/g, '_')
    .slice(0, 30);
  return `test_${clean}_${randomBytes(6).toString('hex')}`;
}

/** Drops `schema` and everything in it (tests call it after their last case). */
export async function dropSchema(schema: string, url = POSTGRES_URL): Promise<void> {
  if (!/^[a-z_][a-z0-9_]*$/.test(schema)) throw new Error(`not a test schema: ${schema}`);
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  client.on('error', () => {});
  try {
    await client.connect();
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  } finally {
    await client.end().catch(() => {});
  }
}

/**
 * What only the PostgreSQL store has: several processes on one database (modelled by several
 * pools, each with its own connections), migrations racing, the shared key, and the typed failure
 * when the server is gone. The behaviour both stores share is the contract suite's.
 */
import { once } from 'node:events';
import { connect, createServer, type Server, type Socket } from 'node:net';
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dropSchema, postgresOrSkip, uniqueSchema } from '../../../../test/support/postgres.js';
import { MIGRATIONS, migrate } from '../migrations.js';
import { SAMPLE_INPUT } from '../store-contract.js';
import { StoreUnavailableError } from '../unavailable.js';
import { openPostgresStore, type PostgresStore } from './store.js';

const url = await postgresOrSkip();

const input = SAMPLE_INPUT;

/** Runs `work` on a plain connection whose search_path is `schema`. */
async function withClient<T>(schema: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url, options: `-c search_path=${schema}` });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

describe.skipIf(url === undefined)('the PostgreSQL store', () => {
  const schemas: string[] = [];
  const stores: PostgresStore[] = [];

  /** A store on `schema` (a fresh one when omitted), closed and dropped after the file. */
  async function open(
    schema = uniqueSchema('pg'),
    options: Parameters<typeof openPostgresStore>[1] = {},
  ): Promise<PostgresStore> {
    if (!schemas.includes(schema)) schemas.push(schema);
    const store = await openPostgresStore(url as string, { schema, poolSize: 4, ...options });
    stores.push(store);
    return store;
  }

  afterAll(async () => {
    await Promise.all(stores.map((s) => s.close()));
    for (const schema of schemas) await dropSchema(schema);
  });

  async function seedBatch(store: PostgresStore, id: string, n: number): Promise<void> {
    await store.batches.create({
      id,
      createdAt: 1,
      kind: 'check',
      targets: Array.from({ length: n }, () => ({ input, sealedInput: null, notices: [] })),
    });
  }

  describe('two processes on one database', () => {
    let a: PostgresStore;
    let b: PostgresStore;

    beforeAll(async () => {
      const schema = uniqueSchema('fleet');
      // Enough connections and patience for the dozens of transactions queued at once below.
      a = await open(schema, { poolSize: 8, connectTimeoutMs: 20_000 });
      b = await open(schema, { poolSize: 8, connectTimeoutMs: 20_000 });
    });

    it('never hand out the same batch target to both, and hand out every one', async () => {
      const n = 120;
      await seedBatch(a, 'bat_claims', n);
      // Four claimers per process, each claiming until nothing is left.
      const claimer = async (store: PostgresStore): Promise<number[]> => {
        const got: number[] = [];
        for (;;) {
          const claimed = await store.batches.claimNext('bat_claims');
          if (claimed === undefined) return got;
          got.push(claimed.position);
        }
      };
      const results = await Promise.all([a, a, a, a, b, b, b, b].map(claimer));
      const all = results.flat().sort((x, y) => x - y);
      expect(all).toEqual(Array.from({ length: n }, (_, i) => i));
    });

    it('store a result once when both complete the same target at the same time', async () => {
      await seedBatch(a, 'bat_twice', 2);
      await a.batches.claimNext('bat_twice');
      const [first, second] = await Promise.all([
        a.batches.complete('bat_twice', 0, 'passed', { by: 'a' }, 10),
        b.batches.complete('bat_twice', 0, 'failed', { by: 'b' }, 11),
      ]);
      const stored = [first, second].filter((c) => c !== undefined);
      expect(stored).toHaveLength(1);
      expect(stored[0]?.target.seq).toBe(1);
      expect(await a.batches.get('bat_twice')).toMatchObject({
        progress: { done: 1, total: 2 },
        status: 'running',
      });
      const results = await a.batches.resultsAfter('bat_twice', 0);
      expect(results).toHaveLength(1);
      expect(results[0]?.result).toEqual(stored[0]?.target.result);
    });

    it('number completions 1..n without gap or repeat when both complete at once', async () => {
      const n = 60;
      await seedBatch(a, 'bat_seq', n);
      for (let i = 0; i < n; i++) await a.batches.claimNext('bat_seq');
      // Every target completed twice, once from each process, all at once.
      const completions = await Promise.all(
        Array.from({ length: n }, (_, position) => [
          a.batches.complete('bat_seq', position, 'passed', { position }, 100 + position),
          b.batches.complete('bat_seq', position, 'passed', { position }, 100 + position),
        ]).flat(),
      );
      const seqs = completions
        .filter((c) => c !== undefined)
        .map((c) => c.target.seq)
        .sort((x, y) => (x ?? 0) - (y ?? 0));
      expect(seqs).toEqual(Array.from({ length: n }, (_, i) => i + 1));
      expect(await b.batches.get('bat_seq')).toMatchObject({
        status: 'done',
        progress: { done: n, total: n, passed: n },
      });
      const done = await b.batches.resultsAfter('bat_seq', 0);
      expect(done.map((t) => t.seq)).toEqual(seqs);
      expect(new Set(done.map((t) => t.position)).size).toBe(n);
    });

    it('never hand out the same due monitor to both', async () => {
      const n = 40;
      for (let i = 0; i < n; i++) {
        await a.monitors.create({
          id: `mon_${String(i).padStart(3, '0')}`,
          createdAt: 1,
          input,
          sealedInput: null,
          notices: [],
          intervalSeconds: 60,
          nextRunAt: 1000 + i,
        });
      }
      const claims = await Promise.all(
        [a, b, a, b, a, b].map((store) => store.monitors.claimDue(5000, 10)),
      );
      const ids = claims.flat().map((m) => m.id);
      expect(new Set(ids).size).toBe(ids.length);
      // Six claims of up to ten, forty due: a claim that got fewer than ten found every other
      // monitor held or taken, so together they took all forty.
      expect(ids.length).toBe(n);
      for (const claim of claims) {
        const next = claim.map((m) => m.nextRunAt);
        expect(next).toEqual([...next].sort((x, y) => x - y));
      }
      expect(await a.monitors.claimDue(5000, 10)).toEqual([]);
      // A lease older than the cut-off is cleared; a newer one stays.
      expect(await b.monitors.resetRunning(4000)).toBe(0);
      expect(await b.monitors.resetRunning(6000)).toBe(n);
    });
  });

  describe('migrations', () => {
    it('run once when two instances start on an empty schema at the same moment', async () => {
      const schema = uniqueSchema('race');
      const [a, b] = await Promise.all([open(schema), open(schema)]);
      const versions = await withClient(schema, async (client) => {
        const result = await client.query<{ version: number }>(
          'SELECT version FROM schema_migrations ORDER BY version',
        );
        return result.rows.map((row) => row.version);
      });
      expect(versions).toEqual(MIGRATIONS.map((_, i) => i + 1));
      // Both read the one key the first of them kept.
      expect(b.secrets.open(a.secrets.seal('Bearer x'))).toBe('Bearer x');
      expect(Buffer.from(a.redactionKey)).toEqual(Buffer.from(b.redactionKey));
    });

    it('refuse a schema written by a newer corsproof', async () => {
      const schema = uniqueSchema('newer');
      await open(schema);
      await withClient(schema, (client) =>
        client.query('INSERT INTO schema_migrations (version, applied_at) VALUES ($1, 0)', [
          MIGRATIONS.length + 1,
        ]),
      );
      await expect(openPostgresStore(url as string, { schema })).rejects.toThrow(
        /newer than this corsproof knows/,
      );
    });

    it('make the same tables, columns and indexes as SQLite', async () => {
      const sqlite = new Database(':memory:');
      migrate(sqlite);
      const sqliteTables = sqlite
        .prepare<[], { name: string }>(
          "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name",
        )
        .all()
        .map((t) => t.name);
      const sqliteShape = sqliteTables.map((table) => ({
        table,
        columns: sqlite
          .prepare<[], { name: string }>(`SELECT name FROM pragma_table_info('${table}')`)
          .all()
          .map((c) => c.name)
          .sort(),
      }));
      const sqliteIndexes = sqlite
        .prepare<[], { name: string }>(
          "SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL ORDER BY name",
        )
        .all()
        .map((i) => i.name);
      sqlite.close();

      const schema = uniqueSchema('shape');
      await open(schema);
      const { shape, indexes } = await withClient(schema, async (client) => {
        const columns = await client.query<{ table_name: string; column_name: string }>(
          'SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = $1',
          [schema],
        );
        const byTable = new Map<string, string[]>();
        for (const row of columns.rows) {
          if (row.table_name === 'store_keys') continue;
          byTable.set(row.table_name, [...(byTable.get(row.table_name) ?? []), row.column_name]);
        }
        const named = await client.query<{ indexname: string }>(
          // Indexes made by CREATE INDEX; primary keys and UNIQUE constraints are named by each engine.
          `SELECT indexname FROM pg_indexes WHERE schemaname = $1
             AND indexname NOT LIKE '%_pkey' AND indexname NOT LIKE '%_key' ORDER BY indexname`,
          [schema],
        );
        return {
          shape: [...byTable.keys()]
            .sort()
            .map((table) => ({ table, columns: (byTable.get(table) ?? []).sort() })),
          indexes: named.rows.map((row) => row.indexname),
        };
      });
      expect(shape).toEqual(sqliteShape);
      expect(indexes).toEqual(sqliteIndexes);
    });
  });

  describe('values', () => {
    it('keep JSON as the text it was written, and milliseconds as numbers', async () => {
      const store = await open();
      const now = Date.now();
      const result = { verdict: 'allowed', z: 1, a: [1.5, 'é', null], nested: { b: true, a: {} } };
      await store.checks.insert({
        id: 'chk_json',
        createdAt: now,
        input,
        notices: [],
        result: result as never,
      });
      const [row] = await withClient(store.schema, async (client) => {
        const rows = await client.query<{ result: string }>(
          "SELECT result FROM checks WHERE id = 'chk_json'",
        );
        return rows.rows;
      });
      expect(row?.result).toBe(JSON.stringify(result));
      const back = await store.checks.get('chk_json');
      expect(back?.createdAt).toBe(now);
      expect(JSON.stringify(back?.result)).toBe(JSON.stringify(result));
    });

    it('order and page ids by their bytes, whatever the collation of the database', async () => {
      const store = await open();
      // A locale collation would put 'chk_a' before 'chk_B'; bytes put upper case first.
      for (const id of ['chk_a', 'chk_B', 'chk_0']) {
        await store.checks.insert({
          id,
          createdAt: 1,
          input,
          notices: [],
          result: { verdict: 'allowed' } as never,
        });
      }
      expect((await store.checks.list({ limit: 10 })).map((c) => c.id)).toEqual([
        'chk_a',
        'chk_B',
        'chk_0',
      ]);
      expect((await store.checks.list({ limit: 10, before: 'chk_a' })).map((c) => c.id)).toEqual([
        'chk_B',
        'chk_0',
      ]);
      // The test database may well sort bytes already (C.UTF-8): the columns must say so themselves.
      const collations = await withClient(store.schema, async (client) => {
        const rows = await client.query<{ table_name: string; collation_name: string | null }>(
          `SELECT table_name, collation_name FROM information_schema.columns
           WHERE table_schema = $1 AND column_name = 'id' AND data_type = 'text'`,
          [store.schema],
        );
        return rows.rows;
      });
      expect(collations.length).toBeGreaterThan(5);
      for (const column of collations) expect(column).toMatchObject({ collation_name: 'C' });
    });
  });

  describe('the secret key', () => {
    const key = Buffer.alloc(32, 7);

    it('given, seals for every instance given it, and refuses an instance with another', async () => {
      const schema = uniqueSchema('key');
      const a = await open(schema, { secretKey: key.toString('base64') });
      const b = await open(schema, { secretKey: key });
      expect(b.secrets.open(a.secrets.seal('Bearer y'))).toBe('Bearer y');
      await expect(
        openPostgresStore(url as string, { schema, secretKey: Buffer.alloc(32, 8) }),
      ).rejects.toThrow(/CORSPROOF_SECRET_KEY is not the key this database was sealed with/);
      // Nor is a key made up when one was given before.
      await expect(openPostgresStore(url as string, { schema })).rejects.toThrow(
        /set CORSPROOF_SECRET_KEY to that key/,
      );
      const kept = await withClient(schema, (client) =>
        client.query("SELECT value FROM store_keys WHERE name = 'master'"),
      );
      expect(kept.rows).toEqual([]);
    });

    it('is refused when it is not base64 of 32 bytes', async () => {
      await expect(
        openPostgresStore(url as string, { schema: uniqueSchema('key'), secretKey: 'c2hvcnQ=' }),
      ).rejects.toThrow(/base64 of 32 bytes.*openssl rand -base64 32/);
    });
  });

  describe('when the server cannot be reached', () => {
    /** A TCP relay to the server that can be cut, as a network failure or a stopped server would. */
    async function relay(): Promise<{ url: string; cut(): Promise<void>; freeze(): void }> {
      const target = new URL(url as string);
      const sockets = new Set<Socket>();
      const pairs: [Socket, Socket][] = [];
      let frozen = false;
      const server: Server = createServer((client) => {
        if (frozen) {
          // Accepted, never answered.
          sockets.add(client);
          client.on('error', () => client.destroy());
          return;
        }
        const upstream = connect(Number(target.port || 5432), target.hostname);
        sockets.add(client).add(upstream);
        pairs.push([client, upstream]);
        client.pipe(upstream).pipe(client);
        const drop = () => {
          client.destroy();
          upstream.destroy();
        };
        client.on('error', drop).on('close', drop);
        upstream.on('error', drop).on('close', drop);
      });
      server.listen(0, '127.0.0.1');
      await once(server, 'listening');
      const address = server.address();
      if (address === null || typeof address === 'string') throw new Error('no port');
      const through = new URL(url as string);
      through.hostname = '127.0.0.1';
      through.port = String(address.port);
      return {
        url: through.toString(),
        async cut() {
          const closed = new Promise((resolve) => server.close(resolve));
          for (const socket of sockets) socket.destroy();
          await closed;
        },
        // Connections stay open and nothing more passes: a server that hangs.
        freeze() {
          frozen = true;
          for (const [client, upstream] of pairs) {
            client.unpipe(upstream);
            upstream.unpipe(client);
          }
        },
      };
    }

    it('rejects with StoreUnavailableError, and ping answers false', async () => {
      const cable = await relay();
      const schema = uniqueSchema('down');
      schemas.push(schema);
      const store = await openPostgresStore(cable.url, { schema, connectTimeoutMs: 1000 });
      stores.push(store);
      expect(await store.ping()).toBe(true);
      await cable.cut();
      const failure = await store.checks.get('chk_1').catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(StoreUnavailableError);
      expect(failure).toMatchObject({ code: 'STORE_UNAVAILABLE', retryAfterSeconds: 5 });
      expect((failure as Error).message).toMatch(
        /^corsproof: the database at 127\.0\.0\.1:\d+\/\w+ cannot be reached/,
      );
      await expect(store.batches.complete('bat_1', 0, 'passed', {}, 1)).rejects.toBeInstanceOf(
        StoreUnavailableError,
      );
      expect(await store.ping()).toBe(false);
    });

    it('rejects with StoreUnavailableError when the server stops answering on an open connection', async () => {
      const cable = await relay();
      const schema = uniqueSchema('hung');
      schemas.push(schema);
      const store = await openPostgresStore(cable.url, {
        schema,
        connectTimeoutMs: 1000,
        queryTimeoutMs: 500,
      });
      stores.push(store);
      expect(await store.ping()).toBe(true);
      cable.freeze();
      const failure = await store.checks.get('chk_1').catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(StoreUnavailableError);
      expect((failure as Error).message).toMatch(/cannot be reached \(Query read timeout\)/);
      expect(await store.ping()).toBe(false);
      await cable.cut();
    });

    it('rejects opening with StoreUnavailableError when nothing listens', async () => {
      const cable = await relay();
      await cable.cut();
      await expect(
        openPostgresStore(cable.url, { schema: uniqueSchema('none'), connectTimeoutMs: 1000 }),
      ).rejects.toBeInstanceOf(StoreUnavailableError);
    });

    it('rejects with StoreUnavailableError when no connection frees up in time', async () => {
      const schema = uniqueSchema('busy');
      const store = await open(schema, { poolSize: 1, connectTimeoutMs: 1000 });
      await seedBatch(store, 'bat_busy', 1);
      await store.batches.claimNext('bat_busy');
      await withClient(schema, async (holder) => {
        // Another process holds the batch row: the completion waits on it, with the only connection.
        await holder.query('BEGIN');
        await holder.query("SELECT * FROM batches WHERE id = 'bat_busy' FOR UPDATE");
        const completion = store.batches.complete('bat_busy', 0, 'passed', {}, 1);
        await expect(store.checks.get('chk_1')).rejects.toBeInstanceOf(StoreUnavailableError);
        await holder.query('COMMIT');
        expect((await completion)?.target.seq).toBe(1);
      });
    });
  });
});

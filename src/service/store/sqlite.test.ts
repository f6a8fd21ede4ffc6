/** What only the SQLite store has: migrations, pragmas, the key file beside the database. */
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { MIGRATIONS, migrate } from './migrations.js';
import { openSqliteStore, type SqliteStore } from './sqlite.js';
import { SAMPLE_INPUT } from './store-contract.js';

let store: SqliteStore | undefined;
const dirs: string[] = [];

afterEach(async () => {
  await store?.close();
  store = undefined;
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'corsproof-store-'));
  dirs.push(dir);
  return dir;
}

describe('migrations', () => {
  it('apply once, record their version, and are idempotent', () => {
    const db = new Database(':memory:');
    expect(migrate(db)).toBe(MIGRATIONS.length);
    expect(migrate(db)).toBe(MIGRATIONS.length);
    const rows = db.prepare('SELECT version FROM schema_migrations').all();
    expect(rows).toEqual(MIGRATIONS.map((_, i) => ({ version: i + 1 })));
    db.close();
  });

  it('apply only what is new', () => {
    const db = new Database(':memory:');
    migrate(db, MIGRATIONS);
    const extra = { sqlite: 'CREATE TABLE extra (x INTEGER) STRICT;', postgres: '' };
    expect(migrate(db, [...MIGRATIONS, extra])).toBe(MIGRATIONS.length + 1);
    expect(db.prepare("SELECT name FROM sqlite_master WHERE name = 'extra'").get()).toBeDefined();
    db.close();
  });

  it('refuse a database written by a newer corsproof', () => {
    const db = new Database(':memory:');
    migrate(db, [...MIGRATIONS, { sqlite: 'SELECT 1;', postgres: 'SELECT 1;' }]);
    expect(() => migrate(db)).toThrow(/newer than this corsproof knows/);
    db.close();
  });

  it('a file database runs in WAL mode with foreign keys and a busy timeout', () => {
    store = openSqliteStore(path.join(tempDir(), 'c.db'));
    expect(store.db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(store.db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(store.db.pragma('busy_timeout', { simple: true })).toBe(5000);
  });
});

describe('the key file', () => {
  it('is created 0600 beside the database and reused, so sealed inputs survive a restart', async () => {
    const file = path.join(tempDir(), 'k.db');
    store = openSqliteStore(file);
    const sealed = store.secrets.seal('Bearer x');
    await store.close();
    store = openSqliteStore(file);
    expect(store.secrets.open(sealed)).toBe('Bearer x');
    expect(statSync(`${file}.key`).mode & 0o777).toBe(0o600);
  });

  it('a file that is not a key is refused with a clear message', () => {
    const file = path.join(tempDir(), 'bad.db');
    writeFileSync(`${file}.key`, 'hello');
    expect(() => openSqliteStore(file)).toThrow(/not a corsproof key file/);
  });
});

describe('the batch tables', () => {
  it('refuse a second batch result with the same seq in the database itself', async () => {
    store = openSqliteStore(':memory:');
    const input = SAMPLE_INPUT;
    await store.batches.create({
      id: 'bat_1',
      createdAt: 1,
      kind: 'check',
      targets: [0, 1].map(() => ({ input, sealedInput: null, notices: [] })),
    });
    await store.batches.claimNext('bat_1');
    await store.batches.complete('bat_1', 0, 'passed', {}, 2);
    const db = store.db;
    expect(() => db.prepare('UPDATE batch_targets SET seq = 1 WHERE position = 1').run()).toThrow(
      /UNIQUE/,
    );
  });
});

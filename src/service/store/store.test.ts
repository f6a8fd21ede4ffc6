import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import type { CheckInput } from '../inputs.js';
import { decodeCursor, decodePositionCursor, encodeCursor } from './cursor.js';
import { openStore, type Store } from './index.js';
import { MIGRATIONS, migrate } from './migrations.js';
import { createSecretBox } from './secret-box.js';

const input: CheckInput = {
  url: 'https://x.example/',
  origin: 'https://a.example',
  method: 'GET',
  headers: [],
  body: null,
  browser: 'chromium',
  preflightOnly: false,
  galxe: false,
  allowUnsafeMethods: false,
};

let store: Store | undefined;
const dirs: string[] = [];

afterEach(() => {
  store?.close();
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
    expect(migrate(db, [...MIGRATIONS, 'CREATE TABLE extra (x INTEGER) STRICT;'])).toBe(
      MIGRATIONS.length + 1,
    );
    expect(db.prepare("SELECT name FROM sqlite_master WHERE name = 'extra'").get()).toBeDefined();
    db.close();
  });

  it('refuse a database written by a newer corsproof', () => {
    const db = new Database(':memory:');
    migrate(db, [...MIGRATIONS, 'SELECT 1;']);
    expect(() => migrate(db)).toThrow(/newer than this corsproof knows/);
    db.close();
  });

  it('a file database runs in WAL mode with foreign keys and a busy timeout', () => {
    store = openStore(path.join(tempDir(), 'c.db'));
    expect(store.db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(store.db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(store.db.pragma('busy_timeout', { simple: true })).toBe(5000);
  });
});

describe('the key file', () => {
  it('is created 0600 beside the database and reused, so sealed inputs survive a restart', () => {
    const file = path.join(tempDir(), 'k.db');
    store = openStore(file);
    const sealed = store.secrets.seal('Bearer x');
    store.close();
    store = openStore(file);
    expect(store.secrets.open(sealed)).toBe('Bearer x');
    expect(statSync(`${file}.key`).mode & 0o777).toBe(0o600);
  });

  it('a file that is not a key is refused with a clear message', () => {
    const file = path.join(tempDir(), 'bad.db');
    writeFileSync(`${file}.key`, 'hello');
    expect(() => openStore(file)).toThrow(/not a corsproof key file/);
  });

  it('sealed text is authenticated: another key or an altered text does not open', () => {
    const box = createSecretBox(Buffer.alloc(32, 1));
    const other = createSecretBox(Buffer.alloc(32, 2));
    const sealed = box.seal('secret');
    expect(() => other.open(sealed)).toThrow();
    expect(() => box.open(`${sealed.slice(0, -2)}AA`)).toThrow();
  });
});

describe('batch targets', () => {
  function seed(n: number) {
    store = openStore(':memory:');
    store.batches.create({
      id: 'bat_1',
      createdAt: 1,
      kind: 'check',
      targets: Array.from({ length: n }, () => ({ input, sealedInput: null, notices: [] })),
    });
    return store;
  }

  it('are claimed in order, and a result can only be committed once', () => {
    const s = seed(2);
    const a = s.batches.claimNext('bat_1');
    expect(a?.position).toBe(0);
    expect(s.batches.get('bat_1')?.status).toBe('running');
    const done = s.batches.complete('bat_1', 0, 'passed', { verdict: 'allowed' }, 5);
    expect(done?.target.seq).toBe(1);
    expect(done?.progress).toEqual({ done: 1, total: 2, passed: 1, failed: 0, errors: 0 });
    expect(s.batches.complete('bat_1', 0, 'failed', {}, 6)).toBeUndefined();
    // Not running (still pending): refused as well.
    expect(s.batches.complete('bat_1', 1, 'failed', {}, 6)).toBeUndefined();
    s.batches.claimNext('bat_1');
    const last = s.batches.complete('bat_1', 1, 'error', {}, 7);
    expect(last).toMatchObject({ status: 'done', target: { seq: 2 } });
    expect(s.batches.get('bat_1')).toMatchObject({ status: 'done', finishedAt: 7 });
    expect(s.batches.claimNext('bat_1')).toBeUndefined();
  });

  it('reset from running to pending at start-up, done ones untouched', () => {
    const s = seed(3);
    s.batches.claimNext('bat_1');
    s.batches.complete('bat_1', 0, 'passed', {}, 2);
    s.batches.claimNext('bat_1');
    expect(s.batches.resetRunning()).toBe(1);
    expect(s.batches.unfinished()).toEqual(['bat_1']);
    expect(s.batches.claimNext('bat_1')?.position).toBe(1);
    expect(s.batches.resultsAfter('bat_1', 0).map((t) => t.position)).toEqual([0]);
  });

  it('the database refuses a second result with the same seq', () => {
    const s = seed(2);
    s.batches.claimNext('bat_1');
    s.batches.complete('bat_1', 0, 'passed', {}, 2);
    expect(() => s.db.prepare('UPDATE batch_targets SET seq = 1 WHERE position = 1').run()).toThrow(
      /UNIQUE/,
    );
  });
});

describe('cursors', () => {
  it('round-trip, and anything else is not a cursor', () => {
    expect(decodeCursor(encodeCursor('chk_01ABC'))).toBe('chk_01ABC');
    expect(decodePositionCursor(encodeCursor(42))).toBe(42);
    expect(decodePositionCursor(encodeCursor('chk_1'))).toBeUndefined();
    expect(decodeCursor('===')).toBeUndefined();
    expect(decodeCursor(Buffer.from('\u0000\u0001').toString('base64url'))).toBeUndefined();
  });
});

/**
 * The suite every `Store` implementation must pass: one factory per implementation, each run
 * through the same cases. A new implementation adds its factory to `IMPLEMENTATIONS`.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { CheckInput } from '../routes/inputs.js';
import { decodeCursor, decodePositionCursor, encodeCursor } from './cursor.js';
import { createSecretBox } from './secret-box.js';
import { openSqliteStore } from './sqlite.js';
import type { Store } from './store.js';

/** Opens an empty store of one implementation. */
interface StoreFactory {
  readonly name: string;
  open(): Store;
}

const IMPLEMENTATIONS: readonly StoreFactory[] = [
  { name: 'SQLite', open: () => openSqliteStore(':memory:') },
];

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

afterEach(() => {
  store?.close();
  store = undefined;
});

describe.each(IMPLEMENTATIONS)('the $name store', ({ open }) => {
  describe('batch targets', () => {
    function seed(n: number): Store {
      const s = open();
      store = s;
      s.batches.create({
        id: 'bat_1',
        createdAt: 1,
        kind: 'check',
        targets: Array.from({ length: n }, () => ({ input, sealedInput: null, notices: [] })),
      });
      return s;
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
  });
});

describe('the SQLite store', () => {
  it('refuses a second batch result with the same seq in the database itself', () => {
    const s = openSqliteStore(':memory:');
    store = s;
    s.batches.create({
      id: 'bat_1',
      createdAt: 1,
      kind: 'check',
      targets: [0, 1].map(() => ({ input, sealedInput: null, notices: [] })),
    });
    s.batches.claimNext('bat_1');
    s.batches.complete('bat_1', 0, 'passed', {}, 2);
    expect(() => s.db.prepare('UPDATE batch_targets SET seq = 1 WHERE position = 1').run()).toThrow(
      /UNIQUE/,
    );
  });
});

describe('sealed inputs', () => {
  it('sealed text is authenticated: another key or an altered text does not open', () => {
    const box = createSecretBox(Buffer.alloc(32, 1));
    const other = createSecretBox(Buffer.alloc(32, 2));
    const sealed = box.seal('secret');
    expect(() => other.open(sealed)).toThrow();
    expect(() => box.open(`${sealed.slice(0, -2)}AA`)).toThrow();
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

/**
 * The suite every `Store` implementation must pass: one factory per implementation, each run
 * through the same cases. A new implementation adds its factory to `IMPLEMENTATIONS`.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { CheckResult } from '../../check/index.js';
import type { CheckInput } from '../routes/inputs.js';
import type { AuditRecord } from './audits.js';
import type { CheckRecord } from './checks.js';
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
  emulate: null,
  allowUnsafeMethods: false,
};

let store: Store | undefined;

afterEach(() => {
  store?.close();
  store = undefined;
});

describe.each(IMPLEMENTATIONS)('the $name store', ({ open }) => {
  /** A store that the suite closes after the case. */
  function fresh(): Store {
    const s = open();
    store = s;
    return s;
  }

  /** The store keeps results as JSON and reads nothing of them but the verdict. */
  function checkRecord(id: string, verdict: CheckResult['verdict'], url = input.url): CheckRecord {
    return {
      id,
      createdAt: Number(id.slice(4)),
      input: { ...input, url },
      notices: [{ code: 'PREFLIGHT_ONLY_UNSAFE_METHOD', message: 'only the preflight was sent' }],
      result: { verdict } as CheckResult,
    };
  }

  it('answers ping, and opens what its secrets sealed', () => {
    const s = fresh();
    expect(s.ping()).toBe(true);
    expect(s.secrets.open(s.secrets.seal('Bearer x'))).toBe('Bearer x');
    expect(s.redactionKey.length).toBeGreaterThan(0);
  });

  it('gives back a check as it was stored, and nothing for an unknown id', () => {
    const s = fresh();
    const record = checkRecord('chk_1', 'allowed');
    s.checks.insert(record);
    expect(s.checks.get('chk_1')).toEqual(record);
    expect(s.checks.get('chk_2')).toBeUndefined();
  });

  it('lists the history newest first, filtered and paged by the last id seen', () => {
    const s = fresh();
    s.checks.insert(checkRecord('chk_1', 'allowed'));
    s.checks.insert(checkRecord('chk_2', 'blocked', 'https://y.example/'));
    s.checks.insert(checkRecord('chk_3', 'blocked'));
    expect(s.checks.list({ limit: 10 }).map((c) => c.id)).toEqual(['chk_3', 'chk_2', 'chk_1']);
    expect(s.checks.list({ limit: 10, verdict: 'blocked' }).map((c) => c.id)).toEqual([
      'chk_3',
      'chk_2',
    ]);
    expect(s.checks.list({ limit: 10, url: 'https://y.example/' })).toEqual([
      {
        id: 'chk_2',
        createdAt: 2,
        url: 'https://y.example/',
        origin: input.origin,
        method: 'GET',
        verdict: 'blocked',
      },
    ]);
    expect(s.checks.list({ limit: 1, before: 'chk_3' }).map((c) => c.id)).toEqual(['chk_2']);
  });

  it('gives back an audit as it was stored', () => {
    const s = fresh();
    const record: AuditRecord = {
      id: 'aud_1',
      createdAt: 1,
      input: {
        url: input.url,
        origin: input.origin,
        method: 'GET',
        headers: [],
        credentials: false,
        browser: 'chromium',
        allowUnsafeMethods: false,
      },
      notices: [],
      outcome: 'passed',
      result: { findings: [] } as unknown as AuditRecord['result'],
    };
    s.audits.insert(record);
    expect(s.audits.get('aud_1')).toEqual(record);
    expect(s.audits.get('aud_2')).toBeUndefined();
  });

  describe('batch targets', () => {
    function seed(n: number): Store {
      const s = fresh();
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

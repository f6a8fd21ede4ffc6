/**
 * The store contract run for SQLite (the cases are in `store-contract.ts`), and what every
 * implementation shares: sealed inputs and page cursors.
 */
import { describe, expect, it } from 'vitest';
import { decodeCursor, decodePositionCursor, encodeCursor } from './cursor.js';
import { createSecretBox } from './secret-box.js';
import { openSqliteStore } from './sqlite.js';
import { describeStoreContract } from './store-contract.js';

describeStoreContract('SQLite', async () => openSqliteStore(':memory:'));

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

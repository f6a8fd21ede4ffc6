import { afterEach, describe, expect, it } from 'vitest';
import { createIdFactory } from '../store/ids.js';
import { openSqliteStore, type SqliteStore } from '../store/index.js';
import { adoptToken, generateTokenText, isTokenText, verifyToken } from './api-token.js';

let store: SqliteStore | undefined;

afterEach(async () => {
  await store?.close();
  store = undefined;
});

function open(): SqliteStore {
  store = openSqliteStore(':memory:');
  return store;
}

const newId = createIdFactory(() => Date.UTC(2026, 0, 1));
const adopt = (s: SqliteStore, token: string) =>
  adoptToken(s.tokens, 0, { token, name: 'from outside', scope: 'admin' });

describe('a token given from outside (serve --admin-token)', () => {
  it('is generated in the shape of any other token, and stored nowhere', async () => {
    const s = open();
    const token = generateTokenText(newId);
    expect(token).toMatch(/^cpt_[0-9A-Z]{26}_[A-Za-z0-9_-]{43}$/);
    expect(isTokenText(token)).toBe(true);
    expect(await verifyToken(s.tokens, token)).toBeUndefined();
  });

  it('is accepted once adopted, and adopting it again at the next start changes nothing', async () => {
    const s = open();
    const token = generateTokenText(newId);
    const record = await adopt(s, token);
    expect(record).toMatchObject({ name: 'from outside', scope: 'admin', revokedAt: null });
    expect((await verifyToken(s.tokens, token))?.id).toBe(record.id);
    expect(await adopt(s, token)).toEqual(record);
    expect(await s.tokens.list()).toHaveLength(1);
  });

  it('stays revoked when given again after its revocation', async () => {
    const s = open();
    const token = generateTokenText(newId);
    const { id } = await adopt(s, token);
    expect(await s.tokens.revoke(id, 1)).toBe(true);
    expect((await adopt(s, token)).revokedAt).toBe(1);
    expect(await verifyToken(s.tokens, token)).toBeUndefined();
  });

  it('is refused when it is not a token’s text, or names a stored token with another secret', async () => {
    const s = open();
    for (const text of ['secret', 'cpt_short_x', `${generateTokenText(newId).slice(0, -1)}`]) {
      await expect(adopt(s, text), text).rejects.toThrow(/corsproof token generate/);
    }
    const token = generateTokenText(newId);
    await adopt(s, token);
    const forged = `${token.slice(0, 31)}${'A'.repeat(43)}`;
    await expect(adopt(s, forged)).rejects.toThrow(
      /names the stored token tok_\w+ but is not its text/,
    );
    expect(await verifyToken(s.tokens, forged)).toBeUndefined();
  });
});

describe('a token given to several instances starting at once', () => {
  it('is stored once, and every instance gets its record', async () => {
    const s = open();
    const token = generateTokenText(newId);
    const records = await Promise.all([adopt(s, token), adopt(s, token), adopt(s, token)]);
    expect(new Set(records.map((r) => r.id)).size).toBe(1);
    expect(await s.tokens.list()).toHaveLength(1);
  });
});

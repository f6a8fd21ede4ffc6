/**
 * API tokens as text: `cpt_<id>_<secret>`, where `<id>` is the stored token's id without its
 * prefix (so the row is found without comparing secrets) and `<secret>` 32 random bytes in
 * base64url. Only the SHA-256 of the whole text is stored and compared, in constant time.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IdFactory } from '../store/ids.js';
import type { TokenRecord, TokenScope, TokenStore } from '../store/index.js';

const PREFIX = 'cpt_';
/** `tok_` ids have a 26-character body (see `store/ids.ts`). */
const ID_BODY = /^[0-9A-HJKMNP-TV-Z]{26}$/;

/** SHA-256 of a token's text. */
export function hashToken(token: string): Buffer {
  return createHash('sha256').update(token, 'utf8').digest();
}

/** The stored id a token's text names, or undefined when the text is not shaped like a token. */
export function tokenIdOf(token: string): string | undefined {
  if (!token.startsWith(PREFIX)) return undefined;
  const body = token.slice(PREFIX.length, PREFIX.length + 26);
  if (!ID_BODY.test(body) || token.charAt(PREFIX.length + 26) !== '_') return undefined;
  return `tok_${body}`;
}

/** A token just made: its record, and its text, which exists nowhere else. */
export interface IssuedToken {
  readonly record: TokenRecord;
  readonly token: string;
}

/** Makes a token, stores its hash, and returns the text (to show once). */
export async function issueToken(
  store: TokenStore,
  newId: IdFactory,
  now: number,
  request: { name: string; scope: TokenScope; createdBy: string | null },
): Promise<IssuedToken> {
  const id = newId('tok');
  const token = `${PREFIX}${id.slice(4)}_${randomBytes(32).toString('base64url')}`;
  const record: TokenRecord = {
    id,
    createdAt: now,
    name: request.name,
    scope: request.scope,
    hash: hashToken(token),
    createdBy: request.createdBy,
    revokedAt: null,
    lastUsedAt: null,
  };
  await store.insert(record);
  return { record, token };
}

/** The stored token `token` is, when it exists, matches, and is not revoked. */
export async function verifyToken(
  store: TokenStore,
  token: string,
): Promise<TokenRecord | undefined> {
  const id = tokenIdOf(token);
  const record = id === undefined ? undefined : await store.get(id);
  // Hash anyway, so a malformed or unknown token costs the same as a wrong one.
  const hash = hashToken(token);
  if (record === undefined || record.hash.length !== hash.length) return undefined;
  if (!timingSafeEqual(record.hash, hash)) return undefined;
  return record.revokedAt === null ? record : undefined;
}

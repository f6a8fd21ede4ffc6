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

/** The secret part: 32 random bytes are 43 base64url characters. */
const SECRET = /^[A-Za-z0-9_-]{43,}$/;

/** A new token's text for the `tok_` id `id`. */
function textFor(id: string): string {
  return `${PREFIX}${id.slice(4)}_${randomBytes(32).toString('base64url')}`;
}

/** Whether `text` is shaped like a token made here (an id, then a secret of 32 bytes or more). */
export function isTokenText(text: string): boolean {
  return tokenIdOf(text) !== undefined && SECRET.test(text.slice(PREFIX.length + 27));
}

/**
 * A new token's text, stored nowhere: for a service given its admin token from outside
 * (`serve --admin-token`, `CORSPROOF_ADMIN_TOKEN`), as a container's secret.
 */
export function generateTokenText(newId: IdFactory): string {
  return textFor(newId('tok'));
}

/**
 * Stores `request.token`, a text from `generateTokenText`, unless it is stored already, and
 * returns its record. Adopting the same text again at the next start changes nothing, and a token
 * revoked since stays revoked (its record says so): a variable cannot bring it back.
 *
 * @throws TypeError when the text is not a token's, or its id belongs to another token.
 */
export async function adoptToken(
  store: TokenStore,
  now: number,
  request: { token: string; name: string; scope: TokenScope },
): Promise<TokenRecord> {
  const id = tokenIdOf(request.token);
  if (id === undefined || !isTokenText(request.token)) {
    throw new TypeError('is not a corsproof token; make one with `corsproof token generate`');
  }
  const hash = hashToken(request.token);
  const existing = await store.get(id);
  if (existing !== undefined) return sameText(existing, hash);
  const record: TokenRecord = {
    id,
    createdAt: now,
    name: request.name,
    scope: request.scope,
    hash,
    createdBy: null,
    revokedAt: null,
    lastUsedAt: null,
  };
  try {
    await store.insert(record);
  } catch (error) {
    // Instances of a fleet starting at once with the same token: one insert wins, the others
    // find its record.
    const stored = await store.get(id);
    if (stored === undefined) throw error;
    return sameText(stored, hash);
  }
  return record;
}

/** `stored` when `hash` is its token's hash; a TypeError naming the id otherwise. */
function sameText(stored: TokenRecord, hash: Buffer): TokenRecord {
  if (stored.hash.length !== hash.length || !timingSafeEqual(stored.hash, hash)) {
    throw new TypeError(
      `names the stored token ${stored.id} but is not its text; make a new one with \`corsproof token generate\``,
    );
  }
  return stored;
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
  const token = textFor(id);
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

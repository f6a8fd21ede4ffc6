/**
 * Stored API tokens. Only the SHA-256 of a token is kept: the token is 256 random bits, so a hash
 * without salt or stretching is enough (nothing to guess), and a stolen database yields no token.
 */
import type { Database } from 'better-sqlite3';

/** What a token may do; see `auth/scopes.ts` for what each one grants. */
export type TokenScope = 'read' | 'run' | 'monitors' | 'metrics' | 'admin';

/** A stored token (its hash, never the token). */
export interface TokenRecord {
  readonly id: string;
  readonly createdAt: number;
  readonly name: string;
  readonly scope: TokenScope;
  /** SHA-256 of the whole token text. */
  readonly hash: Buffer;
  /** Name of the token that created this one; null for the bootstrap and CLI tokens. */
  readonly createdBy: string | null;
  readonly revokedAt: number | null;
  readonly lastUsedAt: number | null;
}

export interface TokenStore {
  insert(record: Omit<TokenRecord, 'revokedAt' | 'lastUsedAt'>): Promise<void>;
  get(id: string): Promise<TokenRecord | undefined>;
  /** Every token, revoked ones included, newest first. */
  list(): Promise<TokenRecord[]>;
  /** Marks the token revoked; false when there is no such token or it was already revoked. */
  revoke(id: string, at: number): Promise<boolean>;
  /** Records a use; written at most once a minute per token, so reads stay reads. */
  touch(id: string, at: number): Promise<void>;
  /** Tokens not revoked. */
  countActive(): Promise<number>;
}

export interface TokenRow {
  id: string;
  created_at: number;
  name: string;
  scope: TokenScope;
  hash: Buffer;
  created_by: string | null;
  revoked_at: number | null;
  last_used_at: number | null;
}

export const COLUMNS = 'id, created_at, name, scope, hash, created_by, revoked_at, last_used_at';

export function fromRow(row: TokenRow): TokenRecord {
  return {
    id: row.id,
    createdAt: row.created_at,
    name: row.name,
    scope: row.scope,
    hash: row.hash,
    createdBy: row.created_by,
    revokedAt: row.revoked_at,
    lastUsedAt: row.last_used_at,
  };
}

export function createTokenStore(db: Database): TokenStore {
  const insert = db.prepare<[Record<string, string | number | Buffer | null>]>(
    `INSERT INTO api_tokens (id, created_at, name, scope, hash, created_by)
     VALUES (@id, @createdAt, @name, @scope, @hash, @createdBy)`,
  );
  const get = db.prepare<[string], TokenRow>(`SELECT ${COLUMNS} FROM api_tokens WHERE id = ?`);
  const list = db.prepare<[], TokenRow>(`SELECT ${COLUMNS} FROM api_tokens ORDER BY id DESC`);
  const revoke = db.prepare<[number, string]>(
    'UPDATE api_tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL',
  );
  const touch = db.prepare<[number, string, number]>(
    `UPDATE api_tokens SET last_used_at = ?
     WHERE id = ? AND (last_used_at IS NULL OR last_used_at < ?)`,
  );
  const countActive = db.prepare<[], { n: number }>(
    'SELECT COUNT(*) AS n FROM api_tokens WHERE revoked_at IS NULL',
  );
  return {
    async insert(record) {
      insert.run({
        id: record.id,
        createdAt: record.createdAt,
        name: record.name,
        scope: record.scope,
        hash: record.hash,
        createdBy: record.createdBy,
      });
    },
    async get(id) {
      const row = get.get(id);
      return row === undefined ? undefined : fromRow(row);
    },
    async list() {
      return list.all().map(fromRow);
    },
    async revoke(id, at) {
      return revoke.run(at, id).changes === 1;
    },
    async touch(id, at) {
      touch.run(at, id, at - 60_000);
    },
    async countActive() {
      return countActive.get()?.n ?? 0;
    },
  };
}

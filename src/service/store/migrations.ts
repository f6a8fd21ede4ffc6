/**
 * The database schema, as ordered migrations. Version n is `MIGRATIONS[n - 1]`; the versions
 * applied are rows of `schema_migrations`. Never edit a released migration: append a new one.
 *
 * Each version is written once per engine, side by side: the same tables, columns, constraints
 * and indexes, in each one's dialect (`postgres/migrate.ts` applies the PostgreSQL side). A new
 * version changes both, and `postgres/postgres.test.ts` compares the two schemas.
 *
 * Times are integer milliseconds since the epoch (SQLite INTEGER, PostgreSQL BIGINT). JSON columns
 * are TEXT in both, so a stored document reads back byte for byte (PostgreSQL's JSONB would reorder
 * keys and drop duplicates); they hold redacted data only. The `sealed_input` columns hold the
 * clear input encrypted (see `secret-box.ts`), and only when it carries credentials a re-run needs.
 * In PostgreSQL the ids are `COLLATE "C"`: pages are cut with `id < $before` and ordered by id,
 * which must compare bytes as SQLite does, not by the database's locale.
 */
import type { Database } from 'better-sqlite3';

/** One version of the schema, in each engine's SQL. */
export interface Migration {
  readonly sqlite: string;
  readonly postgres: string;
}

export const MIGRATIONS: readonly Migration[] = [
  // 1: checks, audits, batches with their targets, monitors with runs and transitions.
  {
    sqlite: `
    CREATE TABLE checks (
      id         TEXT PRIMARY KEY,
      created_at INTEGER NOT NULL,
      url        TEXT NOT NULL,
      origin     TEXT NOT NULL,
      method     TEXT NOT NULL,
      verdict    TEXT NOT NULL CHECK (verdict IN ('allowed', 'blocked', 'error', 'inconclusive')),
      input      TEXT NOT NULL,
      notices    TEXT NOT NULL,
      result     TEXT NOT NULL
    ) STRICT;
    CREATE INDEX checks_by_url ON checks (url, id);
    CREATE INDEX checks_by_origin ON checks (origin, id);
    CREATE INDEX checks_by_verdict ON checks (verdict, id);

    CREATE TABLE audits (
      id         TEXT PRIMARY KEY,
      created_at INTEGER NOT NULL,
      url        TEXT NOT NULL,
      origin     TEXT NOT NULL,
      outcome    TEXT NOT NULL CHECK (outcome IN ('passed', 'failed', 'error')),
      input      TEXT NOT NULL,
      notices    TEXT NOT NULL,
      result     TEXT NOT NULL
    ) STRICT;

    CREATE TABLE batches (
      id          TEXT PRIMARY KEY,
      created_at  INTEGER NOT NULL,
      kind        TEXT NOT NULL CHECK (kind IN ('check', 'audit')),
      status      TEXT NOT NULL CHECK (status IN ('pending', 'running', 'done')),
      total       INTEGER NOT NULL CHECK (total > 0),
      done        INTEGER NOT NULL DEFAULT 0,
      passed      INTEGER NOT NULL DEFAULT 0,
      failed      INTEGER NOT NULL DEFAULT 0,
      errors      INTEGER NOT NULL DEFAULT 0,
      finished_at INTEGER
    ) STRICT;
    CREATE INDEX batches_unfinished ON batches (id) WHERE status <> 'done';

    -- One row per submitted target. A result is written in the same transaction that moves its
    -- row to 'done' and gives it the next seq, so a target has at most one result and seqs run
    -- 1..total without gaps; UNIQUE (batch_id, seq) makes a second write impossible.
    CREATE TABLE batch_targets (
      batch_id     TEXT NOT NULL REFERENCES batches (id) ON DELETE CASCADE,
      position     INTEGER NOT NULL,
      state        TEXT NOT NULL CHECK (state IN ('pending', 'running', 'done')),
      input        TEXT NOT NULL,
      sealed_input TEXT,
      notices      TEXT NOT NULL,
      seq          INTEGER,
      outcome      TEXT CHECK (outcome IN ('passed', 'failed', 'error')),
      result       TEXT,
      finished_at  INTEGER,
      PRIMARY KEY (batch_id, position),
      UNIQUE (batch_id, seq)
    ) STRICT, WITHOUT ROWID;
    CREATE INDEX batch_targets_by_state ON batch_targets (batch_id, state, position);

    CREATE TABLE monitors (
      id               TEXT PRIMARY KEY,
      created_at       INTEGER NOT NULL,
      url              TEXT NOT NULL,
      origin           TEXT NOT NULL,
      input            TEXT NOT NULL,
      sealed_input     TEXT,
      notices          TEXT NOT NULL,
      interval_seconds INTEGER NOT NULL CHECK (interval_seconds > 0),
      next_run_at      INTEGER NOT NULL,
      -- Set while a run is in flight; cleared on start-up, so a run cut short by a crash is redone.
      running_since    INTEGER,
      last_run_at      INTEGER,
      last_outcome     TEXT CHECK (last_outcome IN ('passed', 'failed', 'error')),
      last_headers     TEXT
    ) STRICT;
    CREATE INDEX monitors_by_next_run ON monitors (next_run_at);

    CREATE TABLE monitor_runs (
      id         INTEGER PRIMARY KEY,
      monitor_id TEXT NOT NULL REFERENCES monitors (id) ON DELETE CASCADE,
      ran_at     INTEGER NOT NULL,
      outcome    TEXT NOT NULL CHECK (outcome IN ('passed', 'failed', 'error')),
      verdict    TEXT NOT NULL
    ) STRICT;
    CREATE INDEX monitor_runs_by_monitor ON monitor_runs (monitor_id, id);

    CREATE TABLE monitor_transitions (
      id           INTEGER PRIMARY KEY,
      monitor_id   TEXT NOT NULL REFERENCES monitors (id) ON DELETE CASCADE,
      at           INTEGER NOT NULL,
      from_outcome TEXT CHECK (from_outcome IN ('passed', 'failed', 'error')),
      to_outcome   TEXT NOT NULL CHECK (to_outcome IN ('passed', 'failed', 'error')),
      changes      TEXT NOT NULL,
      result       TEXT NOT NULL
    ) STRICT;
    CREATE INDEX monitor_transitions_by_monitor ON monitor_transitions (monitor_id, id);
    `,
    postgres: `
    CREATE TABLE checks (
      id         TEXT COLLATE "C" PRIMARY KEY,
      created_at BIGINT NOT NULL,
      url        TEXT NOT NULL,
      origin     TEXT NOT NULL,
      method     TEXT NOT NULL,
      verdict    TEXT NOT NULL CHECK (verdict IN ('allowed', 'blocked', 'error', 'inconclusive')),
      input      TEXT NOT NULL,
      notices    TEXT NOT NULL,
      result     TEXT NOT NULL
    );
    CREATE INDEX checks_by_url ON checks (url, id);
    CREATE INDEX checks_by_origin ON checks (origin, id);
    CREATE INDEX checks_by_verdict ON checks (verdict, id);

    CREATE TABLE audits (
      id         TEXT COLLATE "C" PRIMARY KEY,
      created_at BIGINT NOT NULL,
      url        TEXT NOT NULL,
      origin     TEXT NOT NULL,
      outcome    TEXT NOT NULL CHECK (outcome IN ('passed', 'failed', 'error')),
      input      TEXT NOT NULL,
      notices    TEXT NOT NULL,
      result     TEXT NOT NULL
    );

    CREATE TABLE batches (
      id          TEXT COLLATE "C" PRIMARY KEY,
      created_at  BIGINT NOT NULL,
      kind        TEXT NOT NULL CHECK (kind IN ('check', 'audit')),
      status      TEXT NOT NULL CHECK (status IN ('pending', 'running', 'done')),
      total       INTEGER NOT NULL CHECK (total > 0),
      done        INTEGER NOT NULL DEFAULT 0,
      passed      INTEGER NOT NULL DEFAULT 0,
      failed      INTEGER NOT NULL DEFAULT 0,
      errors      INTEGER NOT NULL DEFAULT 0,
      finished_at BIGINT
    );
    CREATE INDEX batches_unfinished ON batches (id) WHERE status <> 'done';

    CREATE TABLE batch_targets (
      batch_id     TEXT COLLATE "C" NOT NULL REFERENCES batches (id) ON DELETE CASCADE,
      position     INTEGER NOT NULL,
      state        TEXT NOT NULL CHECK (state IN ('pending', 'running', 'done')),
      input        TEXT NOT NULL,
      sealed_input TEXT,
      notices      TEXT NOT NULL,
      seq          INTEGER,
      outcome      TEXT CHECK (outcome IN ('passed', 'failed', 'error')),
      result       TEXT,
      finished_at  BIGINT,
      PRIMARY KEY (batch_id, position),
      UNIQUE (batch_id, seq)
    );
    CREATE INDEX batch_targets_by_state ON batch_targets (batch_id, state, position);

    CREATE TABLE monitors (
      id               TEXT COLLATE "C" PRIMARY KEY,
      created_at       BIGINT NOT NULL,
      url              TEXT NOT NULL,
      origin           TEXT NOT NULL,
      input            TEXT NOT NULL,
      sealed_input     TEXT,
      notices          TEXT NOT NULL,
      interval_seconds INTEGER NOT NULL CHECK (interval_seconds > 0),
      next_run_at      BIGINT NOT NULL,
      running_since    BIGINT,
      last_run_at      BIGINT,
      last_outcome     TEXT CHECK (last_outcome IN ('passed', 'failed', 'error')),
      last_headers     TEXT
    );
    CREATE INDEX monitors_by_next_run ON monitors (next_run_at);

    CREATE TABLE monitor_runs (
      id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      monitor_id TEXT COLLATE "C" NOT NULL REFERENCES monitors (id) ON DELETE CASCADE,
      ran_at     BIGINT NOT NULL,
      outcome    TEXT NOT NULL CHECK (outcome IN ('passed', 'failed', 'error')),
      verdict    TEXT NOT NULL
    );
    CREATE INDEX monitor_runs_by_monitor ON monitor_runs (monitor_id, id);

    CREATE TABLE monitor_transitions (
      id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      monitor_id   TEXT COLLATE "C" NOT NULL REFERENCES monitors (id) ON DELETE CASCADE,
      at           BIGINT NOT NULL,
      from_outcome TEXT CHECK (from_outcome IN ('passed', 'failed', 'error')),
      to_outcome   TEXT NOT NULL CHECK (to_outcome IN ('passed', 'failed', 'error')),
      changes      TEXT NOT NULL,
      result       TEXT NOT NULL
    );
    CREATE INDEX monitor_transitions_by_monitor ON monitor_transitions (monitor_id, id);
    `,
  },
  // 2: API tokens (only their SHA-256 is kept) and the log of who changed what.
  {
    sqlite: `
    CREATE TABLE api_tokens (
      id           TEXT PRIMARY KEY,
      created_at   INTEGER NOT NULL,
      name         TEXT NOT NULL,
      scope        TEXT NOT NULL CHECK (scope IN ('read', 'run', 'monitors', 'metrics', 'admin')),
      hash         BLOB NOT NULL,
      created_by   TEXT,
      revoked_at   INTEGER,
      last_used_at INTEGER
    ) STRICT;

    CREATE TABLE audit_log (
      id          TEXT PRIMARY KEY,
      at          INTEGER NOT NULL,
      actor       TEXT NOT NULL,
      token_id    TEXT,
      action      TEXT NOT NULL,
      resource    TEXT NOT NULL,
      resource_id TEXT,
      status      INTEGER NOT NULL
    ) STRICT;
    CREATE INDEX audit_log_by_actor ON audit_log (actor, id);
    `,
    postgres: `
    CREATE TABLE api_tokens (
      id           TEXT COLLATE "C" PRIMARY KEY,
      created_at   BIGINT NOT NULL,
      name         TEXT NOT NULL,
      scope        TEXT NOT NULL CHECK (scope IN ('read', 'run', 'monitors', 'metrics', 'admin')),
      hash         BYTEA NOT NULL,
      created_by   TEXT,
      revoked_at   BIGINT,
      last_used_at BIGINT
    );

    CREATE TABLE audit_log (
      id          TEXT COLLATE "C" PRIMARY KEY,
      at          BIGINT NOT NULL,
      actor       TEXT NOT NULL,
      token_id    TEXT,
      action      TEXT NOT NULL,
      resource    TEXT NOT NULL,
      resource_id TEXT,
      status      INTEGER NOT NULL
    );
    CREATE INDEX audit_log_by_actor ON audit_log (actor, id);
    `,
  },
  // 3: monitors can be paused (not run until resumed).
  {
    sqlite: `
    ALTER TABLE monitors ADD COLUMN paused_at INTEGER;
    CREATE INDEX batches_by_status ON batches (status, id);
    `,
    postgres: `
    ALTER TABLE monitors ADD COLUMN paused_at BIGINT;
    CREATE INDEX batches_by_status ON batches (status, id);
    `,
  },
  // 4: webhooks of monitors, their deliveries and every attempt of each.
  {
    sqlite: `
    CREATE TABLE monitor_webhooks (
      monitor_id    TEXT PRIMARY KEY REFERENCES monitors (id) ON DELETE CASCADE,
      url           TEXT NOT NULL,
      format        TEXT NOT NULL CHECK (format IN ('json', 'slack')),
      sealed_secret TEXT NOT NULL
    ) STRICT;

    CREATE TABLE webhook_deliveries (
      id              TEXT PRIMARY KEY,
      monitor_id      TEXT NOT NULL REFERENCES monitors (id) ON DELETE CASCADE,
      created_at      INTEGER NOT NULL,
      url             TEXT NOT NULL,
      format          TEXT NOT NULL,
      payload         TEXT NOT NULL,
      status          TEXT NOT NULL CHECK (status IN ('pending', 'delivered', 'failed')),
      attempts        INTEGER NOT NULL DEFAULT 0,
      next_attempt_at INTEGER
    ) STRICT;
    CREATE INDEX webhook_deliveries_by_monitor ON webhook_deliveries (monitor_id, id);
    CREATE INDEX webhook_deliveries_pending ON webhook_deliveries (id) WHERE status = 'pending';

    CREATE TABLE webhook_attempts (
      delivery_id TEXT NOT NULL REFERENCES webhook_deliveries (id) ON DELETE CASCADE,
      attempt     INTEGER NOT NULL,
      at          INTEGER NOT NULL,
      status_code INTEGER,
      error       TEXT,
      PRIMARY KEY (delivery_id, attempt)
    ) STRICT, WITHOUT ROWID;
    `,
    postgres: `
    CREATE TABLE monitor_webhooks (
      monitor_id    TEXT COLLATE "C" PRIMARY KEY REFERENCES monitors (id) ON DELETE CASCADE,
      url           TEXT NOT NULL,
      format        TEXT NOT NULL CHECK (format IN ('json', 'slack')),
      sealed_secret TEXT NOT NULL
    );

    CREATE TABLE webhook_deliveries (
      id              TEXT COLLATE "C" PRIMARY KEY,
      monitor_id      TEXT COLLATE "C" NOT NULL REFERENCES monitors (id) ON DELETE CASCADE,
      created_at      BIGINT NOT NULL,
      url             TEXT NOT NULL,
      format          TEXT NOT NULL,
      payload         TEXT NOT NULL,
      status          TEXT NOT NULL CHECK (status IN ('pending', 'delivered', 'failed')),
      attempts        INTEGER NOT NULL DEFAULT 0,
      next_attempt_at BIGINT
    );
    CREATE INDEX webhook_deliveries_by_monitor ON webhook_deliveries (monitor_id, id);
    CREATE INDEX webhook_deliveries_pending ON webhook_deliveries (id) WHERE status = 'pending';

    CREATE TABLE webhook_attempts (
      delivery_id TEXT COLLATE "C" NOT NULL REFERENCES webhook_deliveries (id) ON DELETE CASCADE,
      attempt     INTEGER NOT NULL,
      at          BIGINT NOT NULL,
      status_code INTEGER,
      error       TEXT,
      PRIMARY KEY (delivery_id, attempt)
    );
    `,
  },
];

/**
 * Brings the database to the latest version, one migration per transaction. `BEGIN IMMEDIATE`
 * takes the write lock first, so two processes starting on one file cannot both apply a version.
 * A database from a newer corsproof is refused rather than written to.
 */
export function migrate(db: Database, migrations: readonly Migration[] = MIGRATIONS): number {
  db.exec(
    'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL) STRICT',
  );
  const currentVersion = db.prepare<[], { v: number }>(
    'SELECT COALESCE(MAX(version), 0) AS v FROM schema_migrations',
  );
  const record = db.prepare<[number, number]>(
    'INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)',
  );
  const applyNext = db.transaction((): boolean => {
    const current = currentVersion.get()?.v ?? 0;
    if (current > migrations.length) {
      throw new Error(
        `corsproof: the database is at schema version ${current}, newer than this corsproof knows (${migrations.length}); upgrade corsproof or use another --db`,
      );
    }
    const migration = migrations[current];
    if (migration === undefined) return false;
    db.exec(migration.sqlite);
    record.run(current + 1, Date.now());
    return true;
  });
  while (applyNext.immediate()) {
    // One version per transaction until none is left.
  }
  return currentVersion.get()?.v ?? 0;
}

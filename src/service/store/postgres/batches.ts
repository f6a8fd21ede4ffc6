/**
 * Stored batches in PostgreSQL; the contract is `BatchStore` (`../batches.ts`). Several processes
 * claim and complete targets of one batch at once:
 * - a claim takes the first pending target that no other transaction holds (`FOR UPDATE SKIP
 *   LOCKED`), so two workers never get the same target and never wait for each other;
 * - a completion locks the batch row first, so completions of one batch commit one after another:
 *   each reads the count the previous one left, which makes seqs 1..total with no gap and no
 *   repeat; and it moves only a target still `running`, so of two completions of one target (a job
 *   retried while its first run was still alive) exactly one is stored.
 */
import {
  type BatchKind,
  type BatchRow,
  type BatchStatus,
  type BatchStore,
  type ClaimRow,
  type NewTarget,
  TARGET_COLUMNS,
  type TargetRow,
  toBatch,
  toClaimed,
  toTarget,
} from '../batches.js';
import type { PgDatabase } from './database.js';

/** A claim with its batch's kind, which the statement joins in. */
interface KindedClaimRow extends ClaimRow {
  kind: BatchKind;
}

/**
 * One statement that moves the target `pick` chooses to `running`, marks the batch running, and
 * returns the claim with the batch's kind. Data-modifying CTEs all run, referenced or not.
 */
function claimStatement(pick: string): string {
  return `
    WITH claimed AS (
      UPDATE batch_targets SET state = 'running'
      WHERE batch_id = $1 AND ${pick}
      RETURNING position, input, sealed_input
    ), started AS (
      UPDATE batches SET status = 'running'
      WHERE id = $1 AND status = 'pending' AND EXISTS (SELECT 1 FROM claimed)
    )
    SELECT claimed.position, claimed.input, claimed.sealed_input, batches.kind
    FROM claimed JOIN batches ON batches.id = $1`;
}

const CLAIM_NEXT = claimStatement(
  `position = (
     SELECT position FROM batch_targets WHERE batch_id = $1 AND state = 'pending'
     ORDER BY position LIMIT 1 FOR UPDATE SKIP LOCKED)`,
);

const CLAIM_TARGET = claimStatement(`position = $2 AND state <> 'done'`);

/** A completed target's columns, and its batch's counts after it. */
interface CompletedRow extends TargetRow {
  batch_done: number;
  batch_total: number;
  batch_passed: number;
  batch_failed: number;
  batch_errors: number;
  batch_status: BatchStatus;
}

/**
 * A completion in one statement, so the batch row stays locked for one round trip and the commit.
 * `locked` takes the batch row's lock and, once it has it, reads the count the previous completion
 * left (READ COMMITTED gives a locking read the row's latest version). `finished` moves the target
 * only if it is still `running`: when a duplicate completion committed while this one waited, the
 * update re-checks the target's latest version (`done`) and moves nothing, and neither does
 * `counted`, which only runs after a target was moved.
 */
const COMPLETE = `
  WITH locked AS (
    SELECT done FROM batches WHERE id = $1 FOR UPDATE
  ), finished AS (
    UPDATE batch_targets
    SET state = 'done', seq = (SELECT done + 1 FROM locked), outcome = $3, result = $4,
        finished_at = $5, sealed_input = NULL
    WHERE batch_id = $1 AND position = $2 AND state = 'running'
    RETURNING ${TARGET_COLUMNS}
  ), counted AS (
    UPDATE batches
    SET done = done + 1, passed = passed + $6, failed = failed + $7, errors = errors + $8,
        status = CASE WHEN done + 1 >= total THEN 'done' ELSE 'running' END,
        finished_at = CASE WHEN done + 1 >= total THEN $5::bigint ELSE NULL END
    WHERE id = $1 AND EXISTS (SELECT 1 FROM finished)
    RETURNING done, total, passed, failed, errors, status
  )
  SELECT finished.*, counted.done AS batch_done, counted.total AS batch_total,
         counted.passed AS batch_passed, counted.failed AS batch_failed,
         counted.errors AS batch_errors, counted.status AS batch_status
  FROM finished, counted`;

export function createPgBatchStore(db: PgDatabase): BatchStore {
  return {
    async create(batch) {
      // One statement for all targets: a batch of 50,000 is one round trip, not 50,000.
      const targets: readonly NewTarget[] = batch.targets;
      await db.transaction(async (tx) => {
        await tx.run(
          `INSERT INTO batches (id, created_at, kind, status, total) VALUES ($1, $2, $3, 'pending', $4)`,
          [batch.id, batch.createdAt, batch.kind, targets.length],
        );
        await tx.run(
          `INSERT INTO batch_targets (batch_id, position, state, input, sealed_input, notices)
           SELECT $1, t.position - 1, 'pending', t.input, t.sealed_input, t.notices
           FROM unnest($2::text[], $3::text[], $4::text[])
             WITH ORDINALITY AS t (input, sealed_input, notices, position)`,
          [
            batch.id,
            targets.map((t) => JSON.stringify(t.input)),
            targets.map((t) => t.sealedInput),
            targets.map((t) => JSON.stringify(t.notices)),
          ],
        );
      });
    },
    async list(filter) {
      const rows = await db.rows<BatchRow>(
        `SELECT * FROM batches
         WHERE ($1::text IS NULL OR status = $1) AND ($2::text IS NULL OR kind = $2)
           AND ($3::bigint IS NULL OR created_at >= $3) AND ($4::text IS NULL OR id < $4)
         ORDER BY id DESC LIMIT $5`,
        [
          filter.status ?? null,
          filter.kind ?? null,
          filter.since ?? null,
          filter.before ?? null,
          filter.limit,
        ],
      );
      return rows.map(toBatch);
    },
    async get(id) {
      const [row] = await db.rows<BatchRow>('SELECT * FROM batches WHERE id = $1', [id]);
      return row === undefined ? undefined : toBatch(row);
    },
    async listTargets(id, filter) {
      const rows = await db.rows<TargetRow>(
        `SELECT ${TARGET_COLUMNS} FROM batch_targets
         WHERE batch_id = $1 AND ($2::text IS NULL OR state = $2)
           AND ($3::text IS NULL OR outcome = $3) AND ($4::int IS NULL OR position > $4)
         ORDER BY position LIMIT $5`,
        [id, filter.state ?? null, filter.outcome ?? null, filter.after ?? null, filter.limit],
      );
      return rows.map(toTarget);
    },
    async resultsAfter(id, seq) {
      const rows = await db.rows<TargetRow>(
        `SELECT ${TARGET_COLUMNS} FROM batch_targets WHERE batch_id = $1 AND seq > $2 ORDER BY seq`,
        [id, seq],
      );
      return rows.map(toTarget);
    },
    async claimNext(id) {
      const [row] = await db.rows<KindedClaimRow>(CLAIM_NEXT, [id]);
      return row === undefined ? undefined : toClaimed(id, row.kind, row);
    },
    async claimTarget(id, position) {
      const [row] = await db.rows<KindedClaimRow>(CLAIM_TARGET, [id, position]);
      return row === undefined ? undefined : toClaimed(id, row.kind, row);
    },
    async complete(id, position, outcome, result, finishedAt) {
      const [row] = await db.rows<CompletedRow>(COMPLETE, [
        id,
        position,
        outcome,
        JSON.stringify(result),
        finishedAt,
        outcome === 'passed' ? 1 : 0,
        outcome === 'failed' ? 1 : 0,
        outcome === 'error' ? 1 : 0,
      ]);
      if (row === undefined) return undefined;
      return {
        target: toTarget(row),
        progress: {
          done: row.batch_done,
          total: row.batch_total,
          passed: row.batch_passed,
          failed: row.batch_failed,
          errors: row.batch_errors,
        },
        status: row.batch_status,
      };
    },
    resetRunning() {
      return db.run(`UPDATE batch_targets SET state = 'pending' WHERE state = 'running'`);
    },
    async unfinished() {
      const rows = await db.rows<{ id: string }>(
        `SELECT id FROM batches WHERE status <> 'done' ORDER BY id`,
      );
      return rows.map((row) => row.id);
    },
  };
}

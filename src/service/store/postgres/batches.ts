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
    complete(id, position, outcome, result, finishedAt) {
      return db.transaction(async (tx) => {
        // The batch row's lock orders the completions of this batch (see the header).
        const [before] = await tx.rows<{ done: number }>(
          'SELECT done FROM batches WHERE id = $1 FOR UPDATE',
          [id],
        );
        if (before === undefined) return undefined;
        const [target] = await tx.rows<TargetRow>(
          `UPDATE batch_targets
           SET state = 'done', seq = $3, outcome = $4, result = $5, finished_at = $6,
               sealed_input = NULL
           WHERE batch_id = $1 AND position = $2 AND state = 'running'
           RETURNING ${TARGET_COLUMNS}`,
          [id, position, before.done + 1, outcome, JSON.stringify(result), finishedAt],
        );
        if (target === undefined) return undefined;
        const [after] = await tx.rows<BatchRow>(
          `UPDATE batches
           SET done = done + 1, passed = passed + $2, failed = failed + $3, errors = errors + $4,
               status = CASE WHEN done + 1 >= total THEN 'done' ELSE 'running' END,
               finished_at = CASE WHEN done + 1 >= total THEN $5::bigint ELSE NULL END
           WHERE id = $1
           RETURNING *`,
          [
            id,
            outcome === 'passed' ? 1 : 0,
            outcome === 'failed' ? 1 : 0,
            outcome === 'error' ? 1 : 0,
            finishedAt,
          ],
        );
        if (after === undefined) return undefined;
        const batch = toBatch(after);
        return { target: toTarget(target), progress: batch.progress, status: batch.status };
      });
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

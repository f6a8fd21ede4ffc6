/**
 * Stored monitors in PostgreSQL; the contract is `MonitorStore` (`../monitors.ts`). Every instance
 * of a fleet runs the scheduler, so `claimDue` must hand each due monitor to one of them only: one
 * statement marks the due monitors running, choosing them with `FOR UPDATE SKIP LOCKED`, so two
 * instances claiming at once take disjoint sets and neither waits for the other. The running mark
 * is the lease: an instance that dies leaves it, and `resetRunning(olderThan)` clears it.
 */
import {
  likeLiteral,
  type MonitorRow,
  type MonitorStore,
  RUNS_KEPT,
  type RunRow,
  type TransitionRow,
  toDue,
  toMonitor,
  toRun,
  toTransition,
} from '../monitors.js';
import { hostMatches } from './audits.js';
import type { PgDatabase } from './database.js';

/** Most overdue first; the id breaks ties so the order is the same on every call. */
function byNextRun(a: MonitorRow, b: MonitorRow): number {
  return a.next_run_at - b.next_run_at || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

export function createPgMonitorStore(db: PgDatabase): MonitorStore {
  return {
    async create(monitor) {
      await db.run(
        `INSERT INTO monitors (id, created_at, url, origin, input, sealed_input, notices, interval_seconds, next_run_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
        [
          monitor.id,
          monitor.createdAt,
          monitor.input.url,
          monitor.input.origin,
          JSON.stringify(monitor.input),
          monitor.sealedInput,
          JSON.stringify(monitor.notices),
          monitor.intervalSeconds,
          monitor.nextRunAt,
        ],
      );
    },
    async get(id) {
      const [row] = await db.rows<MonitorRow>('SELECT * FROM monitors WHERE id = $1', [id]);
      return row === undefined ? undefined : toMonitor(row);
    },
    async list(filter) {
      const rows = await db.rows<MonitorRow>(
        `SELECT * FROM monitors
         WHERE ($1::text IS NULL
                OR ($1 = 'paused' AND paused_at IS NOT NULL)
                OR ($1 = 'pending' AND last_outcome IS NULL AND paused_at IS NULL)
                OR (last_outcome = $1 AND paused_at IS NULL))
           AND ${hostMatches(2)}
           AND ($3::text IS NULL OR id < $3)
         ORDER BY id DESC LIMIT $4`,
        [
          filter.status ?? null,
          filter.host === undefined ? null : likeLiteral(filter.host),
          filter.before ?? null,
          filter.limit,
        ],
      );
      return rows.map(toMonitor);
    },
    async update(id, change) {
      const input = change.input;
      const changed = await db.run(
        `UPDATE monitors SET
           input = COALESCE($2, input),
           url = COALESCE($3, url),
           origin = COALESCE($4, origin),
           sealed_input = CASE WHEN $2::text IS NULL THEN sealed_input ELSE $5 END,
           notices = COALESCE($6, notices),
           interval_seconds = COALESCE($7, interval_seconds),
           next_run_at = COALESCE($8, next_run_at)
         WHERE id = $1`,
        [
          id,
          input === undefined ? null : JSON.stringify(input.input),
          input === undefined ? null : input.input.url,
          input === undefined ? null : input.input.origin,
          input?.sealedInput ?? null,
          input === undefined ? null : JSON.stringify(input.notices),
          change.intervalSeconds ?? null,
          change.nextRunAt ?? null,
        ],
      );
      return changed > 0;
    },
    async setPaused(id, at, nextRunAt) {
      const changed = await db.run(
        'UPDATE monitors SET paused_at = $2, next_run_at = COALESCE($3, next_run_at) WHERE id = $1',
        [id, at, nextRunAt ?? null],
      );
      return changed > 0;
    },
    async delete(id) {
      return (await db.run('DELETE FROM monitors WHERE id = $1', [id])) > 0;
    },
    async count() {
      const [row] = await db.rows<{ n: number }>('SELECT COUNT(*) AS n FROM monitors');
      return row?.n ?? 0;
    },
    async claimDue(now, limit) {
      const rows = await db.rows<MonitorRow>(
        `UPDATE monitors SET running_since = $1
         WHERE id IN (
           SELECT id FROM monitors
           WHERE next_run_at <= $1 AND running_since IS NULL AND paused_at IS NULL
           ORDER BY next_run_at LIMIT $2
           FOR UPDATE SKIP LOCKED)
         RETURNING *`,
        [now, limit],
      );
      // RETURNING follows no ORDER BY: sort here.
      return rows.sort(byNextRun).map(toDue);
    },
    finishRun(id, run) {
      return db.transaction(async (tx) => {
        const changed = await tx.run(
          `UPDATE monitors
           SET running_since = NULL, last_run_at = $2, last_outcome = $3, last_headers = $4,
               next_run_at = $5
           WHERE id = $1`,
          [id, run.ranAt, run.outcome, JSON.stringify(run.headers), run.nextRunAt],
        );
        if (changed === 0) return false;
        await tx.run(
          'INSERT INTO monitor_runs (monitor_id, ran_at, outcome, verdict) VALUES ($1, $2, $3, $4)',
          [id, run.ranAt, run.outcome, run.verdict],
        );
        await tx.run(
          `DELETE FROM monitor_runs WHERE monitor_id = $1 AND id <= (
             SELECT id FROM monitor_runs WHERE monitor_id = $1 ORDER BY id DESC LIMIT 1 OFFSET $2)`,
          [id, RUNS_KEPT],
        );
        const transition = run.transition;
        if (transition !== undefined) {
          await tx.run(
            `INSERT INTO monitor_transitions (monitor_id, at, from_outcome, to_outcome, changes, result)
             VALUES ($1, $2, $3, $4, $5, $6)`,
            [
              id,
              transition.at,
              transition.from,
              transition.to,
              JSON.stringify(transition.changes),
              JSON.stringify(transition.result),
            ],
          );
        }
        return true;
      });
    },
    async release(id, nextRunAt) {
      await db.run(
        'UPDATE monitors SET running_since = NULL, next_run_at = COALESCE($2, next_run_at) WHERE id = $1',
        [id, nextRunAt ?? null],
      );
    },
    resetRunning(olderThan) {
      return db.run(
        `UPDATE monitors SET running_since = NULL
         WHERE running_since IS NOT NULL AND ($1::bigint IS NULL OR running_since < $1)`,
        [olderThan ?? null],
      );
    },
    async nextDueAt() {
      const [row] = await db.rows<{ at: number | null }>(
        'SELECT MIN(next_run_at) AS at FROM monitors WHERE running_since IS NULL AND paused_at IS NULL',
      );
      return row?.at ?? undefined;
    },
    async runs(id, limit) {
      const rows = await db.rows<RunRow>(
        'SELECT ran_at, outcome, verdict FROM monitor_runs WHERE monitor_id = $1 ORDER BY id DESC LIMIT $2',
        [id, limit],
      );
      return rows.map(toRun);
    },
    async transitions(id, limit) {
      const rows = await db.rows<TransitionRow>(
        `SELECT at, from_outcome, to_outcome, changes, result FROM monitor_transitions
         WHERE monitor_id = $1 ORDER BY id DESC LIMIT $2`,
        [id, limit],
      );
      return rows.map(toTransition);
    },
  };
}

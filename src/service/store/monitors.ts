/**
 * Stored monitors with their schedule (`next_run_at`), their latest runs, and every transition
 * of outcome with the CORS headers that changed. A run in flight is marked by `running_since`;
 * start-up clears the marks (a fleet, those older than its lease), so a run cut short by a crash
 * is simply due again.
 */
import type { Database } from 'better-sqlite3';
import type { CheckInput, Notice } from '../routes/inputs.js';
import type { Outcome } from '../routes/shared.schema.js';

/**
 * The CORS headers a monitor keeps from a run, as jobs/header-diff.ts takes them: lower-case header
 * name (or `:status`) to value, per exchange. Lines of one name are joined.
 */
export interface HeaderSnapshot {
  readonly preflight: Readonly<Record<string, string>>;
  readonly response: Readonly<Record<string, string>>;
}

/** One header that differs between two runs (a transition keeps them); `null` means absent. */
export interface HeaderChange {
  readonly exchange: 'preflight' | 'response';
  readonly name: string;
  readonly before: string | null;
  readonly after: string | null;
}

export interface MonitorRecord {
  readonly id: string;
  readonly createdAt: number;
  /** Redacted. */
  readonly input: CheckInput;
  readonly notices: readonly Notice[];
  readonly intervalSeconds: number;
  readonly nextRunAt: number;
  readonly lastRunAt: number | null;
  readonly lastOutcome: Outcome | null;
  /** When it was paused; null while it runs on its schedule. */
  readonly pausedAt: number | null;
}

/** Filters of the monitor list. */
export interface MonitorFilter {
  /** The latest outcome (`pending`: never run yet), or `paused`. */
  readonly status?: Outcome | 'pending' | 'paused';
  /** The target's host (lower case), any scheme and port. */
  readonly host?: string;
  /** The id the previous page ended with. */
  readonly before?: string;
  readonly limit: number;
}

/** What an edit may change; the input is re-validated and re-kept by the caller. */
export interface MonitorChange {
  readonly input?: { input: CheckInput; sealedInput: string | null; notices: readonly Notice[] };
  readonly intervalSeconds?: number;
  /** Moves the next run (an edit makes it due at once). */
  readonly nextRunAt?: number;
}

/** A monitor taken for a run. */
export interface DueMonitor {
  readonly id: string;
  readonly input: CheckInput;
  readonly sealedInput: string | null;
  readonly intervalSeconds: number;
  readonly nextRunAt: number;
  readonly lastOutcome: Outcome | null;
  readonly lastHeaders: HeaderSnapshot | null;
}

export interface MonitorRun {
  readonly at: number;
  readonly outcome: Outcome;
  readonly verdict: string;
}

export interface Transition {
  readonly at: number;
  readonly from: Outcome | null;
  readonly to: Outcome;
  readonly changes: readonly HeaderChange[];
  /** The (redacted) result that showed the new outcome. */
  readonly result: unknown;
}

/** What a finished run writes. */
export interface RunOutcome {
  readonly ranAt: number;
  readonly outcome: Outcome;
  readonly verdict: string;
  readonly headers: HeaderSnapshot;
  readonly nextRunAt: number;
  readonly transition?: Transition;
}

export interface MonitorStore {
  create(monitor: {
    id: string;
    createdAt: number;
    input: CheckInput;
    sealedInput: string | null;
    notices: readonly Notice[];
    intervalSeconds: number;
    nextRunAt: number;
  }): Promise<void>;
  get(id: string): Promise<MonitorRecord | undefined>;
  /** Newest first, filtered. */
  list(filter: MonitorFilter): Promise<MonitorRecord[]>;
  /** Changes input, interval or schedule; false when there is no such monitor. */
  update(id: string, change: MonitorChange): Promise<boolean>;
  /** Pauses (`at`) or resumes (null, due at `nextRunAt`); false when there is no such monitor. */
  setPaused(id: string, at: number | null, nextRunAt?: number): Promise<boolean>;
  /** Deletes the monitor and its history; false when there was none. */
  delete(id: string): Promise<boolean>;
  count(): Promise<number>;
  /** Marks up to `limit` monitors due at `now` as running and returns them, most overdue first. */
  claimDue(now: number, limit: number): Promise<DueMonitor[]>;
  /** Records a run and clears the running mark; false when the monitor was deleted meanwhile. */
  finishRun(id: string, run: RunOutcome): Promise<boolean>;
  /**
   * Clears the running mark without recording a run (the run was abandoned), moving the next run
   * to `nextRunAt` when given.
   */
  release(id: string, nextRunAt?: number): Promise<void>;
  /**
   * Clears the running marks set before `olderThan` (every mark when omitted): at start-up of the
   * only instance, or as the lease expiry of a fleet, where a mark older than the lease belongs to
   * an instance that died.
   */
  resetRunning(olderThan?: number): Promise<number>;
  /** The earliest `next_run_at` of monitors not running, if any. */
  nextDueAt(): Promise<number | undefined>;
  runs(id: string, limit: number): Promise<MonitorRun[]>;
  transitions(id: string, limit: number): Promise<Transition[]>;
}

/** Runs kept per monitor; transitions are all kept (they are the history that matters). */
export const RUNS_KEPT = 100;

export interface MonitorRow {
  id: string;
  created_at: number;
  input: string;
  sealed_input: string | null;
  notices: string;
  interval_seconds: number;
  next_run_at: number;
  last_run_at: number | null;
  last_outcome: Outcome | null;
  last_headers: string | null;
  paused_at: number | null;
}

export function toMonitor(row: MonitorRow): MonitorRecord {
  return {
    id: row.id,
    createdAt: row.created_at,
    input: JSON.parse(row.input) as CheckInput,
    notices: JSON.parse(row.notices) as Notice[],
    intervalSeconds: row.interval_seconds,
    nextRunAt: row.next_run_at,
    lastRunAt: row.last_run_at,
    lastOutcome: row.last_outcome,
    pausedAt: row.paused_at,
  };
}

/** A monitor taken for a run, from its row (both stores select `*`). */
export function toDue(row: MonitorRow): DueMonitor {
  return {
    id: row.id,
    input: JSON.parse(row.input) as CheckInput,
    sealedInput: row.sealed_input,
    intervalSeconds: row.interval_seconds,
    nextRunAt: row.next_run_at,
    lastOutcome: row.last_outcome,
    lastHeaders:
      row.last_headers === null ? null : (JSON.parse(row.last_headers) as HeaderSnapshot),
  };
}

export interface RunRow {
  ran_at: number;
  outcome: Outcome;
  verdict: string;
}

export function toRun(row: RunRow): MonitorRun {
  return { at: row.ran_at, outcome: row.outcome, verdict: row.verdict };
}

export interface TransitionRow {
  at: number;
  from_outcome: Outcome | null;
  to_outcome: Outcome;
  changes: string;
  result: string;
}

export function toTransition(row: TransitionRow): Transition {
  return {
    at: row.at,
    from: row.from_outcome,
    to: row.to_outcome,
    changes: JSON.parse(row.changes) as HeaderChange[],
    result: JSON.parse(row.result) as unknown,
  };
}

/** `host` as a LIKE pattern's literal part: `%`, `_` and the escape itself escaped. */
export function likeLiteral(host: string): string {
  return host.replace(/[\\%_]/g, (c) => `\\${c}`);
}

type Params = Record<string, string | number | null>;

export function createMonitorStore(db: Database): MonitorStore {
  const insert = db.prepare<[Params]>(
    `INSERT INTO monitors (id, created_at, url, origin, input, sealed_input, notices, interval_seconds, next_run_at)
     VALUES (@id, @createdAt, @url, @origin, @input, @sealed, @notices, @interval, @nextRunAt)`,
  );
  const get = db.prepare<[string], MonitorRow>('SELECT * FROM monitors WHERE id = ?');
  // Stored URLs are serialized by the URL parser: `scheme://host[:port]/path`, host in lower case.
  const list = db.prepare<[Params], MonitorRow>(
    `SELECT * FROM monitors
     WHERE (@status IS NULL
            OR (@status = 'paused' AND paused_at IS NOT NULL)
            OR (@status = 'pending' AND last_outcome IS NULL AND paused_at IS NULL)
            OR (last_outcome = @status AND paused_at IS NULL))
       AND (@host IS NULL OR url LIKE '%://' || @host || '/%' ESCAPE '\\'
                          OR url LIKE '%://' || @host || ':%' ESCAPE '\\')
       AND (@before IS NULL OR id < @before)
     ORDER BY id DESC LIMIT @limit`,
  );
  const update = db.prepare<[Params]>(
    `UPDATE monitors SET
       input = COALESCE(@input, input),
       url = COALESCE(@url, url),
       origin = COALESCE(@origin, origin),
       sealed_input = CASE WHEN @input IS NULL THEN sealed_input ELSE @sealed END,
       notices = COALESCE(@notices, notices),
       interval_seconds = COALESCE(@interval, interval_seconds),
       next_run_at = COALESCE(@nextRunAt, next_run_at)
     WHERE id = @id`,
  );
  const setPaused = db.prepare<[number | null, number | null, string]>(
    'UPDATE monitors SET paused_at = ?, next_run_at = COALESCE(?, next_run_at) WHERE id = ?',
  );
  const remove = db.prepare<[string]>('DELETE FROM monitors WHERE id = ?');
  const count = db.prepare<[], { n: number }>('SELECT COUNT(*) AS n FROM monitors');
  const due = db.prepare<[number, number], MonitorRow>(
    `SELECT * FROM monitors WHERE next_run_at <= ? AND running_since IS NULL AND paused_at IS NULL
     ORDER BY next_run_at LIMIT ?`,
  );
  const mark = db.prepare<[number, string]>('UPDATE monitors SET running_since = ? WHERE id = ?');
  const finish = db.prepare<[Params]>(
    `UPDATE monitors
     SET running_since = NULL, last_run_at = @ranAt, last_outcome = @outcome,
         last_headers = @headers, next_run_at = @nextRunAt
     WHERE id = @id`,
  );
  const release = db.prepare<[number | null, string]>(
    'UPDATE monitors SET running_since = NULL, next_run_at = COALESCE(?, next_run_at) WHERE id = ?',
  );
  const insertRun = db.prepare<[string, number, string, string]>(
    'INSERT INTO monitor_runs (monitor_id, ran_at, outcome, verdict) VALUES (?, ?, ?, ?)',
  );
  const pruneRuns = db.prepare<[string, string, number]>(
    `DELETE FROM monitor_runs WHERE monitor_id = ? AND id <= (
       SELECT id FROM monitor_runs WHERE monitor_id = ? ORDER BY id DESC LIMIT 1 OFFSET ?)`,
  );
  const insertTransition = db.prepare<[Params]>(
    `INSERT INTO monitor_transitions (monitor_id, at, from_outcome, to_outcome, changes, result)
     VALUES (@id, @at, @from, @to, @changes, @result)`,
  );
  const resetRunning = db.prepare<[{ olderThan: number | null }]>(
    `UPDATE monitors SET running_since = NULL
     WHERE running_since IS NOT NULL AND (@olderThan IS NULL OR running_since < @olderThan)`,
  );
  const nextDue = db.prepare<[], { at: number | null }>(
    'SELECT MIN(next_run_at) AS at FROM monitors WHERE running_since IS NULL AND paused_at IS NULL',
  );
  const runs = db.prepare<[string, number], RunRow>(
    'SELECT ran_at, outcome, verdict FROM monitor_runs WHERE monitor_id = ? ORDER BY id DESC LIMIT ?',
  );
  const transitions = db.prepare<[string, number], TransitionRow>(
    `SELECT at, from_outcome, to_outcome, changes, result FROM monitor_transitions
     WHERE monitor_id = ? ORDER BY id DESC LIMIT ?`,
  );

  const claimDue = db.transaction((now: number, limit: number): DueMonitor[] => {
    const rows = due.all(now, limit);
    for (const row of rows) mark.run(now, row.id);
    return rows.map(toDue);
  });

  const finishRun = db.transaction((id: string, run: RunOutcome): boolean => {
    const changed = finish.run({
      id,
      ranAt: run.ranAt,
      outcome: run.outcome,
      headers: JSON.stringify(run.headers),
      nextRunAt: run.nextRunAt,
    }).changes;
    if (changed === 0) return false;
    insertRun.run(id, run.ranAt, run.outcome, run.verdict);
    pruneRuns.run(id, id, RUNS_KEPT);
    if (run.transition !== undefined) {
      insertTransition.run({
        id,
        at: run.transition.at,
        from: run.transition.from,
        to: run.transition.to,
        changes: JSON.stringify(run.transition.changes),
        result: JSON.stringify(run.transition.result),
      });
    }
    return true;
  });

  return {
    async create(monitor) {
      insert.run({
        id: monitor.id,
        createdAt: monitor.createdAt,
        url: monitor.input.url,
        origin: monitor.input.origin,
        input: JSON.stringify(monitor.input),
        sealed: monitor.sealedInput,
        notices: JSON.stringify(monitor.notices),
        interval: monitor.intervalSeconds,
        nextRunAt: monitor.nextRunAt,
      });
    },
    async get(id) {
      const row = get.get(id);
      return row === undefined ? undefined : toMonitor(row);
    },
    async list(filter) {
      return list
        .all({
          status: filter.status ?? null,
          host: filter.host === undefined ? null : likeLiteral(filter.host),
          before: filter.before ?? null,
          limit: filter.limit,
        })
        .map(toMonitor);
    },
    async update(id, change) {
      const input = change.input;
      return (
        update.run({
          id,
          input: input === undefined ? null : JSON.stringify(input.input),
          url: input === undefined ? null : input.input.url,
          origin: input === undefined ? null : input.input.origin,
          sealed: input?.sealedInput ?? null,
          notices: input === undefined ? null : JSON.stringify(input.notices),
          interval: change.intervalSeconds ?? null,
          nextRunAt: change.nextRunAt ?? null,
        }).changes > 0
      );
    },
    async setPaused(id, at, nextRunAt) {
      return setPaused.run(at, nextRunAt ?? null, id).changes > 0;
    },
    async delete(id) {
      return remove.run(id).changes > 0;
    },
    async count() {
      return count.get()?.n ?? 0;
    },
    async claimDue(now, limit) {
      return claimDue.immediate(now, limit);
    },
    async finishRun(id, run) {
      return finishRun.immediate(id, run);
    },
    async release(id, nextRunAt) {
      release.run(nextRunAt ?? null, id);
    },
    async resetRunning(olderThan) {
      return resetRunning.run({ olderThan: olderThan ?? null }).changes;
    },
    async nextDueAt() {
      return nextDue.get()?.at ?? undefined;
    },
    async runs(id, limit) {
      return runs.all(id, limit).map(toRun);
    },
    async transitions(id, limit) {
      return transitions.all(id, limit).map(toTransition);
    },
  };
}

/**
 * Stored batches. Each submitted target is a row that moves `pending` -> `running` -> `done`; its
 * result is written by the same transaction that marks it done, gives it the next `seq` and adds
 * it to the batch's counts. After a crash, `running` rows go back to `pending` (their result was
 * never committed), so every target ends with exactly one result.
 */
import type { Database, Statement } from 'better-sqlite3';
import type { AuditInput, CheckInput, Notice } from '../routes/inputs.js';
import type { Outcome } from '../routes/shared.schema.js';

export type BatchKind = 'check' | 'audit';
export type BatchStatus = 'pending' | 'running' | 'done';
export type TargetState = 'pending' | 'running' | 'done';

/** The counts streamed as `progress` events. */
export interface Progress {
  readonly done: number;
  readonly total: number;
  readonly passed: number;
  readonly failed: number;
  readonly errors: number;
}

export interface BatchRecord {
  readonly id: string;
  readonly createdAt: number;
  readonly kind: BatchKind;
  readonly status: BatchStatus;
  readonly progress: Progress;
  readonly finishedAt: number | null;
}

/** A target as submitted: redacted input, and the clear input sealed when it holds credentials. */
export interface NewTarget {
  readonly input: CheckInput | AuditInput;
  readonly sealedInput: string | null;
  readonly notices: readonly Notice[];
}

export interface TargetRecord {
  readonly position: number;
  readonly state: TargetState;
  /** Completion order, 1..total; null until done. */
  readonly seq: number | null;
  readonly outcome: Outcome | null;
  readonly input: CheckInput | AuditInput;
  readonly notices: readonly Notice[];
  readonly result: unknown;
  readonly finishedAt: number | null;
}

/** A target taken for running. */
export interface ClaimedTarget {
  readonly batchId: string;
  readonly kind: BatchKind;
  readonly position: number;
  readonly input: CheckInput | AuditInput;
  readonly sealedInput: string | null;
}

/** A finished target, as committed, with the batch's counts after it. */
export interface Completed {
  readonly target: TargetRecord;
  readonly progress: Progress;
  readonly status: BatchStatus;
}

export interface TargetFilter {
  readonly state?: TargetState;
  readonly outcome?: Outcome;
  /** The position the previous page ended with. */
  readonly after?: number;
  readonly limit: number;
}

/** Filters of the batch list; `before` is the id the previous page ended with. */
export interface BatchFilter {
  readonly status?: BatchStatus;
  readonly kind?: BatchKind;
  /** Milliseconds since the epoch: only batches made then or later. */
  readonly since?: number;
  readonly before?: string;
  readonly limit: number;
}

export interface BatchStore {
  /** Newest first; ids sort by creation time, so the id alone orders and pages the list. */
  list(filter: BatchFilter): Promise<BatchRecord[]>;
  /** Inserts the batch and all its targets in one transaction. */
  create(batch: {
    id: string;
    createdAt: number;
    kind: BatchKind;
    targets: readonly NewTarget[];
  }): Promise<void>;
  get(id: string): Promise<BatchRecord | undefined>;
  /** Targets in submission order. */
  listTargets(id: string, filter: TargetFilter): Promise<TargetRecord[]>;
  /** Finished targets with a seq above `seq`, in completion order (SSE resume). */
  resultsAfter(id: string, seq: number): Promise<TargetRecord[]>;
  /** Moves the first pending target of the batch to `running`; undefined when none is left. */
  claimNext(id: string): Promise<ClaimedTarget | undefined>;
  /**
   * Moves target `position` to `running` from any state but `done`: a queued job retried after
   * its worker died finds its target still `running`. Undefined when the target is done or absent.
   */
  claimTarget(id: string, position: number): Promise<ClaimedTarget | undefined>;
  /**
   * Commits a target's result. Undefined when the target is not `running` any more (already
   * done), so a result can never be written twice.
   */
  complete(
    id: string,
    position: number,
    outcome: Outcome,
    result: unknown,
    finishedAt: number,
  ): Promise<Completed | undefined>;
  /** Start-up: every `running` target back to `pending`. Returns how many. */
  resetRunning(): Promise<number>;
  /** Ids of batches not done, oldest first. */
  unfinished(): Promise<string[]>;
}

export interface BatchRow {
  id: string;
  created_at: number;
  kind: BatchKind;
  status: BatchStatus;
  total: number;
  done: number;
  passed: number;
  failed: number;
  errors: number;
  finished_at: number | null;
}

export interface TargetRow {
  position: number;
  state: TargetState;
  seq: number | null;
  outcome: Outcome | null;
  input: string;
  notices: string;
  result: string | null;
  finished_at: number | null;
}

export const TARGET_COLUMNS = 'position, state, seq, outcome, input, notices, result, finished_at';

export function toBatch(row: BatchRow): BatchRecord {
  return {
    id: row.id,
    createdAt: row.created_at,
    kind: row.kind,
    status: row.status,
    progress: {
      done: row.done,
      total: row.total,
      passed: row.passed,
      failed: row.failed,
      errors: row.errors,
    },
    finishedAt: row.finished_at,
  };
}

export function toTarget(row: TargetRow): TargetRecord {
  return {
    position: row.position,
    state: row.state,
    seq: row.seq,
    outcome: row.outcome,
    input: JSON.parse(row.input) as CheckInput | AuditInput,
    notices: JSON.parse(row.notices) as Notice[],
    result: row.result === null ? null : (JSON.parse(row.result) as unknown),
    finishedAt: row.finished_at,
  };
}

/** The columns of a claimed target, as both stores return them. */
export interface ClaimRow {
  position: number;
  input: string;
  sealed_input: string | null;
}

export function toClaimed(batchId: string, kind: BatchKind, row: ClaimRow): ClaimedTarget {
  return {
    batchId,
    kind,
    position: row.position,
    input: JSON.parse(row.input) as CheckInput | AuditInput,
    sealedInput: row.sealed_input,
  };
}

type Params = Record<string, string | number>;

export function createBatchStore(db: Database): BatchStore {
  const insertBatch = db.prepare<[Params]>(
    `INSERT INTO batches (id, created_at, kind, status, total) VALUES (@id, @createdAt, @kind, 'pending', @total)`,
  );
  const insertTarget = db.prepare<[Record<string, string | number | null>]>(
    `INSERT INTO batch_targets (batch_id, position, state, input, sealed_input, notices)
     VALUES (@batchId, @position, 'pending', @input, @sealed, @notices)`,
  );
  const getBatch = db.prepare<[string], BatchRow>('SELECT * FROM batches WHERE id = ?');
  const listBatches = db.prepare<[Record<string, string | number | null>], BatchRow>(
    `SELECT * FROM batches
     WHERE (@status IS NULL OR status = @status) AND (@kind IS NULL OR kind = @kind)
       AND (@since IS NULL OR created_at >= @since) AND (@before IS NULL OR id < @before)
     ORDER BY id DESC LIMIT @limit`,
  );
  const getState = db.prepare<[string, number], { state: TargetState }>(
    'SELECT state FROM batch_targets WHERE batch_id = ? AND position = ?',
  );
  const claim = db.prepare<[string, string], ClaimRow>(
    `UPDATE batch_targets SET state = 'running'
     WHERE batch_id = ? AND position = (
       SELECT position FROM batch_targets WHERE batch_id = ? AND state = 'pending'
       ORDER BY position LIMIT 1)
     RETURNING position, input, sealed_input`,
  );
  const take = db.prepare<[string, number], ClaimRow>(
    `UPDATE batch_targets SET state = 'running'
     WHERE batch_id = ? AND position = ? AND state <> 'done'
     RETURNING position, input, sealed_input`,
  );
  const markRunning = db.prepare<[string]>(
    `UPDATE batches SET status = 'running' WHERE id = ? AND status = 'pending'`,
  );
  const finishTarget = db.prepare<[Params & { result: string }], TargetRow>(
    `UPDATE batch_targets
     SET state = 'done', seq = @seq, outcome = @outcome, result = @result,
         finished_at = @finishedAt, sealed_input = NULL
     WHERE batch_id = @batchId AND position = @position AND state = 'running'
     RETURNING ${TARGET_COLUMNS}`,
  );
  const count = db.prepare<[Params], BatchRow>(
    `UPDATE batches
     SET done = done + 1, passed = passed + @passed, failed = failed + @failed,
         errors = errors + @errors,
         status = CASE WHEN done + 1 >= total THEN 'done' ELSE 'running' END,
         finished_at = CASE WHEN done + 1 >= total THEN @finishedAt ELSE NULL END
     WHERE id = @batchId
     RETURNING *`,
  );
  const resetRunning = db.prepare(
    `UPDATE batch_targets SET state = 'pending' WHERE state = 'running'`,
  );
  const unfinished = db.prepare<[], { id: string }>(
    `SELECT id FROM batches WHERE status <> 'done' ORDER BY id`,
  );
  const resultsAfter = db.prepare<[string, number], TargetRow>(
    `SELECT ${TARGET_COLUMNS} FROM batch_targets
     WHERE batch_id = ? AND seq > ? ORDER BY seq`,
  );
  const lists = new Map<string, Statement<[Params], TargetRow>>();

  const create = db.transaction(
    (batch: { id: string; createdAt: number; kind: BatchKind; targets: readonly NewTarget[] }) => {
      insertBatch.run({
        id: batch.id,
        createdAt: batch.createdAt,
        kind: batch.kind,
        total: batch.targets.length,
      });
      batch.targets.forEach((target, position) => {
        insertTarget.run({
          batchId: batch.id,
          position,
          input: JSON.stringify(target.input),
          sealed: target.sealedInput,
          notices: JSON.stringify(target.notices),
        });
      });
    },
  );

  const claimNext = db.transaction((id: string): ClaimedTarget | undefined => {
    const batch = getBatch.get(id);
    if (batch === undefined) return undefined;
    const row = claim.get(id, id);
    if (row === undefined) return undefined;
    markRunning.run(id);
    return toClaimed(id, batch.kind, row);
  });

  const claimTarget = db.transaction((id: string, position: number): ClaimedTarget | undefined => {
    const batch = getBatch.get(id);
    if (batch === undefined) return undefined;
    const row = take.get(id, position);
    if (row === undefined) return undefined;
    markRunning.run(id);
    return toClaimed(id, batch.kind, row);
  });

  const complete = db.transaction(
    (
      id: string,
      position: number,
      outcome: Outcome,
      result: unknown,
      finishedAt: number,
    ): Completed | undefined => {
      if (getState.get(id, position)?.state !== 'running') return undefined;
      const before = getBatch.get(id);
      if (before === undefined) return undefined;
      const target = finishTarget.get({
        batchId: id,
        position,
        seq: before.done + 1,
        outcome,
        result: JSON.stringify(result),
        finishedAt,
      });
      if (target === undefined) return undefined;
      const after = count.get({
        batchId: id,
        passed: outcome === 'passed' ? 1 : 0,
        failed: outcome === 'failed' ? 1 : 0,
        errors: outcome === 'error' ? 1 : 0,
        finishedAt,
      });
      if (after === undefined) return undefined;
      const batch = toBatch(after);
      return { target: toTarget(target), progress: batch.progress, status: batch.status };
    },
  );

  function listStatement(filter: TargetFilter): Statement<[Params], TargetRow> {
    const where = ['batch_id = @id'];
    if (filter.state !== undefined) where.push('state = @state');
    if (filter.outcome !== undefined) where.push('outcome = @outcome');
    if (filter.after !== undefined) where.push('position > @after');
    const key = where.join(' AND ');
    let statement = lists.get(key);
    if (statement === undefined) {
      statement = db.prepare<[Params], TargetRow>(
        `SELECT ${TARGET_COLUMNS} FROM batch_targets WHERE ${key} ORDER BY position LIMIT @limit`,
      );
      lists.set(key, statement);
    }
    return statement;
  }

  return {
    async create(batch) {
      create(batch);
    },
    async list(filter) {
      return listBatches
        .all({
          status: filter.status ?? null,
          kind: filter.kind ?? null,
          since: filter.since ?? null,
          before: filter.before ?? null,
          limit: filter.limit,
        })
        .map(toBatch);
    },
    async get(id) {
      const row = getBatch.get(id);
      return row === undefined ? undefined : toBatch(row);
    },
    async listTargets(id, filter) {
      const params: Params = { id, limit: filter.limit };
      if (filter.state !== undefined) params.state = filter.state;
      if (filter.outcome !== undefined) params.outcome = filter.outcome;
      if (filter.after !== undefined) params.after = filter.after;
      return listStatement(filter).all(params).map(toTarget);
    },
    async resultsAfter(id, seq) {
      return resultsAfter.all(id, seq).map(toTarget);
    },
    async claimNext(id) {
      return claimNext.immediate(id);
    },
    async claimTarget(id, position) {
      return claimTarget.immediate(id, position);
    },
    async complete(id, position, outcome, result, finishedAt) {
      return complete.immediate(id, position, outcome, result, finishedAt);
    },
    async resetRunning() {
      return resetRunning.run().changes;
    },
    async unfinished() {
      return unfinished.all().map((row) => row.id);
    },
  };
}

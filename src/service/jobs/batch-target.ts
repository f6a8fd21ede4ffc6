/**
 * One batch target, from its claimed input to its committed result and the events that announce
 * it: what the in-process queue and the fleet's workers both do with a target they took.
 */
import type { Safekeeping } from '../redaction/safekeeping.js';
import type { AuditInput, CheckInput } from '../routes/inputs.js';
import type { ClaimedTarget, Completed, Store } from '../store/index.js';
import type { BatchEvents } from './batch-events.js';
import type { JobLogger } from './batch-queue.js';
import type { Clock } from './clock.js';
import { type Done, failureOf, type TaskFailure, type Tasks } from './tasks.js';

/** Runs the target's check or audit with its clear input restored. Throws what the task throws. */
export function runTargetTask(
  tasks: Tasks,
  keeping: Safekeeping,
  target: ClaimedTarget,
  signal: AbortSignal,
): Promise<Done<unknown>> {
  const input = keeping.restore(target.input, target.sealedInput);
  return target.kind === 'check'
    ? tasks.check(input as CheckInput, signal)
    : tasks.audit(input as AuditInput, signal);
}

/** The stored outcome of a task that threw; failures that are bugs are logged with their cause. */
export function failedTarget(
  target: ClaimedTarget,
  error: unknown,
  log: JobLogger | undefined,
): Done<TaskFailure> {
  const failure = failureOf(error);
  if (failure.error.code === 'INTERNAL') {
    log?.error(
      { err: error, batch: target.batchId, position: target.position },
      'batch target failed',
    );
  }
  return { outcome: 'error', result: failure };
}

/** Publishes a committed result, and the batch's end when it was the last one. */
export function announceTarget(events: BatchEvents, batchId: string, completed: Completed): void {
  events.publish(batchId, {
    type: 'result',
    target: completed.target,
    progress: completed.progress,
  });
  if (completed.status === 'done') {
    events.publish(batchId, { type: 'done', progress: completed.progress });
  }
}

/**
 * Commits the target's result and announces it. Undefined when the target was already done (a
 * second run of the same target, after a worker was thought dead): its result is not stored twice.
 */
export async function commitTarget(
  deps: { readonly store: Store; readonly events: BatchEvents; readonly clock: Clock },
  target: ClaimedTarget,
  done: Done<unknown>,
): Promise<Completed | undefined> {
  const completed = await deps.store.batches.complete(
    target.batchId,
    target.position,
    done.outcome,
    done.result,
    deps.clock.now(),
  );
  if (completed !== undefined) announceTarget(deps.events, target.batchId, completed);
  return completed;
}

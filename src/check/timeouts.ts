/**
 * Per-exchange timeouts without a Node timer each. Every exchange of a check may take `timeoutMs`,
 * and a batch keeps 64 in flight: a `setTimeout` and `clearTimeout` apiece cost more than the
 * rest of reading a response (a Timeout object with its async id, two list operations, a clock
 * reading). Exchanges with the same timeout expire in the order they started, so each duration
 * keeps one list, oldest first, and one Node timer for the oldest: starting and ending an
 * exchange is a link in and out of the list.
 *
 * The timer is lazy: when the oldest exchange ends, the timer stays as it was, and when it fires,
 * it ends what has expired and is armed again for the new oldest. It holds the process open
 * (Node's `ref`) only while its list has exchanges, as a `setTimeout` per exchange did.
 */

/** An exchange waiting on its timeout: its place in its list, and what to do when time is up. */
export interface Waiting {
  /** The clock (`performance.now()`) when its time is up. */
  expiresAt: number;
  previous: Waiting | null;
  next: Waiting | null;
  /** The list it is in, or null once it ended or timed out. */
  list: TimeoutList | null;
  /** Called when its time is up (after it left its list). */
  expire(): void;
}

export class TimeoutList {
  private oldest: Waiting | null = null;
  private newest: Waiting | null = null;
  private timer: NodeJS.Timeout;

  constructor(private readonly ms: number) {
    this.timer = setTimeout(() => this.fire(), ms);
    this.timer.unref();
  }

  add(waiting: Waiting, now: number): void {
    waiting.expiresAt = now + this.ms;
    waiting.list = this;
    waiting.next = null;
    waiting.previous = this.newest;
    if (this.newest === null) {
      this.oldest = waiting;
      // Armed for an exchange that has ended, or fired: from now, for at most `ms` (a timer armed
      // for less by `fire` fires early, and arms itself again).
      this.timer.refresh();
      this.timer.ref();
    } else {
      this.newest.next = waiting;
    }
    this.newest = waiting;
  }

  remove(waiting: Waiting): void {
    const { previous, next } = waiting;
    if (previous === null) this.oldest = next;
    else previous.next = next;
    if (next === null) this.newest = previous;
    else next.previous = previous;
    waiting.previous = null;
    waiting.next = null;
    waiting.list = null;
    if (this.oldest === null) this.idle();
  }

  /**
   * Empty: the timer no longer holds the process open, and past IDLE_LISTS lists (a service whose
   * callers each pick a timeout of their own) the list goes, with its timer.
   */
  private idle(): void {
    if (LISTS.size <= IDLE_LISTS) {
      this.timer.unref();
      return;
    }
    clearTimeout(this.timer);
    LISTS.delete(this.ms);
  }

  /** Ends every exchange whose time is up, oldest first, then waits for the next one's. */
  private fire(): void {
    const now = performance.now();
    for (
      let oldest = this.oldest;
      oldest !== null && oldest.expiresAt <= now;
      oldest = this.oldest
    ) {
      this.remove(oldest);
      oldest.expire();
    }
    if (this.oldest === null) return;
    // Not `refresh()`, which would wait the whole duration again: what is left of the oldest's.
    this.timer = setTimeout(() => this.fire(), Math.max(1, Math.ceil(this.oldest.expiresAt - now)));
  }
}

const LISTS = new Map<number, TimeoutList>();
/** Lists kept while empty, for the durations in use; a list past these goes when it empties. */
const IDLE_LISTS = 16;

/** How many lists there are (for tests). */
export function timeoutListCount(): number {
  return LISTS.size;
}

function listFor(ms: number): TimeoutList {
  let list = LISTS.get(ms);
  if (list === undefined) {
    list = new TimeoutList(ms);
    LISTS.set(ms, list);
  }
  return list;
}

/** Starts `waiting`'s timeout of `ms` from `now` (`performance.now()`). */
export function startTimeout(waiting: Waiting, ms: number, now: number): void {
  listFor(ms).add(waiting, now);
}

/** Stops `waiting`'s timeout, if it is still running. */
export function stopTimeout(waiting: Waiting): void {
  waiting.list?.remove(waiting);
}

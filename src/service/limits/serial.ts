/**
 * Runs tasks one at a time, in the order they were given. A check-then-write on an asynchronous
 * store (count the monitors, then create one) is only atomic within one process when its steps
 * never interleave with another request's.
 */
export interface Serial {
  /** Runs `task` once every task given before it has settled; a failed task does not stop the next. */
  run<T>(task: () => Promise<T>): Promise<T>;
}

export function createSerial(): Serial {
  let tail: Promise<unknown> = Promise.resolve();
  return {
    run(task) {
      const result = tail.then(task);
      tail = result.catch(() => undefined);
      return result;
    },
  };
}

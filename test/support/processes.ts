/**
 * Real processes in tests: start one and wait, bounded, for the line that says it is ready; tell
 * whether it still runs; wait for its end.
 */
import { type ChildProcess, spawn } from 'node:child_process';

export interface Started {
  readonly child: ChildProcess;
  /** What the process printed on stdout so far. */
  readonly out: () => string;
}

/**
 * Starts `program args` in `cwd` and resolves once its stdout matches `ready`; rejects, with what
 * it printed, when it exits first or `ms` pass. The child is added to `track` until it exits, so
 * the test file can kill whatever is left in its `afterAll`.
 */
export function startUntil(
  program: string,
  args: readonly string[],
  ready: RegExp,
  options: { readonly cwd: string; readonly track: Set<ChildProcess>; readonly ms?: number },
): Promise<Started> {
  const ms = options.ms ?? 15_000;
  const child = spawn(program, args, { cwd: options.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  options.track.add(child);
  child.on('exit', () => options.track.delete(child));
  let out = '';
  let err = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`${args.join(' ')} did not start in ${ms} ms: ${out}${err}`)),
      ms,
    );
    child.stderr?.on('data', (chunk: Buffer) => {
      err += chunk.toString();
    });
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (ready.test(out)) {
        clearTimeout(timer);
        resolve({ child, out: () => out });
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${args.join(' ')} exited with ${code}: ${out}${err}`));
    });
  });
}

/** Resolves with the exit code once `child` has ended (at once if it already has). */
export function exited(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

/** Whether `child` has neither exited nor been ended by a signal. */
export function alive(child: ChildProcess): boolean {
  return child.exitCode === null && child.signalCode === null;
}

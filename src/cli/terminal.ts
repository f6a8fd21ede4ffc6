/**
 * What every subcommand writes to: the two output streams and the environment that decides about
 * colour, with the process's own by default. A subcommand takes a `Terminal` as the optional last
 * argument of its `register`, so a test can hand it fake streams.
 */

/** An output stream; `isTTY` says whether a person is watching it. */
export type OutputStream = NodeJS.WritableStream & { isTTY?: boolean };

/** Where a subcommand writes, and the environment it reads NO_COLOR and FORCE_COLOR from. */
export interface Terminal {
  readonly stdout: OutputStream;
  readonly stderr: OutputStream;
  readonly env: NodeJS.ProcessEnv;
}

/** The process's own streams and environment. */
export const PROCESS_TERMINAL: Terminal = {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
};

/**
 * Whether to colour what goes to stdout: never with a non-empty NO_COLOR (https://no-color.org),
 * always with a FORCE_COLOR other than `0`, else only on a terminal that is not `dumb`.
 */
export function useColor(terminal: Terminal): boolean {
  const { env } = terminal;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0') return true;
  return terminal.stdout.isTTY === true && env.TERM !== 'dumb';
}

/** Writes `record` as one JSON line: the output of the batch modes. */
export function writeJsonLine(stream: OutputStream, record: object): void {
  stream.write(`${JSON.stringify(record)}\n`);
}

const BAR_WIDTH = 30;

/** A one-line progress bar, redrawn in place with `\r`. */
export interface ProgressBar {
  /** Draws `done` of `total`. */
  draw(done: number, total: number): void;
  /** Erases the bar, so what follows starts on a clean line. */
  done(): void;
}

/**
 * A progress bar on `stream` when a person watches it, else `null`: a file or a pipe gets no
 * carriage returns and escape codes.
 *
 * @example
 * const bar = progressBarOn(terminal.stderr);
 * bar?.draw(3, 10); // [#########.....................] 3/10
 * bar?.done();
 */
export function progressBarOn(stream: OutputStream): ProgressBar | null {
  if (stream.isTTY !== true) return null;
  // An audit finds more to send as answers come in, so its total grows: the bar holds its length
  // rather than run backwards, and the numbers beside it say where things stand.
  let shown = 0;
  return {
    draw(done, total) {
      const share = total === 0 ? BAR_WIDTH : Math.round((done / total) * BAR_WIDTH);
      const filled = Math.min(BAR_WIDTH, Math.max(shown, share));
      shown = filled;
      stream.write(`\r[${'#'.repeat(filled)}${'.'.repeat(BAR_WIDTH - filled)}] ${done}/${total}`);
    },
    done() {
      // Back to the start of the line, then erase it (CSI 2 K).
      stream.write('\r\u001b[2K');
    },
  };
}

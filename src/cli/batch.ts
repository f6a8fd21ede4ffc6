/**
 * What the batch modes of `check` and `audit` share: reading the `--input` file, and working
 * through its entries a few at a time.
 */
import { readFile } from 'node:fs/promises';
import type { ProgressBar, Terminal } from './terminal.js';

/** `1 check`, `2 checks`: the batch summaries count in words. */
export function plural(count: number, noun: string, nouns = `${noun}s`): string {
  return `${count} ${count === 1 ? noun : nouns}`;
}

/** All of stdin, as UTF-8: what a command reads for the file name `-`. */
export async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * The text of the `--input` file (`-` reads stdin, so a recon tool can pipe into it), or
 * `undefined` after saying on stderr why it cannot be read.
 */
export async function readInputFile(file: string, terminal: Terminal): Promise<string | undefined> {
  if (file === '-') return readStdin();
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    terminal.stderr.write(
      `corsproof: cannot read --input ${JSON.stringify(file)}: ${(error as Error).message}\n`,
    );
    return undefined;
  }
}

/**
 * Runs `work` on every item, at most `concurrency` at once, taking them in order; settles when all
 * are done, or rejects with the first error `work` throws. `progress`, if given, shows how many
 * items are done, and is erased at the end.
 */
export async function forEachConcurrently<T>(
  items: readonly T[],
  concurrency: number,
  work: (item: T) => Promise<void>,
  progress: ProgressBar | null = null,
): Promise<void> {
  let next = 0;
  let finished = 0;
  const worker = async () => {
    for (;;) {
      const index = next++;
      if (index >= items.length) return;
      await work(items[index] as T);
      finished++;
      progress?.draw(finished, items.length);
    }
  };
  try {
    await Promise.all(
      Array.from({ length: Math.min(concurrency, Math.max(items.length, 1)) }, worker),
    );
  } finally {
    progress?.done();
  }
}

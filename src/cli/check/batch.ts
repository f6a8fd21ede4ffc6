/**
 * `corsproof check --input FILE`: one check per entry, streamed out as JSON lines in the order
 * they finish, then a count on stderr. The exit code is the worst one.
 */

import type { Dispatcher } from 'undici';
import { CheckInputError, check, createCheckDispatcher } from '../../check/index.js';
import { withFixSnippets } from '../../generate/index.js';
import { parseBatchInput } from '../../targets/check-batch.js';
import { forEachConcurrently, plural, readInputFile } from '../batch.js';
import { EXIT_OK, EXIT_USAGE } from '../exit-codes.js';
import { progressBarOn, type Terminal, writeJsonLine } from '../terminal.js';
import { transportOptions } from '../transport.js';
import { type CheckFlags, exitCodeOf, optionsFrom } from './flags.js';

export async function runBatch(flags: CheckFlags, terminal: Terminal): Promise<number> {
  const text = await readInputFile(flags.input ?? '', terminal);
  if (text === undefined) return EXIT_USAGE;
  const lines = parseBatchInput(text);
  const defaults = optionsFrom(flags);
  let dispatcher: Dispatcher;
  try {
    dispatcher = createCheckDispatcher({
      connections: flags.concurrency,
      ...(flags.resolve === undefined ? {} : { resolve: flags.resolve }),
      ...transportOptions(flags),
    });
  } catch (error) {
    if (!(error instanceof CheckInputError)) throw error;
    terminal.stderr.write(`${error.message}\n`);
    return EXIT_USAGE;
  }
  const progress = progressBarOn(terminal.stderr);
  progress?.draw(0, lines.length);
  const counts = { allowed: 0, blocked: 0, error: 0, inconclusive: 0, invalid: 0 };
  let worst = EXIT_OK;
  const emit = (record: object) => writeJsonLine(terminal.stdout, record);

  try {
    await forEachConcurrently(
      lines,
      flags.concurrency,
      async (item) => {
        if (!item.ok) {
          counts.invalid++;
          worst = EXIT_USAGE;
          emit({ line: item.line, error: { code: 'INVALID_INPUT', message: item.message } });
        } else {
          const { entry } = item;
          try {
            const result = await check({
              ...defaults,
              ...entry,
              url: entry.url,
              headers: entry.headers ?? defaults.headers ?? [],
              dispatcher,
            });
            counts[result.verdict]++;
            worst = Math.max(worst, exitCodeOf(result));
            // Snippets only on request: a batch's fixes repeat, and rendering costs per line.
            const shown = flags.fixFor ? withFixSnippets(result, flags.fixFor) : result;
            emit({ line: item.line, url: entry.url, verdict: result.verdict, result: shown });
          } catch (error) {
            if (!(error instanceof CheckInputError)) throw error;
            counts.invalid++;
            worst = EXIT_USAGE;
            emit({
              line: item.line,
              url: entry.url,
              error: { code: error.code, message: error.message },
            });
          }
        }
      },
      progress,
    );
  } finally {
    await dispatcher.close();
  }
  terminal.stderr.write(
    `${plural(lines.length, 'check')}: ${counts.allowed} allowed, ${counts.blocked} blocked, ${plural(counts.error, 'network error')}, ${counts.inconclusive} inconclusive, ${counts.invalid} invalid input\n`,
  );
  return worst;
}

/**
 * `corsproof explain`: what a browser recorded or printed, judged offline.
 *
 *   corsproof explain session.har [--browser chromium|firefox|webkit] [--json]
 *   corsproof explain --message "Access to fetch at '...' ..." [--json]
 *
 * Nothing is sent: the HAR is judged with the checker's rules, and each failure gets the
 * `corsproof check` command that sends it live. Exit codes: 0 nothing blocked (or a line
 * understood), 1 a request of the HAR was blocked, 2 usage error, unreadable file or a line no
 * browser wording matches.
 */
import { readFile } from 'node:fs/promises';
import { type Command, Option } from 'commander';
import * as engine from '../check/index.js';
import { BROWSER_NAMES, type BrowserName } from '../check/index.js';
import {
  explainHar,
  explainMessage,
  formatHarExplanation,
  formatMessageExplanation,
  HarError,
  UNDERSTOOD_WORDINGS,
} from '../explain/index.js';
import { readStdin } from './batch.js';
import { EXIT_FAIL, EXIT_OK, EXIT_USAGE } from './exit-codes.js';
import type { CommandState } from './subcommand.js';
import { PROCESS_TERMINAL, type Terminal } from './terminal.js';

interface ExplainFlags {
  message?: string;
  browser?: BrowserName;
  json?: boolean;
}

class UsageProblem extends Error {}

async function readInput(file: string): Promise<string> {
  if (file === '-') return readStdin();
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    throw new UsageProblem(`cannot read ${JSON.stringify(file)}: ${(error as Error).message}`);
  }
}

function runMessage(text: string, flags: ExplainFlags, io: Terminal): number {
  const explained = explainMessage(text, engine);
  if (explained === null) {
    throw new UsageProblem(
      `the message is not a CORS line explain knows. Understood wordings:\n${UNDERSTOOD_WORDINGS.map((w) => `  ${w}`).join('\n')}\nPaste the whole line from the console, starting with "Access to fetch at" or "Cross-Origin Request Blocked".`,
    );
  }
  io.stdout.write(
    flags.json === true
      ? `${JSON.stringify(explained, null, 2)}\n`
      : formatMessageExplanation(explained),
  );
  return EXIT_OK;
}

async function run(file: string | undefined, flags: ExplainFlags, io: Terminal): Promise<number> {
  if (flags.message !== undefined) {
    if (file !== undefined) throw new UsageProblem('give a HAR file or --message, not both');
    return runMessage(flags.message, flags, io);
  }
  if (file === undefined) {
    throw new UsageProblem(
      'missing FILE, a HAR exported from the Network panel ("-" reads stdin), or --message "<console line>"',
    );
  }
  const report = explainHar(await readInput(file), { browser: flags.browser }, engine);
  io.stdout.write(
    flags.json === true
      ? `${JSON.stringify(report, null, 2)}\n`
      : formatHarExplanation(report, file === '-' ? 'stdin' : file),
  );
  return report.summary.blocked > 0 ? EXIT_FAIL : EXIT_OK;
}

/** Registers `explain` on the program; its action stores the exit code in `state.code`. */
export function register(
  program: Command,
  state: CommandState,
  io: Terminal = PROCESS_TERMINAL,
): void {
  program
    .command('explain')
    .summary('explain the CORS failures of a HAR recording or a browser console line, offline')
    .description(
      "Judges every cross-origin request of a HAR file (exported from the browser's Network panel) with the browser's CORS rules, offline: the verdict, the browser's console line, the fix and the corsproof check command that reproduces it; or explains one console line (--message). Credentials are masked in everything printed. Exit code: 0 nothing blocked, 1 a request was blocked, 2 usage error, unreadable file or a line explain does not know.",
    )
    .argument('[file]', 'the HAR file ("-" for stdin)')
    .option(
      '--message <line>',
      'a CORS line from the browser console, e.g. "Access to fetch at \'...\' ..."',
    )
    .addOption(
      new Option(
        '--browser <name>',
        'whose rules and wording (default: the browser that wrote the HAR)',
      ).choices(BROWSER_NAMES),
    )
    .option('--json', 'print the explanation as JSON')
    .action(async (file: string | undefined, flags: ExplainFlags) => {
      try {
        state.code = await run(file, flags, io);
      } catch (error) {
        if (error instanceof UsageProblem) {
          io.stderr.write(`corsproof: explain: ${error.message}\n`);
        } else if (error instanceof HarError) {
          io.stderr.write(`corsproof: explain: ${file}: ${error.message}\n`);
        } else throw error;
        state.code = EXIT_USAGE;
      }
    });
}

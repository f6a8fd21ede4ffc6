/**
 * `corsproof conform`: does the live server answer as the policy file says? For CI after a
 * deploy.
 *
 *   corsproof conform <url> --policy cors.json [--json | --format human|json|sarif|junit]
 *     [--concurrency N] [--browser chromium|firefox|webkit] [--resolve HOST:PORT:ADDR]
 *
 * Exit codes: 0 every case conforms, 1 at least one differs, 2 usage error, an unreadable policy
 * file, or a server that did not answer.
 */
import { readFile } from 'node:fs/promises';
import { type Command, Option } from 'commander';
import { type PolicyFile, parsePolicyFile } from 'corsproof';
import {
  BROWSER_NAMES,
  type BrowserName,
  CheckInputError,
  createCheckDispatcher,
} from '../check/index.js';
import { type ConformReport, conform } from '../conform/conform.js';
import { formatConformReport } from '../conform/format.js';
import { toJUnit } from '../conform/junit.js';
import { toConformSarif } from '../conform/sarif.js';
import { EXIT_FAIL, EXIT_OK, EXIT_USAGE } from './exit-codes.js';
import { collectResolve, parseInteger } from './options.js';
import type { CommandState } from './subcommand.js';
import { PROCESS_TERMINAL, type Terminal } from './terminal.js';
import { packageVersion } from './version.js';

type Format = 'human' | 'json' | 'sarif' | 'junit';

interface ConformFlags {
  policy?: string;
  json?: boolean;
  format?: Format;
  concurrency?: number;
  browser: BrowserName;
  resolve?: Record<string, string>;
}

/** Registers `conform` on the program; its action stores the exit code in `state.code`. */
export function register(
  program: Command,
  state: CommandState,
  io: Terminal = PROCESS_TERMINAL,
): void {
  program
    .command('conform')
    .summary('check that a live server answers as its policy file says')
    .description(
      "Derives cases from the policy file (allowed origins and look-alikes, credentials, methods, request headers, exposed headers, private network, per path) and runs each against the live server and against the policy itself, judged by the browser's rules. Exit code: 0 everything conforms, 1 a difference, 2 usage error or no answer from the server.",
    )
    .argument('<url>', "the live server's URL, e.g. https://staging.api.example.com/")
    .option('--policy <file>', 'the policy file (JSON) the server is meant to carry out')
    .option('--json', 'print the report as JSON (same as --format json)')
    .addOption(
      new Option('--format <format>', 'output format').choices(['human', 'json', 'sarif', 'junit']),
    )
    .option('--concurrency <n>', 'cases run at once (default 8)', parseInteger(1, 64))
    .addOption(
      new Option('--browser <name>', 'browser whose rules judge the answers')
        .choices(BROWSER_NAMES)
        .default('chromium'),
    )
    .option(
      '--resolve <host:port:addr>',
      'connect to ADDR for HOST:PORT, as curl --resolve (repeatable)',
      collectResolve,
    )
    .action(async (url: string, flags: ConformFlags, command: Command) => {
      const usage = (message: string) =>
        command.error(`error: ${message}`, { exitCode: EXIT_USAGE });
      if (flags.json && flags.format !== undefined && flags.format !== 'json') {
        usage('give either --json or --format, not both');
        return;
      }
      if (flags.policy === undefined) {
        usage(
          'missing --policy FILE, the policy file the server should follow (e.g. --policy cors.json)',
        );
        return;
      }
      state.code = await run(
        url,
        flags.policy,
        flags,
        flags.json ? 'json' : (flags.format ?? 'human'),
        io,
      );
    });
}

/** Reads and validates the policy file; a message for stderr when it cannot. */
async function readPolicyFile(file: string): Promise<PolicyFile | string> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    return `corsproof: --policy: cannot read ${JSON.stringify(file)}: ${(error as Error).message}. Fix: give the path of the policy file, e.g. --policy cors.json`;
  }
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    return `corsproof: --policy: ${JSON.stringify(file)} is not valid JSON: ${(error as Error).message}`;
  }
  try {
    return parsePolicyFile(document);
  } catch (error) {
    return `${(error as Error).message}\n(in ${file})`;
  }
}

function useColor(stream: Terminal['stdout'], env: NodeJS.ProcessEnv): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0') return true;
  return stream.isTTY === true && env.TERM !== 'dumb';
}

function render(report: ConformReport, format: Format, policyFile: string, io: Terminal): string {
  switch (format) {
    case 'json':
      return `${JSON.stringify(report, null, 2)}\n`;
    case 'sarif':
      return `${JSON.stringify(toConformSarif(report, policyFile, packageVersion()), null, 2)}\n`;
    case 'junit':
      return toJUnit(report);
    default:
      return formatConformReport(report, { color: useColor(io.stdout, io.env) });
  }
}

/** The message for cases the server gave no answer to, or null when it answered every one. */
function unanswered(report: ConformReport): string | null {
  const errors = report.differences.filter((d) => d.kind === 'network-error');
  const first = errors[0];
  if (first === undefined) return null;
  const why = first.message.replace(/\.$/, '');
  return `corsproof: ${errors.length} of ${report.cases.length} cases got no answer from ${report.url} (${first.actual}: ${why}). Fix: check the URL, that the server is up and reachable from here, or pin its address with --resolve`;
}

async function run(
  url: string,
  policyFile: string,
  flags: ConformFlags,
  format: Format,
  io: Terminal,
): Promise<number> {
  const file = await readPolicyFile(policyFile);
  if (typeof file === 'string') {
    io.stderr.write(`${file}\n`);
    return EXIT_USAGE;
  }
  const progress = io.stderr.isTTY === true && format === 'human' ? new Progress(io.stderr) : null;
  const concurrency = flags.concurrency ?? 8;
  const dispatcher = createCheckDispatcher({
    connections: concurrency,
    ...(flags.resolve === undefined ? {} : { resolve: flags.resolve }),
  });
  let report: ConformReport;
  try {
    report = await conform({
      url,
      file,
      concurrency,
      browser: flags.browser,
      dispatcher,
      ...(progress === null ? {} : { onProgress: (d: number, t: number) => progress.draw(d, t) }),
    });
  } catch (error) {
    if (error instanceof CheckInputError) {
      io.stderr.write(`${error.message}\n`);
      return EXIT_USAGE;
    }
    throw error;
  } finally {
    progress?.done();
    await dispatcher.close();
  }
  const noAnswer = unanswered(report);
  const answeredNothing = report.differences.every((d) => d.kind === 'network-error');
  // A server that answered nothing gets one line, not a page of identical differences.
  if (!(noAnswer !== null && answeredNothing && format === 'human')) {
    io.stdout.write(render(report, format, policyFile, io));
  }
  if (noAnswer !== null) {
    io.stderr.write(`${noAnswer}\n`);
    return EXIT_USAGE;
  }
  return report.conforms ? EXIT_OK : EXIT_FAIL;
}

/** A one-line progress bar on a terminal, cleared when done. */
class Progress {
  constructor(private readonly stream: Terminal['stderr']) {}
  draw(done: number, total: number): void {
    const width = 30;
    const filled = total === 0 ? width : Math.round((done / total) * width);
    this.stream.write(
      `\r[${'='.repeat(filled)}${' '.repeat(width - filled)}] ${done}/${total} cases`,
    );
  }
  done(): void {
    this.stream.write('\r\u001b[2K');
  }
}

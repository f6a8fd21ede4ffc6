/**
 * `corsproof check`: would a page at --origin be able to fetch() this URL?
 *
 *   corsproof check <url> --origin <origin> [-X METHOD] [-H 'Name: value']... [--credentials]
 *     [--data BODY] [--browser chromium|firefox|webkit] [--preflight-only] [--emulate ID | --galxe] [--timeout MS] [--deadline MS] [--json]
 *     [--resolve HOST:PORT:ADDR]...
 *   corsproof check --input FILE [--concurrency N] [...defaults for every line]
 *   corsproof check --openapi FILE --origin <origin> [--base-url URL] [--include P]... [--exclude P]...
 *     [--rate N] [--concurrency N] [--json]
 *
 * With --emulate and no -X, each of the emulated checker's probes runs (--galxe: GET and POST), and
 * the exit code is the worst.
 * Exit codes: 0 allowed, 1 blocked, 2 usage or network error (or an inconclusive check). In batch
 * mode results stream out as JSON lines, in the order they finish; the exit code is the worst one.
 */

import { type Command, InvalidArgumentError, Option } from 'commander';
// Only what the options and --help need is imported here: the checker, the generators and undici
// are loaded by the action that runs a check (`corsproof check --help` never compiles them).
import { BROWSER_NAMES, EMULATION_IDS, EMULATION_INFOS } from '../../check/surface.js';
import {
  DEFAULT_FIX_TARGETS,
  FixTargetError,
  parseFixTargets,
  TARGET_NAMES,
} from '../../generate/fix-targets.js';
import type { TargetName } from '../../generate/target.js';
import { EXIT_USAGE } from '../exit-codes.js';
import { addOpenApiOptions } from '../openapi-flags.js';
import { collectHeader, collectResolve, parseInteger } from '../options.js';
import type { CommandState } from '../subcommand.js';
import { PROCESS_TERMINAL, type Terminal } from '../terminal.js';
import { addTransportOptions } from '../transport.js';
import { type CheckFlags, emulationOf } from './flags.js';

/** `--fix-for nginx,flask`: a usage error (exit 2) naming every target for an unknown one. */
function fixTargets(list: string): TargetName[] {
  try {
    return parseFixTargets(list);
  } catch (error) {
    if (error instanceof FixTargetError) throw new InvalidArgumentError(error.message);
    throw error;
  }
}

/** Registers `check` on the program; its action stores the exit code in `state.code`. */
export function register(
  program: Command,
  state: CommandState,
  terminal: Terminal = PROCESS_TERMINAL,
): void {
  const command = program
    .command('check')
    .summary('check whether a page at an origin can fetch() a URL, as a browser would')
    .description(
      "Sends what a browser would send (the preflight when one is needed, then the request, following redirects) and judges every response with the browser's CORS rules. Exit code: 0 allowed, 1 blocked, 2 usage or network error.",
    )
    .argument('[url]', 'the URL the page would fetch')
    .option('--origin <origin>', 'origin of the calling page, e.g. https://app.example.com')
    .option('-X, --method <method>', 'request method (default GET)')
    .option('-H, --header <header>', "request header 'Name: value' (repeatable)", collectHeader)
    .option('--credentials', "send with credentials: 'include' (cookies, HTTP auth)")
    .option('--cookie <cookie>', 'Cookie value the browser would send (with --credentials)')
    .option('--data <body>', 'request body (text)')
    .addOption(
      new Option('--browser <name>', 'browser to imitate')
        .choices(BROWSER_NAMES)
        .default('chromium'),
    )
    .option(
      '--preflight-only',
      'send only the preflight, never the request (for endpoints that change data)',
    )
    .addOption(
      new Option(
        '--emulate <id>',
        `reproduce a platform's server-side CORS check instead of a browser's: ${EMULATION_INFOS.map((e) => `${e.id} (${e.name}, from ${e.origin})`).join('; ')}; each of its probes runs unless -X picks one`,
      ).choices(EMULATION_IDS),
    )
    .option('--galxe', 'short for --emulate galxe')
    .option(
      '--timeout <ms>',
      'timeout per request in milliseconds (default 10000)',
      parseInteger(1, 600_000),
    )
    .option(
      '--deadline <ms>',
      'the whole check (every preflight, request and redirect), in milliseconds (default 3 × --timeout)',
      parseInteger(1, 3_600_000),
    )
    .option('--max-redirects <n>', 'redirects to follow, 0 to 20 (default 20)', parseInteger(0, 20))
    .option(
      '--resolve <host:port:addr>',
      'connect to ADDR for HOST:PORT, as curl --resolve (repeatable)',
      collectResolve,
    )
    .option('--json', 'print the full result as JSON')
    .option(
      '--fix-for <targets>',
      `show each fix as configuration for these servers, comma-separated, written by the generators of corsproof generate: ${TARGET_NAMES.join(', ')} (--json: default ${DEFAULT_FIX_TARGETS.join(',')})`,
      fixTargets,
    )
    .option('--no-curl', 'leave out the curl commands')
    .option(
      '--input <file>',
      'batch: JSON lines or CSV (url,origin,method,headers,credentials,body)',
    )
    .option(
      '--concurrency <n>',
      'batch and --openapi: checks at once, 1 to 64',
      parseInteger(1, 64),
      8,
    )
    .action(async (url: string | undefined, flags: CheckFlags, command: Command) => {
      if (flags.openapi !== undefined) {
        if (url !== undefined || flags.input !== undefined) {
          command.error(
            'error: --openapi checks the operations it describes; give no URL or --input',
            {
              exitCode: EXIT_USAGE,
            },
          );
          return;
        }
        if (flags.origin === undefined) {
          command.error(
            'error: missing --origin, the origin of the calling page (e.g. --origin https://app.example.com)',
            { exitCode: EXIT_USAGE },
          );
          return;
        }
        // Loaded only here: the description parser is large, and other checks never need it.
        const { runOpenApi } = await import('./openapi.js');
        state.code = await runOpenApi(flags, terminal);
        return;
      }
      if (flags.input !== undefined) {
        if (url !== undefined)
          command.error('error: give either a URL or --input, not both', { exitCode: EXIT_USAGE });
        const { runBatch } = await import('./batch.js');
        state.code = await runBatch(flags, terminal);
        return;
      }
      if (url === undefined) {
        command.error('error: missing the URL to check (or --input FILE for a batch)', {
          exitCode: EXIT_USAGE,
        });
        return;
      }
      if (flags.galxe === true && flags.emulate !== undefined && flags.emulate !== 'galxe') {
        command.error(
          `error: --galxe is short for --emulate galxe; give one emulation, not --emulate ${flags.emulate} too`,
          { exitCode: EXIT_USAGE },
        );
        return;
      }
      if (flags.origin === undefined && emulationOf(flags) === undefined) {
        command.error(
          'error: missing --origin, the origin of the calling page (e.g. --origin https://app.example.com)',
          {
            exitCode: EXIT_USAGE,
          },
        );
        return;
      }
      const { runSingle } = await import('./single.js');
      state.code = await runSingle(url, flags, terminal);
    });
  addOpenApiOptions(command, 'check');
  addTransportOptions(command);
}

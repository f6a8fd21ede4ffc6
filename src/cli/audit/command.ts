/**
 * `corsproof audit`: which origins does this endpoint (or this corsproof policy) really trust?
 *
 *   corsproof audit <url> --origin <trusted-origin> [--credentials] [--cookie C] [-H 'N: v']...
 *     [-X METHOD] [--browser chromium|firefox|webkit] [--timeout MS] [--deadline MS] [--json | --format human|json|sarif]
 *   corsproof audit --input FILE [--concurrency N] [...defaults for every line]
 *   corsproof audit --policy FILE [--origin <trusted-origin>] [--json | --format ...]
 *   corsproof audit --openapi FILE --origin <trusted-origin> [--base-url URL] [--include P]...
 *     [--exclude P]... [--rate N] [--concurrency N] [--json | --format ...]
 *
 * Exit codes: 0 no finding of medium severity or above, 1 at least one, 2 usage or network error
 * (the trusted origin's own GET failed, or some probes failed and nothing serious was proven).
 * In batch mode results stream out as JSON lines in the order they finish (or one SARIF log at
 * the end); the exit code is the worst one.
 */

import { type Command, Option } from 'commander';
import { BROWSER_NAMES } from '../../check/index.js';
import { EXIT_USAGE } from '../exit-codes.js';
import { addOpenApiOptions } from '../openapi-flags.js';
import { collectHeader, collectResolve, parseInteger } from '../options.js';
import type { CommandState } from '../subcommand.js';
import { PROCESS_TERMINAL, type Terminal } from '../terminal.js';
import { addTransportOptions } from '../transport.js';
import { runBatch } from './batch.js';
import type { AuditFlags, Format } from './flags.js';
import { runPolicy } from './policy.js';
import { runSingle } from './single.js';

/** Registers `audit` on the program; its action stores the exit code in `state.code`. */
export function register(
  program: Command,
  state: CommandState,
  terminal: Terminal = PROCESS_TERMINAL,
): void {
  const command = program
    .command('audit')
    .summary('find the origins an endpoint (or a corsproof policy) trusts by mistake')
    .description(
      "Sends crafted origins as a simple GET and as the preflight of a state-changing request (never the request itself) and judges the answers with the browser's CORS rules. Exit code: 0 no finding of medium severity or above, 1 at least one, 2 usage or network error.",
    )
    .argument('[url]', 'the URL to audit')
    .option('--origin <origin>', 'the origin that should be trusted, e.g. https://app.example.com')
    .option(
      '-H, --header <header>',
      "header the calling page sets 'Name: value' (repeatable)",
      collectHeader,
    )
    .option('--credentials', "send the GETs as fetch() with credentials: 'include' would")
    .option('--cookie <cookie>', 'a session Cookie for the GETs (implies --credentials)')
    .option(
      '-X, --method <method>',
      'the state-changing method the preflights ask for (default PUT)',
    )
    .addOption(
      new Option('--browser <name>', 'browser whose rules judge the answers')
        .choices(BROWSER_NAMES)
        .default('chromium'),
    )
    .option(
      '--timeout <ms>',
      'timeout per request in milliseconds (default 10000)',
      parseInteger(1, 600_000),
    )
    .option(
      '--deadline <ms>',
      'the whole audit, in milliseconds (default 6 × --timeout); past it the audit stops and exits 2',
      parseInteger(1, 3_600_000),
    )
    .option(
      '--resolve <host:port:addr>',
      'connect to ADDR for HOST:PORT, as curl --resolve (repeatable)',
      collectResolve,
    )
    .addOption(
      new Option(
        '--fail-on <severity>',
        'the least severity that fails the run with exit 1 (default medium)',
      ).choices(['info', 'low', 'medium', 'high']),
    )
    .option('--json', 'print the report as JSON (same as --format json)')
    .addOption(new Option('--format <format>', 'output format').choices(['human', 'json', 'sarif']))
    .option('--input <file>', 'batch: URLs one per line, or JSON lines / CSV with url,origin,...')
    .option(
      '--concurrency <n>',
      'requests at once (default 8); with --input or --openapi, targets audited at once (default 4)',
      parseInteger(1, 64),
    )
    .option(
      '--policy <file>',
      'audit a corsproof policy (JSON, or a .js/.mjs module exporting it as default) without sending anything',
    )
    .action(async (url: string | undefined, flags: AuditFlags, command: Command) => {
      const usage = (message: string) =>
        command.error(`error: ${message}`, { exitCode: EXIT_USAGE });
      if (flags.json && flags.format !== undefined && flags.format !== 'json') {
        usage('give either --json or --format, not both');
        return;
      }
      const format: Format = flags.json ? 'json' : (flags.format ?? 'human');
      if (flags.openapi !== undefined) {
        if (url !== undefined || flags.input !== undefined || flags.policy !== undefined) {
          usage('--openapi audits the operations it describes; give no URL, --input or --policy');
          return;
        }
        if (flags.origin === undefined) {
          usage(
            'missing --origin, the origin that should be trusted (e.g. --origin https://app.example.com)',
          );
          return;
        }
        // Loaded only here: the description parser is large, and other audits never need it.
        const { runOpenApi } = await import('./openapi.js');
        state.code = await runOpenApi(flags.origin, flags, format, terminal);
        return;
      }
      if (flags.policy !== undefined) {
        if (url !== undefined || flags.input !== undefined) {
          usage(
            '--policy audits a policy file without network access; give it without a URL or --input',
          );
          return;
        }
        state.code = await runPolicy(flags.policy, flags, format, terminal);
        return;
      }
      if (flags.input !== undefined) {
        if (url !== undefined) {
          usage('give either a URL or --input, not both');
          return;
        }
        // Batch output is JSON lines unless asked otherwise.
        state.code = await runBatch(
          flags.input,
          flags,
          flags.json ? 'json' : (flags.format ?? 'json'),
          terminal,
        );
        return;
      }
      if (url === undefined) {
        usage('missing the URL to audit (or --input FILE for a batch, or --policy FILE)');
        return;
      }
      if (flags.origin === undefined) {
        usage(
          'missing --origin, the origin that should be trusted (e.g. --origin https://app.example.com)',
        );
        return;
      }
      state.code = await runSingle(url, flags.origin, flags, format, terminal);
    });
  addOpenApiOptions(command, 'audit');
  addTransportOptions(command);
}

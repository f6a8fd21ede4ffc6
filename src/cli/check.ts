/**
 * `corsproof check`: would a page at --origin be able to fetch() this URL?
 *
 *   corsproof check <url> --origin <origin> [-X METHOD] [-H 'Name: value']... [--credentials]
 *     [--data BODY] [--browser chromium|firefox] [--preflight-only] [--galxe] [--timeout MS] [--json]
 *     [--resolve HOST:PORT:ADDR]...
 *   corsproof check --input FILE [--concurrency N] [...defaults for every line]
 *
 * Exit codes: 0 allowed, 1 blocked, 2 usage or network error (or an inconclusive check). In batch
 * mode results stream out as JSON lines, in the order they finish; the exit code is the worst one.
 */
import { readFile } from 'node:fs/promises';
import { type Command, Option } from 'commander';
import { parseBatchInput } from '../check/batch-input.js';
import { check } from '../check/check.js';
import { CheckInputError } from '../check/errors.js';
import { formatCheckResult } from '../check/format.js';
import type { CheckOptions } from '../check/options.js';
import { BROWSER_NAMES, type BrowserName } from '../check/profiles.js';
import type { CheckResult, Framework } from '../check/result.js';
import { createCheckDispatcher } from '../check/transport.js';
import type { CommandState } from './commands.js';
import { EXIT_FAIL, EXIT_OK, EXIT_USAGE } from './exit-codes.js';
import { collectHeader, collectResolve, parseInteger } from './options.js';

const FRAMEWORKS: readonly Framework[] = [
  'corsproof',
  'express',
  'fastify',
  'koa',
  'hono',
  'nginx',
  'flask',
  'aspnetcore',
];

interface CheckFlags {
  origin?: string;
  method?: string;
  header?: [string, string][];
  credentials?: boolean;
  cookie?: string;
  data?: string;
  browser: BrowserName;
  preflightOnly?: boolean;
  galxe?: boolean;
  timeout?: number;
  maxRedirects?: number;
  json?: boolean;
  fixFor?: Framework;
  curl: boolean;
  input?: string;
  concurrency: number;
  resolve?: Record<string, string>;
}

/** Where the command writes; the process streams by default. */
export interface CheckIo {
  readonly stdout: NodeJS.WritableStream & { isTTY?: boolean };
  readonly stderr: NodeJS.WritableStream & { isTTY?: boolean };
  readonly env: NodeJS.ProcessEnv;
}

const PROCESS_IO: CheckIo = { stdout: process.stdout, stderr: process.stderr, env: process.env };

/** Registers `check` on the program; its action stores the exit code in `state.code`. */
export function registerCheck(
  program: Command,
  state: CommandState,
  io: CheckIo = PROCESS_IO,
): void {
  program
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
    .option('--galxe', "reproduce Galxe's CORS Check (origin https://dashboard.galxe.com)")
    .option(
      '--timeout <ms>',
      'timeout per request in milliseconds (default 10000)',
      parseInteger(1, 600_000),
    )
    .option('--max-redirects <n>', 'redirects to follow, 0 to 20 (default 20)', parseInteger(0, 20))
    .option(
      '--resolve <host:port:addr>',
      'connect to ADDR for HOST:PORT, as curl --resolve (repeatable)',
      collectResolve,
    )
    .option('--json', 'print the full result as JSON')
    .addOption(
      new Option('--fix-for <framework>', 'show the fix as configuration for').choices(FRAMEWORKS),
    )
    .option('--no-curl', 'leave out the curl commands')
    .option(
      '--input <file>',
      'batch: JSON lines or CSV (url,origin,method,headers,credentials,body)',
    )
    .option('--concurrency <n>', 'batch: checks at once, 1 to 64', parseInteger(1, 64), 8)
    .action(async (url: string | undefined, flags: CheckFlags, command: Command) => {
      if (flags.input !== undefined) {
        if (url !== undefined)
          command.error('error: give either a URL or --input, not both', { exitCode: EXIT_USAGE });
        state.code = await runBatch(flags, io);
        return;
      }
      if (url === undefined) {
        command.error('error: missing the URL to check (or --input FILE for a batch)', {
          exitCode: EXIT_USAGE,
        });
        return;
      }
      if (flags.origin === undefined && !flags.galxe) {
        command.error(
          'error: missing --origin, the origin of the calling page (e.g. --origin https://app.example.com)',
          {
            exitCode: EXIT_USAGE,
          },
        );
        return;
      }
      state.code = await runSingle(url, flags, io);
    });
}

function optionsFrom(flags: CheckFlags): Omit<CheckOptions, 'url'> {
  return {
    ...(flags.origin !== undefined ? { origin: flags.origin } : {}),
    ...(flags.method !== undefined ? { method: flags.method } : {}),
    headers: flags.header ?? [],
    credentials: flags.credentials ? 'include' : 'same-origin',
    ...(flags.cookie !== undefined ? { cookie: flags.cookie } : {}),
    body: flags.data ?? null,
    browser: flags.browser,
    preflightOnly: flags.preflightOnly === true,
    galxe: flags.galxe === true,
    ...(flags.timeout !== undefined ? { timeoutMs: flags.timeout } : {}),
    ...(flags.maxRedirects !== undefined ? { maxRedirects: flags.maxRedirects } : {}),
  };
}

/** 0 allowed, 1 blocked, 2 no verdict. */
export function exitCodeOf(result: CheckResult): number {
  if (result.verdict === 'allowed') return EXIT_OK;
  if (result.verdict === 'blocked') return EXIT_FAIL;
  return EXIT_USAGE;
}

function useColor(stream: CheckIo['stdout'], env: NodeJS.ProcessEnv): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0') return true;
  return stream.isTTY === true && env.TERM !== 'dumb';
}

async function runSingle(url: string, flags: CheckFlags, io: CheckIo): Promise<number> {
  let result: CheckResult;
  // A pool of its own only to pin names; otherwise check() makes one.
  const dispatcher =
    flags.resolve === undefined
      ? undefined
      : createCheckDispatcher({ connections: 2, resolve: flags.resolve });
  try {
    result = await check({ url, ...optionsFrom(flags), ...(dispatcher ? { dispatcher } : {}) });
  } catch (error) {
    if (error instanceof CheckInputError) {
      io.stderr.write(`${error.message}\n`);
      return EXIT_USAGE;
    }
    throw error;
  } finally {
    await dispatcher?.close();
  }
  if (flags.json) {
    io.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  } else {
    io.stdout.write(
      formatCheckResult(result, {
        color: useColor(io.stdout, io.env),
        ...(flags.fixFor !== undefined ? { framework: flags.fixFor } : {}),
        curl: flags.curl,
      }),
    );
  }
  return exitCodeOf(result);
}

async function runBatch(flags: CheckFlags, io: CheckIo): Promise<number> {
  const path = flags.input ?? '';
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    io.stderr.write(
      `corsproof: cannot read --input ${JSON.stringify(path)}: ${(error as Error).message}\n`,
    );
    return EXIT_USAGE;
  }
  const lines = parseBatchInput(text);
  const defaults = optionsFrom(flags);
  const dispatcher = createCheckDispatcher({
    connections: flags.concurrency,
    ...(flags.resolve === undefined ? {} : { resolve: flags.resolve }),
  });
  const progress = io.stderr.isTTY === true ? new Progress(io.stderr, lines.length) : null;
  const counts = { allowed: 0, blocked: 0, error: 0, inconclusive: 0, invalid: 0 };
  let worst = EXIT_OK;
  const emit = (record: object) => io.stdout.write(`${JSON.stringify(record)}\n`);

  let next = 0;
  const worker = async () => {
    for (;;) {
      const item = lines[next++];
      if (item === undefined) return;
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
          emit({ line: item.line, url: entry.url, verdict: result.verdict, result });
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
      progress?.tick();
    }
  };
  try {
    await Promise.all(
      Array.from({ length: Math.min(flags.concurrency, Math.max(lines.length, 1)) }, worker),
    );
  } finally {
    progress?.done();
    await dispatcher.close();
  }
  io.stderr.write(
    `${lines.length} checks: ${counts.allowed} allowed, ${counts.blocked} blocked, ${counts.error} network errors, ${counts.inconclusive} inconclusive, ${counts.invalid} invalid input\n`,
  );
  return worst;
}

/** A one-line progress bar on a terminal. */
class Progress {
  private count = 0;
  constructor(
    private readonly stream: CheckIo['stderr'],
    private readonly total: number,
  ) {
    this.draw();
  }
  tick(): void {
    this.count++;
    this.draw();
  }
  done(): void {
    this.stream.write('\r\u001b[2K');
  }
  private draw(): void {
    const width = 30;
    const filled = this.total === 0 ? width : Math.round((this.count / this.total) * width);
    this.stream.write(
      `\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${this.count}/${this.total}`,
    );
  }
}

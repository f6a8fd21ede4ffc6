/**
 * `corsproof serve`: the checker service (HTTP API, web page, batches, monitors) on one port, and
 * with `--demo` the demo API on a second one (a different origin, so CORS applies between them).
 *
 * The first line on stdout is always `corsproof serve listening on <url>`, so scripts and tests
 * can read the bound address (with `--port 0`).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { type Command, Option } from 'commander';
import { isLoopbackHost, parseHost } from 'corsproof/spec';
import { adoptToken, issueToken, isTokenText } from '../service/auth/api-token.js';
import type { PrivateTargets } from '../service/guard/target-policy.js';
import { LOOPBACK_HOSTNAMES } from '../service/http/host-guard.js';
import { createService } from '../service/http/server.js';
import { createRunner } from '../service/jobs/runner.js';
import { createIdFactory } from '../service/store/ids.js';
import type { Store } from '../service/store/index.js';
import { createDemoHandler } from './demo/api.js';
import { EXIT_USAGE } from './exit-codes.js';
import { parsePort } from './options.js';
import { addBackendOptions, type BackendFlags, openBackends } from './service-backends.js';
import type { CommandState } from './subcommand.js';
import { PROCESS_TERMINAL, type Terminal } from './terminal.js';
import { packageVersion } from './version.js';

interface ServeOptions extends BackendFlags {
  port: string;
  host: string;
  worker: boolean;
  allowPrivateTargets?: boolean;
  demo?: boolean;
  demoPort: string;
  corsOrigin?: string[];
  webRoot: string;
  auth?: string;
  adminToken?: string;
}

/**
 * The bootstrap admin token: made on a start with tokens required and no token at all in the
 * database, printed once. Later admins are made with it (POST /api/tokens) or with
 * `corsproof token create`.
 */
async function bootstrapToken(store: Store): Promise<string | undefined> {
  if ((await store.tokens.list()).length > 0) return undefined;
  const newId = createIdFactory(() => Date.now());
  const issued = await issueToken(store.tokens, newId, Date.now(), {
    name: 'bootstrap',
    scope: 'admin',
    createdBy: null,
  });
  return issued.token;
}

/** `http://host:port` for an address a server is bound to. */
function urlOf(address: AddressInfo | string | null, fallbackHost: string): string {
  if (address === null || typeof address === 'string') return `http://${fallbackHost}`;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return `http://${host}:${address.port}`;
}

function listenError(
  what: string,
  host: string,
  port: number,
  error: NodeJS.ErrnoException,
): Error {
  const why =
    error.code === 'EADDRINUSE'
      ? `port ${port} is already in use; pick another with --${what === 'demo' ? 'demo-port' : 'port'}`
      : error.message;
  return new Error(`serve: cannot listen on ${host}:${port} for the ${what}: ${why}`);
}

/** Starts the demo API on loopback only: it exists to be checked from this machine. */
async function startDemo(port: number): Promise<{ server: http.Server; url: string }> {
  const server = http.createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  }).catch((error: NodeJS.ErrnoException) => {
    throw listenError('demo', '127.0.0.1', port, error);
  });
  const address = server.address() as AddressInfo;
  const url = `http://localhost:${address.port}`;
  server.on('request', createDemoHandler(url));
  return { server, url };
}

/** Registers `serve` on the program; its action stores the exit code in `state.code`. */
export function register(
  program: Command,
  state: CommandState,
  terminal: Terminal = PROCESS_TERMINAL,
): void {
  const command = program
    .command('serve')
    .description('run the checker service: HTTP API, web page, batches and monitors')
    // Every setting also reads an environment variable (for containers); a flag wins over it.
    .addOption(
      new Option('-p, --port <port>', 'port to listen on (0 picks a free one)')
        .env('CORSPROOF_PORT')
        .default('8080'),
    )
    .addOption(
      new Option('--host <host>', 'address to listen on')
        .env('CORSPROOF_HOST')
        .default('127.0.0.1'),
    )
    .addOption(
      new Option(
        '--auth <mode>',
        'on: the API needs Bearer tokens; off: anyone may call it (only on loopback or with --demo). Default on, off with --demo',
      )
        .choices(['on', 'off'])
        .env('CORSPROOF_AUTH'),
    )
    .addOption(
      new Option(
        '--allow-private-targets',
        'let checks reach private, loopback and link-local addresses (for local use only)',
      ).env('CORSPROOF_ALLOW_PRIVATE_TARGETS'),
    )
    .addOption(
      new Option(
        '--admin-token <token>',
        'an admin token the service accepts, made with `corsproof token generate` (for a container: a secret in the environment); stored hashed at the first start, revocable like any other',
      ).env('CORSPROOF_ADMIN_TOKEN'),
    )
    .option('--demo', 'also run the demo API on --demo-port, and let checks reach loopback targets')
    .option('--demo-port <port>', 'port of the demo API', '8081')
    .addOption(
      new Option(
        '--cors-origin <origin...>',
        'an origin of another front end allowed to call the API (repeatable; none by default; CORSPROOF_CORS_ORIGINS takes them space-separated)',
      )
        .argParser((value: string, previous: string[] | undefined) => [
          ...(previous ?? []),
          ...value.split(/[\s]+/).filter((v) => v !== ''),
        ])
        .env('CORSPROOF_CORS_ORIGINS'),
    )
    .addOption(
      new Option('--web-root <dir>', 'folder of the built web page')
        .env('CORSPROOF_WEB_ROOT')
        .default(fileURLToPath(new URL('../../dist/web/', import.meta.url))),
    )
    .option(
      '--no-worker',
      'with --queue: answer the API only, and leave batches and monitors to `corsproof worker` processes',
    );
  addBackendOptions(command).action(async (opts: ServeOptions) => {
    const port = parsePort(opts.port);
    // parsePort words its message for --port.
    const demoPort = parsePort(opts.demoPort);
    const problem =
      typeof port === 'string'
        ? port
        : typeof demoPort === 'string'
          ? demoPort.replace('--port', '--demo-port')
          : undefined;
    if (typeof port === 'string' || typeof demoPort === 'string') {
      terminal.stderr.write(`corsproof: serve: ${problem}\n`);
      state.code = EXIT_USAGE;
      return;
    }
    const loopback = isLoopbackHost(parseHost(opts.host) ?? '');
    if (opts.demo && !loopback) {
      // Demo mode lets checks reach this machine's loopback; from other hosts that is SSRF.
      terminal.stderr.write(
        `corsproof: serve: --demo lets checks reach this machine, so it only listens on loopback; drop --host ${opts.host} or --demo\n`,
      );
      state.code = EXIT_USAGE;
      return;
    }
    // Demo mode is for trying the page at once: no tokens unless asked for.
    const auth =
      opts.auth === undefined
        ? opts.demo
          ? 'off'
          : 'tokens'
        : opts.auth === 'on'
          ? 'tokens'
          : 'off';
    if (auth === 'off' && !loopback && !opts.demo) {
      terminal.stderr.write(
        `corsproof: serve: --auth off lets anyone who reaches ${opts.host} run checks and read every result, so it is only allowed on a loopback address; listen on 127.0.0.1 or drop --auth off\n`,
      );
      state.code = EXIT_USAGE;
      return;
    }
    const privateTargets: PrivateTargets = opts.allowPrivateTargets
      ? 'private'
      : opts.demo
        ? 'loopback'
        : 'public';

    if (opts.adminToken !== undefined && !isTokenText(opts.adminToken)) {
      // Never echo the value: it is meant to be a secret.
      terminal.stderr.write(
        'corsproof: serve: --admin-token (or CORSPROOF_ADMIN_TOKEN) is not a corsproof token; make one with `corsproof token generate`\n',
      );
      state.code = EXIT_USAGE;
      return;
    }
    if (!opts.worker && opts.queue === undefined) {
      terminal.stderr.write(
        'corsproof: serve: --no-worker leaves batches to `corsproof worker` processes, which share them through --queue; give --queue redis://... or drop --no-worker\n',
      );
      state.code = EXIT_USAGE;
      return;
    }
    const backends = await openBackends(opts, { work: opts.worker, reconcile: true });
    if (typeof backends === 'string') {
      terminal.stderr.write(`corsproof: serve: ${backends}\n`);
      state.code = EXIT_USAGE;
      return;
    }
    const { store } = backends;
    let given: Awaited<ReturnType<typeof adoptToken>> | undefined;
    try {
      given =
        auth === 'tokens' && opts.adminToken !== undefined
          ? await adoptToken(store.tokens, Date.now(), {
              token: opts.adminToken,
              name: 'admin (--admin-token)',
              scope: 'admin',
            })
          : undefined;
    } catch (error) {
      await backends.close();
      terminal.stderr.write(`corsproof: serve: --admin-token ${(error as Error).message}\n`);
      state.code = EXIT_USAGE;
      return;
    }
    const bootstrap = auth === 'tokens' ? await bootstrapToken(store) : undefined;
    const runner = createRunner({ privateTargets });
    const service = await createService({
      store,
      runner,
      privateTargets,
      webRoot: opts.webRoot,
      corsOrigins: opts.corsOrigin ?? [],
      auth,
      // Bound to loopback, the service only answers to loopback names (DNS-rebinding defence).
      ...(loopback ? { allowedHostnames: LOOPBACK_HOSTNAMES } : {}),
      // Logs go to stderr, so stdout carries only the banner.
      logger: { level: 'warn', stream: terminal.stderr },
      version: packageVersion(),
      ...(backends.fleet === undefined ? {} : { fleet: backends.fleet }),
    }).catch(async (error: unknown) => {
      // A refused --cors-origin (the adapter validates it) must not leave the database open.
      await runner.close();
      await backends.close();
      throw error;
    });
    const { app } = service;
    let demo: { server: http.Server; url: string } | undefined;
    try {
      await app.listen({ port, host: opts.host }).catch((error: NodeJS.ErrnoException) => {
        throw listenError('service', opts.host, port, error);
      });
      if (opts.demo) demo = await startDemo(demoPort);
    } catch (error) {
      await app.close();
      await runner.close();
      await backends.close();
      throw error;
    }

    const url = urlOf(app.server.address(), opts.host);
    const targets = {
      public: 'public addresses only',
      private: 'private addresses allowed (--allow-private-targets)',
      loopback: 'public addresses and this machine (--demo)',
    }[privateTargets];
    const lines = [
      `corsproof serve listening on ${url}`,
      `  web page      ${url}/`,
      `  API           ${url}/api/openapi.json`,
      `  database      ${backends.database}`,
      `  batches       ${backends.queue}${opts.worker ? '' : ' (run by workers only: --no-worker)'}`,
      `  targets       ${targets}`,
      auth === 'off'
        ? '  access        open: no tokens asked for (--auth off; loopback only)'
        : '  access        Bearer tokens required (--auth on)',
      ...(given === undefined
        ? []
        : given.revokedAt === null
          ? [`  admin token   ${given.id}, from --admin-token (CORSPROOF_ADMIN_TOKEN)`]
          : [
              `  admin token   ${given.id}, from --admin-token (CORSPROOF_ADMIN_TOKEN), was revoked and is refused; generate another`,
            ]),
      ...(auth === 'off' && opts.adminToken !== undefined
        ? ['  admin token   --admin-token ignored: no tokens are asked for (--auth off)']
        : []),
      ...(bootstrap === undefined
        ? []
        : [
            '',
            'No token existed, so this admin token was made. It is shown this once: keep it.',
            `  ${bootstrap}`,
            'Sign in to the page with it, or send it as "Authorization: Bearer <token>";',
            'make tokens for others in the page or with POST /api/tokens, then revoke this one.',
          ]),
      ...(demo === undefined
        ? []
        : [
            `  demo API      ${demo.url}/  (another origin: check it from the page)`,
            '',
            'Example checks (or paste the same into the page):',
            `  # passes: the demo's allow-list trusts https://app.example.com`,
            `  curl -s -X POST ${url}/api/checks -H 'content-type: application/json' \\`,
            `    -d '{"url":"${demo.url}/private","origin":"https://app.example.com","method":"PUT","headers":{"Content-Type":"application/json"},"credentials":true}'`,
            `  # fails: the endpoint has no CORS at all`,
            `  node bin/corsproof.js check ${demo.url}/no-cors --origin https://app.example.com`,
            `  # passes Galxe's CORS Check, GET and POST: the policy of generate --preset galxe`,
            `  node bin/corsproof.js check ${demo.url}/galxe --galxe`,
          ]),
      '',
      'Press Ctrl+C to stop.',
    ];
    terminal.stdout.write(`${lines.join('\n')}\n`);

    await new Promise<void>((resolve) => {
      const stop = () => resolve();
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
    // Targets in flight stay `running` in the database and are redone at the next start.
    await app.close();
    await new Promise<void>((resolve) =>
      demo === undefined ? resolve() : demo.server.close(() => resolve()),
    );
    await runner.close();
    await backends.close();
  });
}

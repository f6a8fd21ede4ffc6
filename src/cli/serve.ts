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
import type { Command } from 'commander';
import { isLoopbackHost, parseHost } from 'corsproof/spec';
import type { PrivateTargets } from '../service/guard/target-policy.js';
import { LOOPBACK_HOSTNAMES } from '../service/http/host-guard.js';
import { createService } from '../service/http/server.js';
import { createRunner } from '../service/jobs/runner.js';
import { openSqliteStore } from '../service/store/index.js';
import { createDemoHandler } from './demo/api.js';
import { EXIT_USAGE } from './exit-codes.js';
import { parsePort } from './options.js';
import type { CommandState } from './subcommand.js';
import { PROCESS_TERMINAL, type Terminal } from './terminal.js';
import { packageVersion } from './version.js';

interface ServeOptions {
  port: string;
  host: string;
  db: string;
  allowPrivateTargets?: boolean;
  demo?: boolean;
  demoPort: string;
  corsOrigin?: string[];
  webRoot: string;
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
  program
    .command('serve')
    .description('run the checker service: HTTP API, web page, batches and monitors')
    .option('-p, --port <port>', 'port to listen on (0 picks a free one)', '8080')
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option(
      '--db <file>',
      'SQLite database (created if missing, with <file>.key beside it)',
      './corsproof.db',
    )
    .option(
      '--allow-private-targets',
      'let checks reach private, loopback and link-local addresses (for local use only)',
    )
    .option('--demo', 'also run the demo API on --demo-port, and let checks reach loopback targets')
    .option('--demo-port <port>', 'port of the demo API', '8081')
    .option(
      '--cors-origin <origin...>',
      'an origin of another front end allowed to call the API (repeatable; none by default)',
    )
    .option(
      '--web-root <dir>',
      'folder of the built web page',
      fileURLToPath(new URL('../../dist/web/', import.meta.url)),
    )
    .action(async (opts: ServeOptions) => {
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
        terminal.stderr.write(`corsproof serve: ${problem}\n`);
        state.code = EXIT_USAGE;
        return;
      }
      const loopback = isLoopbackHost(parseHost(opts.host) ?? '');
      if (opts.demo && !loopback) {
        // Demo mode lets checks reach this machine's loopback; from other hosts that is SSRF.
        terminal.stderr.write(
          `corsproof serve: --demo lets checks reach this machine, so it only listens on loopback; drop --host ${opts.host} or --demo\n`,
        );
        state.code = EXIT_USAGE;
        return;
      }
      const privateTargets: PrivateTargets = opts.allowPrivateTargets
        ? 'private'
        : opts.demo
          ? 'loopback'
          : 'public';

      const store = openSqliteStore(opts.db);
      const runner = createRunner({ privateTargets });
      const service = await createService({
        store,
        runner,
        privateTargets,
        webRoot: opts.webRoot,
        corsOrigins: opts.corsOrigin ?? [],
        // Bound to loopback, the service only answers to loopback names (DNS-rebinding defence).
        ...(loopback ? { allowedHostnames: LOOPBACK_HOSTNAMES } : {}),
        // Logs go to stderr, so stdout carries only the banner.
        logger: { level: 'warn', stream: terminal.stderr },
        version: packageVersion(),
      }).catch(async (error: unknown) => {
        // A refused --cors-origin (the adapter validates it) must not leave the database open.
        await runner.close();
        store.close();
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
        store.close();
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
        `  database      ${opts.db}`,
        `  targets       ${targets}`,
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
      store.close();
    });
}

/**
 * `corsproof demo`: runs the built-in demo API on its own.
 */
import http from 'node:http';
import type { Command } from 'commander';
import { EXIT_USAGE } from '../exit-codes.js';
import { parsePort } from '../options.js';
import type { CommandState } from '../subcommand.js';
import { PROCESS_TERMINAL, type Terminal } from '../terminal.js';
import { createDemoHandler, DEMO_ENDPOINTS, demoCurlExamples } from './api.js';

/** Registers `demo` on the program; its action stores the exit code in `state.code`. */
export function register(
  program: Command,
  state: CommandState,
  terminal: Terminal = PROCESS_TERMINAL,
): void {
  program
    .command('demo')
    .description(
      'run the built-in demo API: endpoints under different CORS policies, to try corsproof on',
    )
    .option(
      '-p, --port <port>',
      'port to listen on (8081, beside serve on 8080, as serve --demo puts it)',
      '8081',
    )
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .action(async (opts: { port: string; host: string }) => {
      const port = parsePort(opts.port);
      if (typeof port === 'string') {
        terminal.stderr.write(`corsproof: demo: ${port}\n`);
        state.code = EXIT_USAGE;
        return;
      }
      const shownHost =
        opts.host === '127.0.0.1' || opts.host === '0.0.0.0' ? 'localhost' : opts.host;
      const server = http.createServer();
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, opts.host, () => resolve());
      }).catch((error: NodeJS.ErrnoException) => {
        const why =
          error.code === 'EADDRINUSE'
            ? `port ${port} is already in use; pick another with --port`
            : error.message;
        throw new Error(`demo: cannot listen on ${opts.host}:${port}: ${why}`);
      });
      const address = server.address();
      const actualPort = typeof address === 'object' && address !== null ? address.port : port;
      const baseUrl = `http://${shownHost}:${actualPort}`;
      server.on('request', createDemoHandler(baseUrl));
      const lines = [
        `corsproof demo API listening on ${baseUrl}`,
        '',
        ...DEMO_ENDPOINTS.map((e) => `  ${baseUrl}${e.path}  ${e.description}`),
        '',
        ...demoCurlExamples(baseUrl),
        '',
        'Press Ctrl+C to stop.',
      ];
      terminal.stdout.write(`${lines.join('\n')}\n`);
      await new Promise<void>((resolve) => {
        const stop = () => server.close(() => resolve());
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
    });
}

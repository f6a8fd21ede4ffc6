/**
 * `corsproof worker`: a process of a fleet that runs batch targets and monitors, and answers no
 * HTTP. Start any number, on any machine that reaches the fleet's database and Redis.
 *
 * The first line on stdout is `corsproof worker running ...`, once it takes jobs. SIGTERM or
 * SIGINT stops it gracefully: it takes no new job, lets those in flight finish for a few seconds,
 * and hands back the rest (another worker runs them).
 */
import { type Command, Option } from 'commander';
import type { PrivateTargets } from '../service/guard/target-policy.js';
import { createService } from '../service/http/server.js';
import { createRunner } from '../service/jobs/runner.js';
import { EXIT_OK, EXIT_USAGE } from './exit-codes.js';
import { addBackendOptions, type BackendFlags, openBackends } from './service-backends.js';
import type { CommandState } from './subcommand.js';
import { PROCESS_TERMINAL, type Terminal } from './terminal.js';
import { packageVersion } from './version.js';

interface WorkerOptions extends BackendFlags {
  concurrency: string;
  allowPrivateTargets?: boolean;
}

/** Registers `worker` on the program; its action stores the exit code in `state.code`. */
export function register(
  program: Command,
  state: CommandState,
  terminal: Terminal = PROCESS_TERMINAL,
): void {
  const command = program
    .command('worker')
    .description(
      'run batch targets and monitors of a fleet (a `serve --queue` sharing the same --db and --queue)',
    )
    .addOption(
      new Option('--concurrency <n>', 'batch targets this process runs at once')
        .env('CORSPROOF_CONCURRENCY')
        .default('4'),
    )
    .addOption(
      new Option(
        '--allow-private-targets',
        'let checks reach private, loopback and link-local addresses (as the API instances allow)',
      ).env('CORSPROOF_ALLOW_PRIVATE_TARGETS'),
    );
  addBackendOptions(command).action(async (opts: WorkerOptions) => {
    const concurrency = Number(opts.concurrency);
    if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 256) {
      terminal.stderr.write(
        `corsproof: worker: --concurrency must be a whole number from 1 to 256, not ${JSON.stringify(opts.concurrency)}\n`,
      );
      state.code = EXIT_USAGE;
      return;
    }
    if (opts.queue === undefined) {
      terminal.stderr.write(
        "corsproof: worker: a worker takes its jobs from the fleet's Redis; give --queue redis://host:port (or CORSPROOF_QUEUE), the same as the `serve` instances\n",
      );
      state.code = EXIT_USAGE;
      return;
    }
    const backends = await openBackends(opts, { work: true, reconcile: false });
    if (typeof backends === 'string') {
      terminal.stderr.write(`corsproof: worker: ${backends}\n`);
      state.code = EXIT_USAGE;
      return;
    }
    const privateTargets: PrivateTargets = opts.allowPrivateTargets ? 'private' : 'public';
    const runner = createRunner({ privateTargets });
    // The service without a listener: the same jobs, tasks, limits and metrics as an instance.
    const { app } = await createService({
      store: backends.store,
      runner,
      privateTargets,
      webRoot: null,
      logger: { level: 'warn', stream: terminal.stderr },
      version: packageVersion(),
      // Executor slots for every target at once, so a target never waits for a slot here.
      limits: { batchConcurrency: concurrency, maxConcurrent: Math.max(16, concurrency) },
      ...(backends.fleet === undefined ? {} : { fleet: backends.fleet }),
    }).catch(async (error: unknown) => {
      await runner.close();
      await backends.close();
      throw error;
    });
    terminal.stdout.write(
      `corsproof worker running: ${concurrency} batch targets at once, monitors too\n  database      ${backends.database}\n  queue         ${backends.queue}\n`,
    );
    await new Promise<void>((resolve) => {
      const stop = () => resolve();
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
    await app.close();
    await runner.close();
    await backends.close();
    state.code = EXIT_OK;
  });
}

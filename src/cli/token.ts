/**
 * `corsproof token`: API tokens of a service's database, made, listed and revoked from the machine
 * that holds it (for the first admin, or to get back in after losing every admin token).
 */
import { type Command, Option } from 'commander';
import { generateTokenText, issueToken } from '../service/auth/api-token.js';
import { SCOPES } from '../service/auth/scopes.js';
import { createIdFactory } from '../service/store/ids.js';
import type { TokenScope } from '../service/store/index.js';
import { EXIT_OK, EXIT_USAGE } from './exit-codes.js';
import { openStore } from './service-backends.js';
import type { CommandState } from './subcommand.js';
import { PROCESS_TERMINAL, type Terminal } from './terminal.js';

/** The service's database: an SQLite file or a postgres:// URL. */
function dbOption(): Option {
  return new Option(
    '--db <path-or-url>',
    'SQLite database file of the service, or its postgres:// URL',
  )
    .env('CORSPROOF_DB')
    .default('./corsproof.db');
}

function schemaOption(): Option {
  return new Option('--db-schema <name>', 'with a postgres:// --db: the schema of its tables')
    .env('CORSPROOF_DB_SCHEMA')
    .default('public');
}

interface DbFlags {
  db: string;
  dbSchema: string;
}

/** Registers `token` and its subcommands; each action stores its exit code in `state.code`. */
export function register(
  program: Command,
  state: CommandState,
  terminal: Terminal = PROCESS_TERMINAL,
): void {
  const token = program
    .command('token')
    .description('create, list and revoke API tokens of a `corsproof serve` database');

  token
    .command('create')
    .description('create a token and print it (shown this once: only its hash is stored)')
    .requiredOption('--name <name>', 'who or what holds it, shown in the audit log')
    .addOption(
      new Option('--scope <scope>', 'what it may do').choices([...SCOPES]).makeOptionMandatory(),
    )
    .addOption(dbOption())
    .addOption(schemaOption())
    .action(async (opts: { name: string; scope: TokenScope } & DbFlags) => {
      const name = opts.name.trim();
      const printable = [...name].every((c) => c.charCodeAt(0) >= 0x20 && c !== '\u007f');
      if (name === '' || name.length > 100 || !printable) {
        terminal.stderr.write(
          'corsproof: token: --name must be 1 to 100 printable characters, e.g. --name ci\n',
        );
        state.code = EXIT_USAGE;
        return;
      }
      const store = await openStore(opts.db, opts.dbSchema);
      try {
        const issued = await issueToken(store.tokens, createIdFactory(Date.now), Date.now(), {
          name,
          scope: opts.scope,
          createdBy: null,
        });
        terminal.stdout.write(`${issued.token}\n`);
        terminal.stderr.write(
          `corsproof: token: made ${issued.record.id} (${name}, ${opts.scope}); the token above is shown this once\n`,
        );
        state.code = EXIT_OK;
      } finally {
        await store.close();
      }
    });

  token
    .command('generate')
    .description(
      'print a new token text, stored nowhere: give it to `serve --admin-token` (CORSPROOF_ADMIN_TOKEN)',
    )
    .action(() => {
      terminal.stdout.write(`${generateTokenText(createIdFactory(Date.now))}\n`);
      state.code = EXIT_OK;
    });

  token
    .command('list')
    .description('list tokens (never their text)')
    .addOption(dbOption())
    .addOption(schemaOption())
    .action(async (opts: DbFlags) => {
      const store = await openStore(opts.db, opts.dbSchema);
      try {
        for (const record of await store.tokens.list()) {
          const state = record.revokedAt === null ? 'active' : 'revoked';
          terminal.stdout.write(
            `${record.id}\t${record.scope}\t${state}\t${new Date(record.createdAt).toISOString()}\t${record.name}\n`,
          );
        }
        state.code = EXIT_OK;
      } finally {
        await store.close();
      }
    });

  token
    .command('revoke')
    .description('revoke a token by id: it answers 401 from then on')
    .argument('<id>', 'the token id (tok_...), as `token list` shows')
    .addOption(dbOption())
    .addOption(schemaOption())
    .action(async (id: string, opts: DbFlags) => {
      const store = await openStore(opts.db, opts.dbSchema);
      try {
        if ((await store.tokens.get(id)) === undefined) {
          terminal.stderr.write(
            `corsproof: token: no token has the id ${JSON.stringify(id)}; see corsproof token list\n`,
          );
          state.code = EXIT_USAGE;
          return;
        }
        await store.tokens.revoke(id, Date.now());
        terminal.stderr.write(`corsproof: token: revoked ${id}\n`);
        state.code = EXIT_OK;
      } finally {
        await store.close();
      }
    });
}

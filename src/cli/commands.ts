/**
 * The list of subcommands. Only the module of the subcommand being run is loaded: `check` should
 * not pay for the service's web server and database driver at start-up. The others are listed by
 * name and summary, which is all `corsproof --help` needs.
 *
 * A new subcommand is one line in `SUBCOMMANDS`: its name, its summary, and the module that
 * exports its `register` (see `subcommand.ts`).
 */
import type { Command } from 'commander';
import type { CommandState, SubcommandModule } from './subcommand.js';

interface SubcommandEntry {
  readonly name: string;
  readonly summary: string;
  readonly load: () => Promise<SubcommandModule>;
}

// biome-ignore format: one line per subcommand
const SUBCOMMANDS: readonly SubcommandEntry[] = [
  { name: 'check', summary: 'decide like a browser whether a cross-origin request succeeds, and say why', load: () => import('./check/command.js') },
  { name: 'audit', summary: 'probe an endpoint (or a policy file) for CORS misconfigurations', load: () => import('./audit/command.js') },
  { name: 'conform', summary: 'check that a live server answers as its policy file says', load: () => import('./conform.js') },
  { name: 'generate', summary: 'turn a policy file into the CORS configuration of nginx, Apache, Caddy, HAProxy, ...', load: () => import('./generate.js') },
  { name: 'import', summary: 'turn an existing CORS configuration into a policy file, and say what it gets wrong', load: () => import('./import.js') },
  { name: 'explain', summary: 'explain the CORS failures of a HAR recording or a browser console line, offline', load: () => import('./explain.js') },
  { name: 'serve', summary: 'run the checker service: HTTP API, web page, batches and monitors', load: () => import('./serve.js') },
  { name: 'worker', summary: 'run batch targets and monitors of a fleet sharing a database and a Redis queue', load: () => import('./worker.js') },
  { name: 'token', summary: 'create, list and revoke API tokens of a `corsproof serve` database', load: () => import('./token.js') },
  { name: 'demo', summary: 'run the built-in demo API: endpoints under different CORS policies', load: () => import('./demo/command.js') },
];

/** The subcommand `argv` runs (`help <name>` included), if any. */
function invoked(argv: readonly string[]): string | undefined {
  const [first, second] = argv.filter((a) => !a.startsWith('-'));
  return first === 'help' ? second : first;
}

/** Registers the subcommand being run in full, and the others by name and summary. */
export async function registerCommands(
  program: Command,
  state: CommandState,
  argv: readonly string[],
): Promise<void> {
  const name = invoked(argv);
  for (const entry of SUBCOMMANDS) {
    if (entry.name === name) (await entry.load()).register(program, state);
    else program.command(entry.name).summary(entry.summary).description(entry.summary);
  }
}

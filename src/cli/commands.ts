/**
 * The list of subcommands. Each subcommand module exports a `register` function that adds itself
 * to the program. Only the module of the subcommand being run is loaded: `check` should not pay
 * for the service's web server and database driver at start-up. The others are listed by name
 * and summary, which is all `corsproof --help` needs.
 */
import type { Command } from 'commander';

export type CommandState = { code: number };

type Register = (program: Command, state: CommandState) => void;

interface CommandEntry {
  readonly name: string;
  readonly summary: string;
  readonly load: () => Promise<Register>;
}

const COMMANDS: readonly CommandEntry[] = [
  {
    name: 'check',
    summary: 'decide like a browser whether a cross-origin request succeeds, and say why',
    load: async () => (await import('./check.js')).registerCheck,
  },
  {
    name: 'audit',
    summary: 'probe an endpoint (or a policy file) for CORS misconfigurations',
    load: async () => (await import('./audit.js')).registerAudit,
  },
  {
    name: 'conform',
    summary: 'check that a live server answers as its policy file says',
    load: async () => (await import('./conform.js')).registerConform,
  },
  {
    name: 'serve',
    summary: 'run the checker service: HTTP API, web page, batches and monitors',
    load: async () => (await import('./serve.js')).registerServe,
  },
  {
    name: 'generate',
    summary: 'turn a policy file into the CORS configuration of nginx, Apache, Caddy, HAProxy, ...',
    load: async () => (await import('./generate.js')).registerGenerate,
  },
  {
    name: 'import',
    summary: 'turn an existing CORS configuration into a policy file, and say what it gets wrong',
    load: async () => (await import('./import.js')).registerImport,
  },
  {
    name: 'demo',
    summary: 'run the built-in demo API: endpoints under different CORS policies',
    load: async () => (await import('./demo.js')).registerDemo,
  },
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
  for (const entry of COMMANDS) {
    if (entry.name === name) (await entry.load())(program, state);
    else program.command(entry.name).summary(entry.summary).description(entry.summary);
  }
}

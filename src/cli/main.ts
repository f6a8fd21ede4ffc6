/**
 * The `corsproof` command: parses the arguments with commander and hands each subcommand to its own
 * module. Every subcommand resolves to an exit code; nothing here calls `process.exit`, so pending
 * output is always flushed.
 */
import { Command, CommanderError } from 'commander';
import { registerCommands } from './commands.js';
import { EXIT_USAGE } from './exit-codes.js';
import { packageVersion } from './version.js';

/** Builds the program for `argv`. Subcommands store their exit code in `state.code`. */
export async function createProgram(
  state: { code: number },
  argv: readonly string[],
): Promise<Command> {
  const program = new Command('corsproof')
    .description(
      'CORS right on both ends of the wire: check like a browser, audit for misconfigurations, serve a checker.',
    )
    .version(packageVersion(), '-V, --version', 'print the version')
    .helpOption('-h, --help', 'show help')
    // Read before parsing (see main): declared here for --help, anywhere on the line.
    .option('--no-color', 'never colour the output (as NO_COLOR=1)')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
  await registerCommands(program, state, argv);
  return program;
}

/** Runs the CLI with `argv` (without node and the script path) and resolves to the exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  const state = { code: 0 };
  // --no-color holds for every subcommand wherever it is written: it is NO_COLOR
  // (https://no-color.org), which every colour decision reads (terminal.ts useColor).
  const args = argv.filter((arg) => arg !== '--no-color');
  if (args.length !== argv.length) process.env.NO_COLOR = '1';
  const program = await createProgram(state, args);
  try {
    await program.parseAsync(args, { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version end with exit code 0; every other commander error is a usage error.
      return error.exitCode === 0 ? 0 : EXIT_USAGE;
    }
    throw error;
  }
  if (argv.length === 0) {
    program.outputHelp();
  }
  return state.code;
}

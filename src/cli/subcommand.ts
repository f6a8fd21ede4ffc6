/**
 * The shape of a subcommand module, shared by the registry (`commands.ts`) and the subcommands, so
 * that imports point one way: the registry loads the subcommands, and both import this file.
 */
import type { Command } from 'commander';
import type { Terminal } from './terminal.js';

/** Where a subcommand's action leaves its exit code; nothing calls `process.exit`. */
export interface CommandState {
  code: number;
}

/** Adds one subcommand to the program; `terminal` defaults to the process's own streams. */
export type Register = (program: Command, state: CommandState, terminal?: Terminal) => void;

/**
 * What each subcommand module exports; `commands.ts` lists the module in one line.
 *
 * @example
 * // src/cli/generate.ts
 * export function register(program: Command, state: CommandState, terminal = PROCESS_TERMINAL) {
 *   program.command('generate').action(async () => {
 *     terminal.stdout.write('...\n');
 *     state.code = EXIT_OK;
 *   });
 * }
 * // src/cli/commands.ts, in SUBCOMMANDS:
 * { name: 'generate', summary: '...', load: () => import('./generate.js') },
 */
export interface SubcommandModule {
  readonly register: Register;
}

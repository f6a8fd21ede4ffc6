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

/** What each subcommand module exports. */
export interface SubcommandModule {
  readonly register: Register;
}

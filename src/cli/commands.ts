/**
 * The list of subcommands. Each subcommand module exports a `register` function that adds itself
 * to the program; keeping the list here keeps `main.ts` free of per-command imports.
 */
import type { Command } from 'commander';

export type CommandState = { code: number };

export function registerCommands(_program: Command, _state: CommandState): void {
  // Subcommands register here as they are built (check, audit, serve, demo).
}

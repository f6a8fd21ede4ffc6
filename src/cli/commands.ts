/**
 * The list of subcommands. Each subcommand module exports a `register` function that adds itself
 * to the program; keeping the list here keeps `main.ts` free of per-command imports.
 */
import type { Command } from 'commander';
import { registerCheck } from './check.js';
import { registerDemo } from './demo.js';
import { registerServe } from './serve.js';

export type CommandState = { code: number };

export function registerCommands(program: Command, state: CommandState): void {
  registerCheck(program, state);
  registerDemo(program, state);
  registerServe(program, state);
}

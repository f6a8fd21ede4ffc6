/**
 * The `--openapi` flags `check` and `audit` share. Apart from the modules that run them, so that
 * registering the commands never loads the description parser.
 */

import type { Command } from 'commander';
import { parseInteger } from './options.js';

export interface OpenApiFlags {
  openapi?: string;
  baseUrl?: string;
  include?: string[];
  exclude?: string[];
  rate?: number;
}

/** Collects a repeatable option into a list. */
export function collectList(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

/** Adds --openapi, --base-url, --include, --exclude and --rate to `check` or `audit`. */
export function addOpenApiOptions(command: Command, verb: 'check' | 'audit'): Command {
  return command
    .option(
      '--openapi <file>',
      `${verb} every operation of an OpenAPI 3.x or Swagger 2.0 description (YAML or JSON)`,
    )
    .option('--base-url <url>', "--openapi: the API's address, over the description's servers")
    .option(
      '--include <pattern>',
      "--openapi: only operations whose path matches a glob ('/users/**') or with tag:NAME (repeatable)",
      collectList,
    )
    .option(
      '--exclude <pattern>',
      '--openapi: leave out operations whose path matches a glob or with tag:NAME (repeatable)',
      collectList,
    )
    .option(
      '--rate <n>',
      '--openapi: requests per second to each host, 1 to 1000 (default 20)',
      parseInteger(1, 1000),
    );
}

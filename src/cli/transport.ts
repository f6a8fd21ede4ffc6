/**
 * How the CLI's requests reach a target, as curl's flags say it: `--proxy` (and the
 * `HTTP_PROXY`/`HTTPS_PROXY`/`NO_PROXY` variables, honoured by default), `--cacert` and
 * `-k/--insecure`. The printed curl commands carry the same flags. The service never reads them:
 * its requests go through its SSRF guard whatever the environment says.
 */
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import type { CheckDispatcherOptions } from '../check/index.js';
import { CheckInputError } from '../check/surface.js';

export interface TransportFlags {
  proxy?: string;
  cacert?: string;
  insecure?: boolean;
}

/** Adds --proxy, --cacert and -k/--insecure to a command. */
export function addTransportOptions(command: Command): Command {
  return command
    .option(
      '--proxy <url>',
      'send through this HTTP proxy, as curl --proxy (default: HTTPS_PROXY/HTTP_PROXY/NO_PROXY from the environment)',
    )
    .option('--cacert <file>', 'also trust the PEM certificates in FILE, as curl --cacert')
    .option(
      '-k, --insecure',
      "accept any TLS certificate (a development server's self-signed one)",
    );
}

/** The pool options the flags ask for; a --cacert file that cannot be read is a usage error. */
export function transportOptions(
  flags: TransportFlags,
): Pick<CheckDispatcherOptions, 'proxy' | 'ca' | 'insecure'> {
  let ca: CheckDispatcherOptions['ca'];
  if (flags.cacert !== undefined) {
    try {
      ca = { pem: readFileSync(flags.cacert), file: flags.cacert };
    } catch (error) {
      throw new CheckInputError(
        'INVALID_OPTION',
        'cacert',
        `--cacert: cannot read ${JSON.stringify(flags.cacert)} (${(error as Error).message}); give a PEM file of certificates`,
      );
    }
  }
  return {
    proxy: flags.proxy ?? 'env',
    ...(ca === undefined ? {} : { ca }),
    ...(flags.insecure === true ? { insecure: true } : {}),
  };
}

import { InvalidArgumentError } from 'commander';
import { PinnedHosts } from '../check/surface.js';

/**
 * Parsers for option values shared by several subcommands. Each returns the value, or a string
 * that says what was wrong (for the caller to print as a usage error).
 */

/** A TCP port: a whole number from 0 to 65535 (0 asks the system for a free one). */
export function parsePort(text: string): number | string {
  if (!/^[0-9]{1,5}$/.test(text) || Number(text) > 65535) {
    return `--port ${JSON.stringify(text)} is not a port number from 0 to 65535`;
  }
  return Number(text);
}

/**
 * Collects a repeatable `-H 'Name: value'` option, as curl writes it. No default list is given to
 * commander, so its help does not print "(default: [])"; the first call starts the list.
 */
export function collectHeader(
  value: string,
  previous: [string, string][] = [],
): [string, string][] {
  const colon = value.indexOf(':');
  if (colon <= 0) {
    throw new InvalidArgumentError(
      `${JSON.stringify(value)} is not a header; write it as 'Name: value'`,
    );
  }
  return [...previous, [value.slice(0, colon).trim(), value.slice(colon + 1).trim()]];
}

/** A commander parser for a whole number from `min` to `max`. */
export function parseInteger(min: number, max: number): (value: string) => number {
  return (value: string): number => {
    if (!/^\d+$/.test(value) || Number(value) < min || Number(value) > max) {
      throw new InvalidArgumentError(`expected a whole number from ${min} to ${max}`);
    }
    return Number(value);
  };
}

/**
 * Collects a repeatable `--resolve HOST:PORT:ADDRESS`, as curl writes it (an IPv6 address may be
 * in brackets; `*` as the port pins every port) into a `resolve` map for the check pool.
 */
export function collectResolve(
  value: string,
  previous: Record<string, string> = {},
): Record<string, string> {
  const match = /^([^:]+):(\d+|\*):\[?([0-9A-Fa-f:.]+)\]?$/.exec(value);
  if (match === null) {
    throw new InvalidArgumentError(
      `${JSON.stringify(value)} is not HOST:PORT:ADDRESS; write it as curl does, e.g. api.example.com:443:203.0.113.7`,
    );
  }
  const [, host, port, address] = match as unknown as [string, string, string, string];
  const key = port === '*' ? host : `${host}:${port}`;
  try {
    // Checked now, so a bad entry is a usage error before anything is sent.
    new PinnedHosts({ [key]: address });
  } catch (error) {
    throw new InvalidArgumentError((error as Error).message.replace(/^corsproof: /, ''));
  }
  return { ...previous, [key]: address };
}

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

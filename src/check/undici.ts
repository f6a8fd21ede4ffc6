/**
 * undici's Agent and connector, without the rest of undici, loaded on first use. The package's
 * entry point loads fetch, WebSocket, the HTTP cache and more, which costs about 65 ms at start-up;
 * the checker needs two of its modules, about 18 ms (measured on Node 20: `require('undici')`
 * against the two files). They are loaded by path from the installed undici and, should a later
 * version move them, from its entry point instead (slower, never broken); a test says which one is
 * in use. Loading waits for the first dispatcher, so what only imports the checker (a command's
 * `--help`, its option parsing) never pays for undici.
 */
import { createRequire } from 'node:module';
import type * as Undici from 'undici';

interface Parts {
  readonly Agent: typeof Undici.Agent;
  readonly buildConnector: typeof Undici.buildConnector;
  /**
   * Where they came from: the two files (`files`), undici's entry point should those have moved
   * (`entry`, slower, never broken), or the CLI bundle's own copy (`bundle`).
   */
  readonly from: 'files' | 'entry' | 'bundle';
}

/**
 * Set only in the CLI bundle, by esbuild's `define` (scripts/bundle-cli.mjs): the file beside the
 * bundle that holds the two parts and what they load as one script, read in about 60% of the
 * time the files take, with undici's HTTP/2 client (and so Node's http2 and tls) loaded on first
 * use rather than at start-up. Everywhere else it is not declared, and `typeof` says so.
 */
declare const CORSPROOF_BUNDLED_UNDICI: string;

let parts: Parts | undefined;

/** undici's two parts, required (synchronously) on the first call. */
export function undiciParts(): Parts {
  if (parts !== undefined) return parts;
  const require = createRequire(import.meta.url);
  if (typeof CORSPROOF_BUNDLED_UNDICI === 'string') {
    // Empty when the installed undici is not the one the script was built from.
    const bundled = require(CORSPROOF_BUNDLED_UNDICI) as Partial<Omit<Parts, 'from'>>;
    if (bundled.Agent !== undefined && bundled.buildConnector !== undefined) {
      parts = { Agent: bundled.Agent, buildConnector: bundled.buildConnector, from: 'bundle' };
      return parts;
    }
  }
  try {
    parts = {
      Agent: require('undici/lib/dispatcher/agent.js') as typeof Undici.Agent,
      buildConnector: require('undici/lib/core/connect.js') as typeof Undici.buildConnector,
      from: 'files',
    };
  } catch {
    const undici = require('undici') as typeof Undici;
    parts = { Agent: undici.Agent, buildConnector: undici.buildConnector, from: 'entry' };
  }
  return parts;
}

/** `new Agent(options)` with undici's Agent. */
export function createAgent(options: Undici.Agent.Options): Undici.Agent {
  return new (undiciParts().Agent)(options);
}

/** undici's `buildConnector(options)`. */
export const buildConnector: typeof Undici.buildConnector = (options) =>
  undiciParts().buildConnector(options);

/**
 * undici's Agent and connector, without the rest of undici. The package's entry point loads
 * fetch, WebSocket, the HTTP cache and more, which costs about 65 ms at start-up; the checker
 * needs two of its modules, about 18 ms (measured on Node 20: `require('undici')` against the two
 * files). They are loaded by path from the installed undici and, should a later version move
 * them, from its entry point instead (slower, never broken); a test says which one is in use.
 */
import { createRequire } from 'node:module';
import type * as Undici from 'undici';

const require = createRequire(import.meta.url);

interface Parts {
  readonly Agent: typeof Undici.Agent;
  readonly buildConnector: typeof Undici.buildConnector;
  /** `true` when loaded from the two files, `false` from the entry point. */
  readonly lean: boolean;
}

function load(): Parts {
  try {
    return {
      Agent: require('undici/lib/dispatcher/agent.js') as typeof Undici.Agent,
      buildConnector: require('undici/lib/core/connect.js') as typeof Undici.buildConnector,
      lean: true,
    };
  } catch {
    const undici = require('undici') as typeof Undici;
    return { Agent: undici.Agent, buildConnector: undici.buildConnector, lean: false };
  }
}

const parts = load();

export const Agent = parts.Agent;
export type Agent = Undici.Agent;
export const buildConnector = parts.buildConnector;
export const leanUndici = parts.lean;

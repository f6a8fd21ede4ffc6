/**
 * The error the edge build of corsproof throws at start-up when a Worker uses a part it carries
 * only on request (path tables, the decision log, run-time validation). Its messages are short,
 * as everything in a Worker bundle should be, and link the page that shows each opt-in.
 */

/** Where the edge build's opt-ins are documented. */
export const EDGE_DOCS =
  'https://github.com/corsproof/corsproof/blob/main/docs/frameworks.md#edge-builds-workers-and-browsers';

/** Thrown at start-up in the edge build for a part the Worker did not include. */
export class EdgeOptInError extends Error {
  override readonly name: string;

  /** `name` says which part (`PathTablesAbsentError`); `what` what needs it; `call` the opt-in. */
  constructor(name: string, what: string, call: string) {
    super(`corsproof: ${what} needs ${call} from 'corsproof' in the edge build. See ${EDGE_DOCS}`);
    this.name = name;
  }
}

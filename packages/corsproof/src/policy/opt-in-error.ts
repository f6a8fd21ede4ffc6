/**
 * The error the edge build of corsproof throws at start-up when a Worker uses a part it carries
 * only on request (path tables, the decision log, run-time validation). Its messages are short,
 * as everything in a Worker bundle should be, and link the entry of docs/errors.md that shows
 * the opt-in.
 */

/**
 * The page that says how to fix each start-up error whose words the edge build shortens, and how
 * to include each part; `#` and the code or error name in lower case find the entry.
 */
export const ERRORS_DOCS = 'https://github.com/corsproof/corsproof/blob/main/docs/errors.md';

/**
 * Thrown at start-up in the edge build for a part the Worker did not include: `part` names it
 * (`PathTables`: the error is a `PathTablesAbsentError`, the call `includePathTables()`), `what`
 * says what needed it.
 */
export class EdgeOptInError extends Error {
  override readonly name: string;

  constructor(part: string, what: string) {
    const name = `${part}AbsentError`;
    super(
      `corsproof: ${what} needs include${part}() from 'corsproof' in the edge build. See ${ERRORS_DOCS}#${name.toLowerCase()}`,
    );
    this.name = name;
  }
}

/**
 * `corsproof import`: reads an existing CORS configuration and writes the corsproof policy file it
 * amounts to, never looser than the original, with what the original gets wrong.
 *
 *   corsproof import --from flask app.py [--out cors.json] [--json]
 *
 * Findings and notes go to stderr (or, with --json, everything goes to stdout as one document).
 * Exit codes: 0 written, 1 written and the original has a finding of medium severity or above,
 * 2 usage error or input the importer cannot read.
 */
import { readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Command } from 'commander';
import { CorsConfigError, CorsRoutesError, parsePolicyFile } from 'corsproof';
import {
  IMPORT_SOURCES,
  ImportSyntaxError,
  importConfig,
  isImportSource,
} from '../import/index.js';
import { EXIT_FAIL, EXIT_OK, EXIT_USAGE } from './exit-codes.js';
import type { CommandState } from './subcommand.js';
import { PROCESS_TERMINAL, type Terminal } from './terminal.js';

interface ImportFlags {
  from?: string;
  out?: string;
  json?: boolean;
}

class UsageProblem extends Error {}

async function run(input: string | undefined, flags: ImportFlags, io: Terminal): Promise<number> {
  if (flags.from === undefined || !isImportSource(flags.from)) {
    throw new UsageProblem(
      `${flags.from === undefined ? 'missing --from' : `no source ${JSON.stringify(flags.from)} for --from`}; use one of ${IMPORT_SOURCES.join(', ')}`,
    );
  }
  if (input === undefined) throw new UsageProblem('missing FILE, the configuration to import');
  let text: string;
  try {
    text = await readFile(path.resolve(input), 'utf8');
  } catch (error) {
    throw new UsageProblem(`cannot read ${JSON.stringify(input)}: ${(error as Error).message}`);
  }
  const result = importConfig(flags.from, text);
  // The file must be one corsproof accepts; a failure here is a bug in a reader, said as such.
  parsePolicyFile(result.file);
  const json = `${JSON.stringify(result.file, null, 2)}\n`;
  if (flags.out !== undefined) {
    const where = path.resolve(flags.out);
    const temporary = `${where}.${process.pid}.tmp`;
    await writeFile(temporary, json);
    await rename(temporary, where);
  }
  if (flags.json === true) {
    io.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  } else {
    if (flags.out === undefined) io.stdout.write(json);
    for (const f of result.findings) {
      const line = f.line === undefined ? '' : `${input}:${f.line}: `;
      io.stderr.write(`corsproof: ${line}${f.severity} ${f.id}: ${f.message}\n`);
    }
    for (const note of result.notes) io.stderr.write(`corsproof: note: ${note}\n`);
  }
  const serious = result.findings.some((f) => f.severity === 'medium' || f.severity === 'high');
  return serious ? EXIT_FAIL : EXIT_OK;
}

/** Registers `import` on the program; its action stores the exit code in `state.code`. */
export function register(
  program: Command,
  state: CommandState,
  io: Terminal = PROCESS_TERMINAL,
): void {
  program
    .command('import')
    .summary('turn an existing CORS configuration into a policy file, and say what it gets wrong')
    .description(
      `Reads the CORS configuration of ${IMPORT_SOURCES.join(', ')} and writes the corsproof policy file it amounts to, never allowing more than the original; what the importer cannot prove allowed is left out and reported. Exit code: 0 written, 1 written and the original has a finding of medium severity or above, 2 usage error or unreadable input.`,
    )
    .argument('[file]', 'the configuration to read')
    .option('--from <source>', `what the file is: ${IMPORT_SOURCES.join(', ')}`)
    .option('--out <file>', 'write the policy file to FILE instead of stdout')
    .option('--json', 'print the policy file, findings and notes as one JSON document')
    .action(async (file: string | undefined, flags: ImportFlags) => {
      try {
        state.code = await run(file, flags, io);
      } catch (error) {
        if (error instanceof UsageProblem) io.stderr.write(`corsproof: import: ${error.message}\n`);
        else if (
          error instanceof ImportSyntaxError ||
          error instanceof CorsConfigError ||
          error instanceof CorsRoutesError
        ) {
          io.stderr.write(`${error.message}\n`);
        } else throw error;
        state.code = EXIT_USAGE;
      }
    });
}

/**
 * `corsproof generate`: turns a policy file into the CORS configuration of a real server.
 *
 *   corsproof generate --policy cors.json --for nginx [--out cors.conf]
 *   corsproof generate --preset galxe --for nginx [--policy extra.json]
 *   corsproof generate --policy cors.json --for caddy --standalone ./example [--port 8080]
 *   corsproof generate --schema
 *
 * Warnings (where the server is stricter than the policy) go to stderr. Exit codes: 0 written,
 * 2 usage error, unreadable or invalid policy file, or a policy the target cannot express.
 */
import { chmod, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Command } from 'commander';
import { CorsConfigError, CorsRoutesError, type PolicyFile, parsePolicyFile } from 'corsproof';
import {
  describeTargets,
  findTarget,
  GenerateError,
  isPresetName,
  POLICY_FILE_SCHEMA,
  PRESET_NAMES,
  PresetError,
  presetDocument,
  TARGETS,
} from '../generate/index.js';
import { EXIT_OK, EXIT_USAGE } from './exit-codes.js';
import type { CommandState } from './subcommand.js';
import { PROCESS_TERMINAL, type Terminal } from './terminal.js';

interface GenerateFlags {
  policy?: string;
  preset?: string;
  for?: string;
  out?: string;
  standalone?: string;
  port?: string;
  schema?: boolean;
}

/** A problem with the input, reported as `corsproof: ...` with exit code 2. */
class UsageProblem extends Error {}

/** The JSON document in a policy file, not yet validated. */
async function readPolicyDocument(file: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path.resolve(file), 'utf8');
  } catch (error) {
    throw new UsageProblem(`cannot read ${JSON.stringify(file)}: ${(error as Error).message}`);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new UsageProblem(
      `${JSON.stringify(file)} is not valid JSON: ${(error as Error).message}. A policy file is JSON: { "origins": ["https://app.example.com"] }`,
    );
  }
}

/** The policy to generate from: the file, the preset, or the preset widened by the file. */
async function policyOf(flags: GenerateFlags): Promise<PolicyFile> {
  const extra = flags.policy === undefined ? undefined : await readPolicyDocument(flags.policy);
  if (flags.preset === undefined) return parsePolicyFile(extra);
  if (!isPresetName(flags.preset)) {
    throw new UsageProblem(
      `no preset ${JSON.stringify(flags.preset)}; use one of ${PRESET_NAMES.join(', ')}`,
    );
  }
  try {
    return parsePolicyFile(presetDocument(flags.preset, extra));
  } catch (error) {
    if (error instanceof PresetError)
      throw new UsageProblem(error.message.replace(/^corsproof: /, ''));
    throw error;
  }
}

function parsePort(text: string | undefined): number {
  if (text === undefined) return 8080;
  const port = Number(text);
  if (!/^[0-9]+$/.test(text) || port < 1 || port > 65535) {
    throw new UsageProblem(
      `--port must be a port number from 1 to 65535, not ${JSON.stringify(text)}`,
    );
  }
  return port;
}

/** Writes a file by rename, so a server reading it never sees half of it. */
async function writeAtomically(where: string, contents: string, executable = false): Promise<void> {
  await mkdir(path.dirname(where), { recursive: true });
  const temporary = `${where}.${process.pid}.tmp`;
  await writeFile(temporary, contents);
  if (executable) await chmod(temporary, 0o755);
  await rename(temporary, where);
}

async function run(flags: GenerateFlags, io: Terminal): Promise<number> {
  if (flags.schema === true) {
    io.stdout.write(`${JSON.stringify(POLICY_FILE_SCHEMA, null, 2)}\n`);
    return EXIT_OK;
  }
  if (flags.policy === undefined && flags.preset === undefined) {
    throw new UsageProblem(
      `missing --policy FILE, the JSON policy file to generate from (or --preset ${PRESET_NAMES.join('|')})`,
    );
  }
  if (flags.for === undefined) {
    throw new UsageProblem(`missing --for TARGET; the targets are:\n${describeTargets()}`);
  }
  const target = findTarget(flags.for);
  if (target === undefined) {
    throw new UsageProblem(
      `no target ${JSON.stringify(flags.for)}; use one of ${[...TARGETS.keys()].join(', ')}`,
    );
  }
  if (flags.port !== undefined && flags.standalone === undefined) {
    throw new UsageProblem(
      '--port sets the port of a --standalone server; give --standalone DIR too',
    );
  }
  const port = parsePort(flags.port);
  const file = await policyOf(flags);
  try {
    const result = target.generate(file);
    for (const warning of result.warnings) {
      const where = warning.path === '' ? '' : ` (${warning.path})`;
      io.stderr.write(`corsproof: warning: ${warning.code}${where}: ${warning.message}\n`);
    }
    if (flags.standalone !== undefined) {
      if (target.standalone === undefined) {
        throw new UsageProblem(
          `the ${target.name} target has no standalone server; generate its configuration with --out instead`,
        );
      }
      const dir = path.resolve(flags.standalone);
      for (const generated of target.standalone(file, { port })) {
        await writeAtomically(
          path.join(dir, ...generated.path.split('/')),
          generated.contents,
          generated.executable === true,
        );
      }
      io.stderr.write(
        `corsproof: wrote a ${target.name} example server to ${dir}; start it with ${path.join(dir, 'run')} (http://127.0.0.1:${port})\n`,
      );
    }
    if (flags.out !== undefined) {
      await writeAtomically(path.resolve(flags.out), result.config);
    } else if (flags.standalone === undefined) {
      io.stdout.write(result.config);
    }
    return EXIT_OK;
  } catch (error) {
    if (error instanceof GenerateError)
      throw new UsageProblem(error.message.replace(/^corsproof: /, ''));
    throw error;
  }
}

/** Registers `generate` on the program; its action stores the exit code in `state.code`. */
export function register(
  program: Command,
  state: CommandState,
  io: Terminal = PROCESS_TERMINAL,
): void {
  program
    .command('generate')
    .summary('turn a policy file into the CORS configuration of nginx, Apache, Caddy, HAProxy, ...')
    .description(
      'Writes the CORS configuration of a server from a corsproof policy file, answering exactly as the policy decides; where a server cannot, the configuration is stricter and a warning says how. Exit code: 0 written, 2 usage error or a policy the target cannot express.',
    )
    .option('--policy <file>', 'the policy file (JSON: one policy, or default/policies/paths)')
    .option(
      '--preset <name>',
      `a ready-made policy: galxe (passes Galxe's CORS Check for GET and POST); with --policy, widened by that one policy`,
    )
    .option('--for <target>', 'the server to generate for (see the list below)')
    .option('--out <file>', 'write the configuration to FILE instead of stdout')
    .option(
      '--standalone <dir>',
      'write a complete runnable example server to DIR (start: DIR/run)',
    )
    .option('--port <n>', 'the loopback port of the --standalone server (default 8080)')
    .option('--schema', 'print the JSON Schema of the policy file and exit')
    .addHelpText('after', () => `\nTargets:\n${describeTargets()}\n`)
    .action(async (flags: GenerateFlags) => {
      try {
        state.code = await run(flags, io);
      } catch (error) {
        if (error instanceof UsageProblem) {
          io.stderr.write(`corsproof: generate: ${error.message}\n`);
        } else if (error instanceof CorsConfigError || error instanceof CorsRoutesError) {
          io.stderr.write(`${error.message}\n`);
        } else throw error;
        state.code = EXIT_USAGE;
      }
    });
}

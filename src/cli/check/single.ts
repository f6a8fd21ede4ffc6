/**
 * `corsproof check <url>`: one check, printed for a person (or as JSON with --json). With --emulate
 * and no -X, each of the emulated checker's probes (Galxe's: GET, then POST), as the platform runs
 * them, each reported in full and then the verdict over all.
 */

import { setFlagsFromString } from 'node:v8';
import type { Dispatcher } from 'undici';
import type { CheckResult } from '../../check/index.js';
import { CheckInputError, check, createCheckDispatcher, emulationInfo } from '../../check/index.js';
import { DEFAULT_FIX_TARGETS } from '../../generate/fix-targets.js';
import { EXIT_USAGE } from '../exit-codes.js';
import { type Terminal, useColor } from '../terminal.js';
import { transportOptions } from '../transport.js';
import { type CheckFlags, emulationOf, exitCodeOf, optionsFrom } from './flags.js';
import { formatCheckResult, formatEmulationSummary } from './format.js';

/** The methods to check: the emulated checker's probes unless -X picks one, else the one asked for. */
function methodsOf(flags: CheckFlags): readonly (string | undefined)[] {
  const id = emulationOf(flags);
  const probes = id === undefined ? undefined : emulationInfo(id)?.probeMethods;
  return probes !== undefined && flags.method === undefined ? probes : [flags.method];
}

export async function runSingle(
  url: string,
  flags: CheckFlags,
  terminal: Terminal,
): Promise<number> {
  // undici parses responses with llhttp compiled to WebAssembly. V8 compiles it twice by default,
  // quickly (Liftoff) and then optimized (TurboFan); for the few responses of one check the second
  // compile is pure cost: about 360 million instructions, a third of this process's start-up
  // (callgrind, Node 20). Set before undici compiles the module; the flag changes speed only.
  setFlagsFromString('--liftoff-only');
  const methods = methodsOf(flags);
  const results: CheckResult[] = [];
  let dispatcher: Dispatcher | undefined;
  try {
    dispatcher = createCheckDispatcher({
      connections: 2,
      ...(flags.resolve === undefined ? {} : { resolve: flags.resolve }),
      ...transportOptions(flags),
    });
    for (const method of methods) {
      const options = optionsFrom(flags);
      results.push(
        await check({
          url,
          ...options,
          ...(method !== undefined ? { method } : {}),
          // A GET probe carries no body; --data is the POST's.
          ...(methods.length > 1 && method === 'GET' ? { body: null } : {}),
          ...(dispatcher ? { dispatcher } : {}),
        }),
      );
    }
  } catch (error) {
    if (error instanceof CheckInputError) {
      terminal.stderr.write(`${error.message}\n`);
      return EXIT_USAGE;
    }
    throw error;
  } finally {
    await dispatcher?.close();
  }
  // Each fix as configuration: for the servers --fix-for names, or in JSON the default ones.
  const targets = flags.fixFor ?? (flags.json ? DEFAULT_FIX_TARGETS : undefined);
  if (targets !== undefined) {
    // Loaded only here: the generators and the policy engine they validate with are large, and a
    // check without --fix-for or --json never renders a fix.
    const { withFixSnippets } = await import('../../generate/fix-snippets.js');
    for (const [i, result] of results.entries()) results[i] = withFixSnippets(result, targets);
  }
  const [only] = results;
  if (only !== undefined && results.length === 1) {
    write(terminal, flags, only);
    return exitCodeOf(only);
  }
  // The run is as bad as its worst probe: blocked if one is, no verdict if one has none.
  const worst = results.reduce((a, b) => (exitCodeOf(b) > exitCodeOf(a) ? b : a));
  if (flags.json) {
    terminal.stdout.write(`${JSON.stringify({ verdict: worst.verdict, results }, null, 2)}\n`);
  } else {
    for (const result of results) write(terminal, flags, result, '\n');
    const name = results[0]?.emulation?.name ?? emulationInfo(emulationOf(flags) ?? '')?.name;
    terminal.stdout.write(
      formatEmulationSummary(name ?? 'The check', results, { color: useColor(terminal) }),
    );
  }
  return exitCodeOf(worst);
}

function write(terminal: Terminal, flags: CheckFlags, result: CheckResult, after = ''): void {
  if (flags.json) {
    terminal.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    return;
  }
  terminal.stdout.write(
    formatCheckResult(result, {
      color: useColor(terminal),
      curl: flags.curl,
    }) + after,
  );
}

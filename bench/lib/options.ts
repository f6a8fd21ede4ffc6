/** Command-line options of `npm run bench`. */
import { parseArgs } from 'node:util';
import { REPO, type Target, targetAt } from './paths.js';

export const SECTIONS = ['middleware', 'decision', 'checker', 'auditor', 'cli', 'fleet'] as const;
/** Run when --only is not given: fleet needs PostgreSQL and Redis and takes minutes, so only on request. */
export const DEFAULT_SECTIONS = ['middleware', 'decision', 'checker', 'auditor', 'cli'] as const;
export type Section = (typeof SECTIONS)[number];

export interface Options {
  readonly quick: boolean;
  readonly only: readonly Section[];
  /** Middleware section: the frameworks to run (variant id prefixes), or null for all. */
  readonly frameworks: readonly string[] | null;
  /** Interleaved rounds of every network benchmark; the median is reported. */
  readonly rounds: number;
  /** Whole seconds of load per measurement, and of warm-up per server and request kind. */
  readonly seconds: number;
  readonly warmupSeconds: number;
  readonly connections: number;
  /** Micro-benchmarks: minimum duration of one sample, and samples per variant. */
  readonly sampleMs: number;
  readonly samples: number;
  /** Checker: checks in the memory run. CLI: spawns per command. */
  readonly memoryChecks: number;
  readonly spawns: number;
  /** Fleet: checks per run, rounds of every mode, and each worker's --concurrency. */
  readonly fleetChecks: number;
  readonly fleetRounds: number;
  readonly workerConcurrency: number;
  readonly target: Target;
  readonly load: 'wrk' | 'autocannon';
  /** Where the report goes; null with --no-write. */
  readonly out: string | null;
  readonly argv: readonly string[];
}

export const USAGE = `Usage: npm run bench -- [options]

  --quick                  short durations, one round: for trying it out
  --only <sections>        comma-separated: ${SECTIONS.join(', ')} (fleet only when named:
                           it needs PostgreSQL and Redis; --only fleet updates just its own
                           block of the report file)
  --frameworks <list>      middleware section only: comma-separated node, express, fastify,
                           koa, hono (the node:http limit always runs: every ratio needs it)
  --rounds <n>             interleaved rounds, the order reversed every other one (default 5;
                           --quick 1)
  --seconds <s>            load per measurement (default 3; --quick 1)
  --targets <n>            fleet: checks per run (default 20000; --quick 2000)
  --fleet-rounds <n>       fleet: rounds of every mode, order reversed every other (default 1)
  --worker-concurrency <n> fleet: each worker's --concurrency (default 4, the CLI's default)
  --target <dir>           the corsproof checkout to measure (default: this one)
  --load wrk|autocannon    load generator (default wrk, installed with apt-get if missing)
  --out <file>             report file (default BENCHMARKS.md); --no-write: print only
  -h, --help`;

export function parseOptions(argv: readonly string[]): Options | 'help' {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      quick: { type: 'boolean', default: false },
      only: { type: 'string' },
      frameworks: { type: 'string' },
      rounds: { type: 'string' },
      seconds: { type: 'string' },
      target: { type: 'string' },
      targets: { type: 'string' },
      'fleet-rounds': { type: 'string' },
      'worker-concurrency': { type: 'string' },
      load: { type: 'string', default: 'wrk' },
      out: { type: 'string' },
      'no-write': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  });
  if (values.help) return 'help';
  const only = (values.only?.split(',').map((s) => s.trim()) ?? [...DEFAULT_SECTIONS]) as Section[];
  for (const s of only) {
    if (!SECTIONS.includes(s))
      throw new Error(`bench: unknown section ${JSON.stringify(s)} in --only`);
  }
  if (values.load !== 'wrk' && values.load !== 'autocannon') {
    throw new Error('bench: --load must be wrk or autocannon');
  }
  const quick = values.quick;
  const positive = (name: string, raw: string | undefined, fallback: number) => {
    if (raw === undefined) return fallback;
    const n = Number(raw);
    if (!(n > 0)) throw new Error(`bench: --${name} must be a positive number`);
    return n;
  };
  return {
    quick,
    only,
    frameworks: values.frameworks?.split(',').map((s) => s.trim()) ?? null,
    rounds: Math.round(positive('rounds', values.rounds, quick ? 1 : 5)),
    seconds: Math.max(1, Math.round(positive('seconds', values.seconds, quick ? 1 : 3))),
    warmupSeconds: 1,
    connections: 64,
    sampleMs: quick ? 20 : 200,
    samples: quick ? 3 : 5,
    memoryChecks: quick ? 10_000 : 100_000,
    spawns: quick ? 5 : 20,
    fleetChecks: Math.round(positive('targets', values.targets, quick ? 2_000 : 20_000)),
    fleetRounds: Math.round(positive('fleet-rounds', values['fleet-rounds'], 1)),
    workerConcurrency: Math.round(positive('worker-concurrency', values['worker-concurrency'], 4)),
    target: targetAt(values.target ?? REPO),
    load: values.load,
    out: values['no-write'] ? null : (values.out ?? `${REPO}/BENCHMARKS.md`),
    argv,
  };
}

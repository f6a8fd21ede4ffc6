/**
 * The checker's own cost, without a network: `check()` through a dispatcher that answers every
 * request at once from memory with the limit server's headers. What is left is planning, judging
 * and building the result, so a change to that shows here clearly while the loopback figures
 * still swing with the machine. Run as its own process, pinned; prints one JSON line.
 */

import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { PREFLIGHTED } from '../clients/requests.js';
import { loadCheckCall, verdictOf } from '../glue/checker.js';
import { BENCH_SRC } from '../lib/paths.js';

export interface InMemoryInput {
  readonly dist: string;
  /** Rounds of `checks` checks each; the fastest round is reported. */
  readonly rounds: number;
  readonly checks: number;
  /**
   * Every check to a URL of its own and every answer with a Date line of its own, so that nothing
   * the checker keeps from one check to the next (plans, judgements, header strings) applies: the
   * cost of a batch over many endpoints rather than of a load test repeating one request.
   */
  readonly vary?: boolean;
}

export interface InMemoryOutput {
  /** µs of CPU per check: each round's figure, simple and preflighted. */
  readonly simple: readonly number[];
  readonly preflighted: readonly number[];
}

const input = JSON.parse(process.argv[2] ?? '{}') as InMemoryInput;
const latin1 = (s: string) => Buffer.from(s, 'latin1');

/** What the limit server of section 1 answers (bench/servers/_policy.mjs). */
interface LimitPolicy {
  /** The one origin the policy allows, which the checks come from. */
  readonly ORIGIN: string;
  readonly LIMIT_PREFLIGHT_HEADERS: readonly (readonly [string, string])[];
  readonly LIMIT_ACTUAL_HEADERS: readonly (readonly [string, string])[];
  readonly BODY: string;
  readonly CONTENT_TYPE: string;
}

/** The raw header lines of one canned response. */
function raw(lines: readonly (readonly [string, string])[]): Buffer[] {
  return lines.flatMap(([name, value]) => [latin1(name), latin1(value)]);
}

/** The limit server's two answers, with the lines node:http adds to them. */
function cannedResponses(policy: LimitPolicy) {
  const added: [string, string][] = [
    ['date', 'Thu, 01 Jan 2026 00:00:00 GMT'],
    ['connection', 'keep-alive'],
    ['keep-alive', 'timeout=5'],
  ];
  return {
    preflight: raw([...policy.LIMIT_PREFLIGHT_HEADERS, ...added]),
    actual: raw([
      ...policy.LIMIT_ACTUAL_HEADERS,
      ['content-type', policy.CONTENT_TYPE],
      ['content-length', String(Buffer.byteLength(policy.BODY))],
      ...added,
    ]),
    body: latin1(policy.BODY),
  };
}

let answers = 0;

const dateAt = new Map<readonly Buffer[], number>();

/** `lines` with its Date value replaced by one no answer had before. */
function withFreshDate(lines: readonly Buffer[]): Buffer[] {
  let at = dateAt.get(lines);
  if (at === undefined) {
    at = lines.findIndex((part, i) => i % 2 === 0 && part.toString('latin1') === 'date');
    dateAt.set(lines, at);
  }
  const copy = [...lines];
  copy[at + 1] = latin1(`Thu, 01 Jan 2026 00:00:00 GMT ${answers++}`);
  return copy;
}

/** Just enough of undici's Dispatcher for `check()`: the new handler API, answered in a microtask. */
function inMemoryDispatcher(policy: LimitPolicy) {
  const canned = cannedResponses(policy);
  return {
    dispatch(
      options: { method: string },
      handler: {
        onRequestStart?: (c: unknown, ctx: unknown) => void;
        onResponseStart?: (c: unknown, status: number, headers: unknown, text: string) => void;
        onResponseData?: (c: unknown, chunk: Buffer) => void;
        onResponseEnd?: (c: unknown, trailers: unknown) => void;
      },
    ): boolean {
      const preflight = options.method === 'OPTIONS';
      const lines = preflight ? canned.preflight : canned.actual;
      const controller = { abort() {}, rawHeaders: input.vary ? withFreshDate(lines) : lines };
      queueMicrotask(() => {
        handler.onRequestStart?.(controller, {});
        handler.onResponseStart?.(
          controller,
          preflight ? 204 : 200,
          {},
          preflight ? 'No Content' : 'OK',
        );
        if (!preflight) handler.onResponseData?.(controller, canned.body);
        handler.onResponseEnd?.(controller, {});
      });
      return true;
    },
  };
}

async function main(): Promise<InMemoryOutput> {
  const check = await loadCheckCall(input.dist);
  if (check === null) throw new Error('checker not built');
  const policy = (await import(
    pathToFileURL(join(BENCH_SRC, 'servers', '_policy.mjs')).href
  )) as LimitPolicy;
  const dispatcher = inMemoryDispatcher(policy);
  let checks = 0;
  const call = (preflighted: boolean) =>
    check({
      url: input.vary ? `http://127.0.0.1:8/?n=${checks++}` : 'http://127.0.0.1:8/',
      origin: policy.ORIGIN,
      method: preflighted ? PREFLIGHTED.method : 'GET',
      headers: preflighted ? PREFLIGHTED.headers : {},
      credentials: true,
      dispatcher,
    });
  // 64 checks in flight at a time, as in the loopback runs.
  const round = async (preflighted: boolean): Promise<number> => {
    const cpu0 = process.cpuUsage();
    for (let done = 0; done < input.checks; done += 64) {
      const results = await Promise.all(Array.from({ length: 64 }, () => call(preflighted)));
      if (!results.every((r) => verdictOf(r).allowed)) {
        throw new Error('an in-memory check was not allowed');
      }
    }
    const cpu = process.cpuUsage(cpu0);
    return (cpu.user + cpu.system) / input.checks;
  };
  await round(false);
  await round(true);
  const simple: number[] = [];
  const preflighted: number[] = [];
  for (let i = 0; i < input.rounds; i++) {
    simple.push(await round(false));
    preflighted.push(await round(true));
  }
  return { simple, preflighted };
}

main().then(
  (out) => process.stdout.write(`${JSON.stringify(out)}\n`),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);

/**
 * Section 3: the checker. Checks per second on loopback at concurrency 64, simple (one GET) and
 * preflighted (OPTIONS, then PUT), against the leanest honest baseline: undici's `dispatch` (the
 * entry the checker uses) sending the same requests, header line for header line as the checker
 * sent them, its options built once, through the same kind of keep-alive pool (one request per
 * simple check, two per preflighted one), interleaved with the checks in short slices in one
 * client process. Also undici's `request()` sending the same (the URL parsed and the body streamed
 * each time), and undici sending the fewest headers those requests could have (Origin and the
 * preflight's two Access-Control-Request-* headers), which a browser never does. The client runs
 * pinned to the load core, the server (the constant-header "limit" server of section 1) to the
 * other. Then memory over a long run of preflighted checks.
 */

import { join } from 'node:path';
import type { ClientMode } from '../clients/load-client.js';
import { minimalRequests, PREFLIGHTED, type ReplayRequest } from '../clients/requests.js';
import { runClient } from '../clients/run-client.js';
import { loadChecker, sentRequests } from '../glue/checker.js';
import {
  fmtInt,
  fmtNum,
  fmtPct,
  fmtRange,
  rangeVerdict,
  type TargetResult,
  table,
  verdict,
} from '../lib/format.js';
import { BENCH_BUILD } from '../lib/paths.js';
import { run, SERVER_CORE } from '../lib/procs.js';
import type { Context, SectionResult } from '../lib/section.js';
import { startServer } from '../lib/server.js';
import { summarize } from '../lib/stats.js';
import type { InMemoryInput, InMemoryOutput } from './in-memory.js';

const TITLE = '3. Checker';
const CONCURRENCY = 64;
const ORIGIN = 'https://app.example.com';

const PAIRS: readonly { label: string; check: ClientMode; preflighted: boolean }[] = [
  { label: 'simple (GET)', check: 'check-simple', preflighted: false },
  { label: 'preflighted (OPTIONS + PUT)', check: 'check-preflight', preflighted: true },
];

/** The four clients measured for each kind of check. */
type Client = 'lean' | 'limit' | 'minimal' | 'check';
const CLIENTS: readonly Client[] = ['lean', 'limit', 'minimal', 'check'];

/** The checker's target: this share of the leanest client's checks per client core. */
const TARGET = 0.9;

/** Each kind's slices last this long, in turn (see the interleaved mode of load-client.ts). */
const SLICE_MS = 100;

/** One kind's figures in one round. */
interface KindRun {
  readonly rate: number;
  readonly perCore: number;
  readonly clientShare: number;
  readonly failures: number;
}

export async function checkerSection(ctx: Context): Promise<SectionResult> {
  const { options, log } = ctx;
  const checker = await loadChecker(options.target.dist);
  if (checker === null) {
    return {
      title: TITLE,
      markdown: 'skipped: not built yet (`dist/check/index.js` is missing).',
      targets: [],
    };
  }
  const server = await startServer('node.mjs', 'limit', { dist: options.target.lib });
  try {
    // One check of each kind first: a checker that blocks would make every figure meaningless.
    // Its requests are what the limit replays.
    const sent = new Map<string, ReplayRequest[]>();
    for (const pair of PAIRS) {
      const r = await checker({
        url: server.url,
        origin: ORIGIN,
        method: pair.preflighted ? PREFLIGHTED.method : 'GET',
        headers: pair.preflighted ? PREFLIGHTED.headers : {},
        credentials: true,
        dispatcher: undefined,
      });
      if (!r.allowed)
        throw new Error(
          `the checker says ${r.verdict} for the ${pair.label} check of the limit server`,
        );
      const requests = sentRequests(r.result);
      if (requests.length !== (pair.preflighted ? 2 : 1))
        throw new Error(
          `the ${pair.label} check sent ${requests.length} request(s); the limit needs them all`,
        );
      sent.set(pair.label, requests);
    }
    const runs = new Map<string, KindRun[]>();
    for (let round = 0; round < options.rounds; round++) {
      for (const pair of PAIRS) {
        const r = await runClient(
          {
            mode: pair.check,
            interleave: {
              sliceMs: SLICE_MS,
              kinds: [
                { label: 'lean', mode: 'dispatch', requests: sent.get(pair.label) ?? [] },
                { label: 'limit', mode: 'undici', requests: sent.get(pair.label) ?? [] },
                {
                  label: 'minimal',
                  mode: 'undici',
                  requests: minimalRequests(ORIGIN, pair.preflighted),
                },
                { label: 'check', mode: pair.check },
              ],
            },
            dist: options.target.dist,
            url: server.url,
            origin: ORIGIN,
            concurrency: CONCURRENCY,
            seconds: options.seconds,
            warmupSeconds: options.warmupSeconds,
          },
          server,
        );
        for (const client of CLIENTS) {
          const k = r.kinds?.[client];
          if (k === undefined) throw new Error(`the interleaved client reported no ${client}`);
          const run: KindRun = {
            rate: k.ops / k.seconds,
            perCore: k.ops / k.cpuSeconds,
            clientShare: k.cpuSeconds / k.seconds,
            failures: k.failures,
          };
          const key = `${pair.label}/${client}`;
          if (!runs.has(key)) runs.set(key, []);
          runs.get(key)!.push(run);
          log(
            `[checker] round ${round + 1}/${options.rounds} ${pair.label}, ${client}: ${fmtInt(run.rate)}/s, ${fmtInt(run.perCore)} per client core${k.failures > 0 ? `, ${k.failures} failures (${k.firstFailure})` : ''}`,
          );
        }
      }
    }
    log('[checker] in memory: check() with a dispatcher that answers from memory');
    const inMemory = await inMemoryCost(options.target.dist, options.quick, false);
    const inMemoryVaried = await inMemoryCost(options.target.dist, options.quick, true);
    log(`[checker] memory: ${options.memoryChecks.toLocaleString('en-US')} preflighted checks`);
    const mem = await runClient(
      {
        mode: 'check-preflight',
        dist: options.target.dist,
        url: server.url,
        origin: ORIGIN,
        concurrency: CONCURRENCY,
        count: options.memoryChecks,
      },
      server,
    );

    const targets: TargetResult[] = [];
    const rows: string[][] = [];
    for (const pair of PAIRS) {
      const lean = runs.get(`${pair.label}/lean`) ?? [];
      const lim = runs.get(`${pair.label}/limit`) ?? [];
      const min = runs.get(`${pair.label}/minimal`) ?? [];
      const chk = runs.get(`${pair.label}/check`) ?? [];
      // Per round: the three kinds of one round ran interleaved, so they shared the machine's mood.
      const ratios = summarize(chk.map((c, i) => c.perCore / (lean[i]?.perCore ?? Number.NaN)));
      const limitRatios = summarize(chk.map((c, i) => c.perCore / (lim[i]?.perCore ?? Number.NaN)));
      const minimalRatios = summarize(
        chk.map((c, i) => c.perCore / (min[i]?.perCore ?? Number.NaN)),
      );
      const ok = rangeVerdict(ratios, '≥', TARGET);
      const vsLean = (rs: readonly KindRun[]) =>
        fmtRange(summarize(rs.map((r, i) => r.perCore / (lean[i]?.perCore ?? Number.NaN))), fmtPct);
      for (const [label, rs, vsLimit] of [
        ['undici `dispatch`, the same requests, options built once (lean)', lean, '100%'],
        ['undici `request()`, the same requests (limit)', lim, vsLean(lim)],
        ['undici, Origin and Access-Control-Request-* only (reference)', min, vsLean(min)],
        ['corsproof check', chk, fmtRange(ratios, fmtPct)],
      ] as const) {
        rows.push([
          pair.label,
          label,
          fmtRange(summarize(rs.map((r) => r.rate)), fmtInt),
          fmtRange(summarize(rs.map((r) => r.perCore)), fmtInt),
          vsLimit,
          rs === chk ? fmtRange(minimalRatios, fmtPct) : '',
          fmtPct(summarize(rs.map((r) => r.clientShare)).median),
          String(rs.reduce((a, r) => a + r.failures, 0)),
          rs === chk ? ok : '',
        ]);
      }
      targets.push({
        section: TITLE,
        target: `${pair.label} checks ≥ ${TARGET * 100}% of undici's \`dispatch\` sending the same requests`,
        figure: `${fmtRange(ratios, fmtPct)} (${fmtRange(limitRatios, fmtPct)} of undici's \`request()\`, ${fmtRange(minimalRatios, fmtPct)} of the Origin-only reference)`,
        verdict: ok,
      });
    }
    const heap = mem.heapAfterGcMiB;
    const flat = heap === null ? null : heap.end - heap.early <= Math.max(2, heap.early * 0.1);
    targets.push({
      section: TITLE,
      target: `memory flat over ${options.memoryChecks.toLocaleString('en-US')} checks (heap after GC grows ≤ 10% or 2 MiB)`,
      figure: heap === null ? '—' : `${fmtNum(heap.early)} → ${fmtNum(heap.end)} MiB`,
      verdict: verdict(flat),
    });
    const markdown = [
      `Concurrency ${CONCURRENCY} over one undici Agent (${CONCURRENCY} connections) to the limit server of section 1 on loopback. The four clients of a row group run in one process, side by side: ${SLICE_MS} ms slices of each in turn through the one pool, ${options.seconds} s of each in all, so a machine whose speed drifts slows all four alike; ${options.rounds} round(s), median (min–max). Checks are credentialed, origin ${ORIGIN}; the preflighted one is a PUT with Content-Type: application/json and X-Requested-With. **The lean baseline** is undici's \`dispatch\` (the entry the checker itself uses) sending the very requests the checker sent, header line for header line (a browser's: Accept, Origin, User-Agent, client hints, Sec-Fetch-*, Referer, Accept-Language), its options built once, reading status, header lines and body; **the limit** is undici's \`request()\` sending the same, which also parses the URL and streams the body each time; **the reference** sends only Origin (and the preflight's Access-Control-Request-Method and -Headers), fewer bytes than any browser. **per client core** = operations ÷ client CPU seconds, from which the ratios are taken per round. Glue: bench/glue/checker.ts.`,
      table(
        [
          'check',
          'client',
          'checks/s',
          'per client core',
          'vs lean (per core)',
          'vs reference (per core)',
          'client CPU',
          'failures',
          `target ≥ ${TARGET * 100}% of lean: met/missed`,
        ],
        rows,
      ),
      `The checker's own cost, without a network (bench/checker/in-memory.ts): \`check()\` through a dispatcher that answers from memory with the limit server's headers, 64 checks in flight, pinned to core ${SERVER_CORE}; CPU µs per check, fastest (slowest) of ${inMemory.simple.length} rounds: simple ${inMemoryFigure(inMemory.simple)} µs, preflighted ${inMemoryFigure(inMemory.preflighted)} µs. A change to planning, judging or result building shows here first. The checks above repeat one request, and the checker keeps what a repeat can reuse (the plan, header strings a server sends again, the last passing judgement); with every check to a URL of its own and every answer carrying a Date of its own, so that nothing repeats (a batch over many endpoints): simple ${inMemoryFigure(inMemoryVaried.simple)} µs, preflighted ${inMemoryFigure(inMemoryVaried.preflighted)} µs.`,
      `Memory, ${mem.ops.toLocaleString('en-US')} preflighted checks at concurrency ${CONCURRENCY} (${fmtInt(mem.rate)}/s): peak RSS ${fmtNum(mem.peakRssMiB)} MiB, peak heap used ${fmtNum(mem.peakHeapMiB)} MiB; heap used after a full GC ${heap === null ? '— (run without --expose-gc)' : `${fmtNum(heap.early)} MiB after ${Math.floor(options.memoryChecks / 10).toLocaleString('en-US')} checks, ${fmtNum(heap.end)} MiB at the end`}: ${verdict(flat)}.${mem.failures > 0 ? ` ${mem.failures} checks failed (${mem.firstFailure}).` : ''}`,
    ].join('\n\n');
    return { title: TITLE, markdown, targets };
  } finally {
    await server.stop();
  }
}

/** Fastest (slowest) of a run's rounds. */
function inMemoryFigure(rounds: readonly number[]): string {
  return `${fmtNum(Math.min(...rounds))} (${fmtNum(Math.max(...rounds))})`;
}

/** Runs bench/checker/in-memory.ts pinned, and returns its µs per check. */
async function inMemoryCost(dist: string, quick: boolean, vary: boolean): Promise<InMemoryOutput> {
  const input: InMemoryInput = {
    dist,
    vary,
    rounds: quick ? 2 : 5,
    checks: quick ? 20_000 : 100_000,
  };
  const r = await run(
    process.execPath,
    [join(BENCH_BUILD, 'checker', 'in-memory.js'), JSON.stringify(input)],
    { core: SERVER_CORE },
  );
  const last = r.stdout.trim().split('\n').pop() ?? '';
  if (r.code !== 0 || !last.startsWith('{')) {
    throw new Error(`in-memory checker run failed (${r.code}): ${r.stderr.trim().slice(-300)}`);
  }
  return JSON.parse(last) as InMemoryOutput;
}

/**
 * Section 3: the checker. Checks per second on loopback at concurrency 64, simple (one GET) and
 * preflighted (OPTIONS, then PUT), against the limit: undici sending the same requests through the
 * same kind of keep-alive pool (one request per simple check, two per preflighted one). The client
 * runs pinned to the load core, the server (the constant-header "limit" server of section 1) to
 * the other. Then memory over a long run of preflighted checks.
 */

import type { ClientMode } from '../clients/load-client.js';
import { type ClientRun, runClient } from '../clients/run-client.js';
import { loadChecker } from '../glue/checker.js';
import {
  fmtInt,
  fmtNum,
  fmtPct,
  fmtRange,
  type TargetResult,
  table,
  verdict,
} from '../lib/format.js';
import type { Context, SectionResult } from '../lib/section.js';
import { startServer } from '../lib/server.js';
import { summarize } from '../lib/stats.js';

const TITLE = '3. Checker';
const CONCURRENCY = 64;
const ORIGIN = 'https://app.example.com';

const PAIRS: readonly { label: string; limit: ClientMode; check: ClientMode }[] = [
  { label: 'simple (GET)', limit: 'undici-simple', check: 'check-simple' },
  { label: 'preflighted (OPTIONS + PUT)', limit: 'undici-preflight', check: 'check-preflight' },
];

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
  const server = await startServer('node.mjs', 'limit', { dist: options.target.dist });
  try {
    // One check of each kind first: a checker that blocks would make every figure meaningless.
    for (const pair of PAIRS) {
      const preflighted = pair.check === 'check-preflight';
      const r = await checker({
        url: server.url,
        origin: ORIGIN,
        method: preflighted ? 'PUT' : 'GET',
        headers: preflighted
          ? { 'content-type': 'application/json', 'x-requested-with': 'XMLHttpRequest' }
          : {},
        credentials: true,
        dispatcher: undefined,
      });
      if (!r.allowed)
        throw new Error(
          `the checker says ${r.verdict} for the ${pair.label} check of the limit server`,
        );
    }
    const runs = new Map<ClientMode, ClientRun[]>();
    for (let round = 0; round < options.rounds; round++) {
      for (const pair of PAIRS) {
        for (const mode of [pair.limit, pair.check]) {
          const r = await runClient(
            {
              mode,
              dist: options.target.dist,
              url: server.url,
              origin: ORIGIN,
              concurrency: CONCURRENCY,
              seconds: options.seconds,
              warmupSeconds: options.warmupSeconds,
            },
            server,
          );
          if (!runs.has(mode)) runs.set(mode, []);
          runs.get(mode)!.push(r);
          log(
            `[checker] round ${round + 1}/${options.rounds} ${mode}: ${fmtInt(r.rate)}/s, ${fmtInt(r.perCore)} per client core${r.failures > 0 ? `, ${r.failures} failures (${r.firstFailure})` : ''}`,
          );
        }
      }
    }
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
      const lim = runs.get(pair.limit) ?? [];
      const chk = runs.get(pair.check) ?? [];
      const ratios = summarize(chk.map((c, i) => c.perCore / (lim[i]?.perCore ?? Number.NaN)));
      const ok = ratios.median >= 0.8;
      for (const [label, rs] of [
        [`undici, the same requests (limit)`, lim],
        ['corsproof check', chk],
      ] as const) {
        rows.push([
          pair.label,
          label,
          fmtRange(summarize(rs.map((r) => r.rate)), fmtInt),
          fmtRange(summarize(rs.map((r) => r.perCore)), fmtInt),
          rs === chk ? fmtRange(ratios, fmtPct) : '100%',
          fmtPct(summarize(rs.map((r) => r.clientShare)).median),
          fmtPct(summarize(rs.map((r) => r.serverShare)).median),
          String(rs.reduce((a, r) => a + r.failures, 0)),
          rs === chk ? verdict(ok) : '',
        ]);
      }
      targets.push({
        section: TITLE,
        target: `${pair.label} checks ≥ 80% of the undici limit`,
        figure: fmtRange(ratios, fmtPct),
        verdict: verdict(ok),
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
      `Concurrency ${CONCURRENCY} over one undici Agent (${CONCURRENCY} connections) to the limit server of section 1 on loopback; ${options.seconds} s per measurement, ${options.rounds} interleaved round(s), median (min–max). Checks are credentialed, origin ${ORIGIN}; the preflighted one is a PUT with Content-Type: application/json and X-Requested-With. **per client core** = operations ÷ client CPU seconds, from which the ratio is taken per round. Glue: bench/glue/checker.ts.`,
      table(
        [
          'check',
          'client',
          'checks/s',
          'per client core',
          'vs limit (per core)',
          'client CPU',
          'server CPU',
          'failures',
          'target ≥ 80%: met/missed',
        ],
        rows,
      ),
      `Memory, ${mem.ops.toLocaleString('en-US')} preflighted checks at concurrency ${CONCURRENCY} (${fmtInt(mem.rate)}/s): peak RSS ${fmtNum(mem.peakRssMiB)} MiB, peak heap used ${fmtNum(mem.peakHeapMiB)} MiB; heap used after a full GC ${heap === null ? '— (run without --expose-gc)' : `${fmtNum(heap.early)} MiB after ${Math.floor(options.memoryChecks / 10).toLocaleString('en-US')} checks, ${fmtNum(heap.end)} MiB at the end`}: ${verdict(flat)}.${mem.failures > 0 ? ` ${mem.failures} checks failed (${mem.firstFailure}).` : ''}`,
    ].join('\n\n');
    return { title: TITLE, markdown, targets };
  } finally {
    await server.stop();
  }
}

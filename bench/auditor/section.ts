/**
 * Section 4: the auditor. Endpoints audited per second at concurrency 32 against corsproof's own
 * node:http server (so the probes meet a real policy), and how many requests one audit sends.
 */
import { runClient } from '../clients/run-client.js';
import { loadAuditor } from '../glue/auditor.js';
import { fmtInt, fmtNum, fmtPct, fmtRange, table } from '../lib/format.js';
import type { Context, SectionResult } from '../lib/section.js';
import { startServer } from '../lib/server.js';
import { summarize } from '../lib/stats.js';

const TITLE = '4. Auditor';
const CONCURRENCY = 32;

export async function auditorSection(ctx: Context): Promise<SectionResult> {
  const { options, log } = ctx;
  if ((await loadAuditor(options.target.dist)) === null) {
    return {
      title: TITLE,
      markdown: 'skipped: not built yet (`dist/audit/index.js` is missing).',
      targets: [],
    };
  }
  const server = await startServer('node.mjs', 'corsproof', {
    dist: options.target.dist,
    countRequests: true,
  });
  try {
    const rows: {
      rate: number;
      perCore: number;
      requestsPerAudit: number;
      client: number;
      server: number;
      failures: number;
    }[] = [];
    let firstFailure: string | null = null;
    for (let round = 0; round < options.rounds; round++) {
      const before = await server.count();
      const r = await runClient(
        {
          mode: 'audit',
          dist: options.target.dist,
          url: server.url,
          origin: 'https://app.example.com',
          concurrency: CONCURRENCY,
          seconds: options.seconds,
          warmupSeconds: options.warmupSeconds,
        },
        server,
      );
      const requests = (await server.count()) - before;
      firstFailure ??= r.firstFailure;
      rows.push({
        rate: r.rate,
        perCore: r.perCore,
        requestsPerAudit: requests / Math.max(1, r.ops),
        client: r.clientShare,
        server: r.serverShare,
        failures: r.failures,
      });
      log(
        `[auditor] round ${round + 1}/${options.rounds}: ${fmtNum(r.rate)} endpoints/s, ${fmtNum(requests / Math.max(1, r.ops))} requests per audit`,
      );
    }
    const failures = rows.reduce((a, r) => a + r.failures, 0);
    const markdown = [
      `Concurrency ${CONCURRENCY}, ${options.seconds} s per round, ${options.rounds} round(s), median (min–max); the audited endpoint is the corsproof node:http server of section 1 (one allowed origin, credentials). No target is set for the auditor yet. Glue: bench/glue/auditor.ts.`,
      table(
        [
          'endpoints/s',
          'per client core',
          'requests per audit',
          'client CPU',
          'server CPU',
          'failures',
        ],
        [
          [
            fmtRange(summarize(rows.map((r) => r.rate))),
            fmtRange(summarize(rows.map((r) => r.perCore))),
            fmtNum(summarize(rows.map((r) => r.requestsPerAudit)).median),
            fmtPct(summarize(rows.map((r) => r.client)).median),
            fmtPct(summarize(rows.map((r) => r.server)).median),
            `${fmtInt(failures)}${firstFailure === null ? '' : ` (${firstFailure})`}`,
          ],
        ],
      ),
    ].join('\n\n');
    return { title: TITLE, markdown, targets: [] };
  } finally {
    await server.stop();
  }
}

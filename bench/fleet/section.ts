/**
 * Fleet: one batch of checks against loopback targets, run by 1, 2 and 3 `corsproof worker`
 * processes behind an API-only `corsproof serve --no-worker` on PostgreSQL and Redis, and by the
 * embedded `corsproof serve` (SQLite, in-process queue) for comparison. While the batch runs, a
 * single check (`POST /api/checks`) is sent every 200 ms and timed. Each fleet run has its own
 * PostgreSQL schema and Redis prefix, dropped afterwards.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fmtInt, fmtNum, fmtPct, table } from '../lib/format.js';
import { processCpuSeconds } from '../lib/procs.js';
import type { Context, SectionResult } from '../lib/section.js';
import { median } from '../lib/stats.js';
import { Sources, send } from './client.js';
import {
  checkBackends,
  dropPrefix,
  dropSchema,
  POSTGRES_URL,
  peakRssMiB,
  REDIS_URL,
  type Started,
  startProcess,
  startTarget,
  stopProcess,
} from './cluster.js';

/** The service's cap on the targets of one batch (MAX_BATCH_TARGETS). */
const MAX_BATCH_TARGETS = 10_000;
/** Loopback hosts the targets spread over: the per-host rate is counted per host name. */
const TARGET_HOSTS = ['127.0.0.1', '127.0.0.2', '127.0.0.3', '127.0.0.4'];
/** High enough never to be what limits the fleet (the default is 10/s). */
const PER_HOST_RATE = '100000/s';
const PROBE_EVERY_MS = 200;
const POLL_EVERY_MS = 500;
const ORIGIN = 'https://app.example.com';

type Mode = 'embedded' | 1 | 2 | 3;
const MODES: readonly Mode[] = ['embedded', 1, 2, 3];

interface ProcessFigure {
  readonly role: string;
  readonly peakMiB: number;
  readonly cpuSeconds: number;
}

interface RunResult {
  readonly mode: Mode;
  readonly checks: number;
  readonly seconds: number;
  readonly perSecond: number;
  readonly probeMs: readonly number[];
  readonly probeFailures: number;
  readonly processes: readonly ProcessFigure[];
  readonly loadStart: number;
  readonly loadEnd: number;
  readonly loadMax: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return (
    sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN
  );
}

function label(mode: Mode): string {
  return mode === 'embedded'
    ? 'embedded (SQLite, in-process queue)'
    : `${mode} worker${mode === 1 ? '' : 's'} (PostgreSQL + Redis)`;
}

/** Splits the checks into batches of at most MAX_BATCH_TARGETS, spread over the target hosts. */
function batchesOf(total: number, bases: readonly string[], run: string): unknown[][] {
  const batches: unknown[][] = [];
  for (let start = 0; start < total; start += MAX_BATCH_TARGETS) {
    const size = Math.min(MAX_BATCH_TARGETS, total - start);
    batches.push(
      Array.from({ length: size }, (_, i) => ({
        url: `${bases[(start + i) % bases.length]}/${run}/${start + i}`,
        origin: ORIGIN,
      })),
    );
  }
  return batches;
}

async function runOnce(
  ctx: Context,
  mode: Mode,
  total: number,
  concurrency: number,
  bases: readonly string[],
): Promise<RunResult> {
  const bin = ctx.options.target.bin;
  const node = process.execPath;
  const id = randomBytes(5).toString('hex');
  const schema = `bench_fleet_${id}`;
  const prefix = `bench-fleet-${id}`;
  const dir = mkdtempSync(join(tmpdir(), 'corsproof-fleet-bench-'));
  const started: { role: string; proc: Started }[] = [];
  const listening = /listening on (http:\/\/\S+)/;
  try {
    const fleet = [
      '--queue',
      REDIS_URL,
      '--queue-prefix',
      prefix,
      '--per-host-rate',
      PER_HOST_RATE,
    ];
    const db =
      mode === 'embedded'
        ? ['--db', join(dir, 'bench.db')]
        : ['--db', POSTGRES_URL, '--db-schema', schema];
    const api = await startProcess(
      'serve',
      node,
      [
        bin,
        'serve',
        '--port',
        '0',
        '--auth',
        'off',
        '--allow-private-targets',
        ...db,
        ...(mode === 'embedded' ? [] : ['--no-worker', ...fleet]),
      ],
      listening,
      { cwd: dir },
    );
    started.push({ role: mode === 'embedded' ? 'serve' : 'serve --no-worker', proc: api });
    const base = listening.exec(api.out())?.[1] as string;
    if (mode !== 'embedded') {
      const workers = await Promise.all(
        Array.from({ length: mode }, () =>
          startProcess(
            'worker',
            node,
            [
              bin,
              'worker',
              '--concurrency',
              String(concurrency),
              '--allow-private-targets',
              ...db,
              ...fleet,
            ],
            /corsproof worker running/,
            { cwd: dir },
          ),
        ),
      );
      workers.forEach((proc, i) => {
        started.push({ role: `worker ${i + 1}`, proc });
      });
    }
    const cpuBefore = started.map(({ proc }) => processCpuSeconds(proc.pid));
    const sources = new Sources();
    const loadStart = loadavg()[0] ?? Number.NaN;
    let loadMax = loadStart;
    const t0 = performance.now();
    const ids = await Promise.all(
      batchesOf(total, bases, `r${id}`).map(async (targets, i) => {
        const answer = await send(
          base,
          'POST',
          '/api/batches',
          { kind: 'check', targets },
          sources.batch(i),
        );
        if (answer.status !== 202) {
          throw new Error(`bench: POST /api/batches answered ${answer.status}: ${answer.body}`);
        }
        return (JSON.parse(answer.body) as { id: string }).id;
      }),
    );
    ctx.log(`  ${label(mode)}: ${total} checks accepted in ${ids.length} batch(es)`);

    let running = true;
    const probeMs: number[] = [];
    let probeFailures = 0;
    const probe = (async () => {
      let n = 0;
      while (running) {
        const url = `${bases[n % bases.length]}/probe/${id}/${n}`;
        n += 1;
        const start = performance.now();
        try {
          const answer = await send(
            base,
            'POST',
            '/api/checks',
            { url, origin: ORIGIN },
            sources.other(),
          );
          if (answer.status === 200 || answer.status === 201)
            probeMs.push(performance.now() - start);
          else probeFailures += 1;
        } catch {
          probeFailures += 1;
        }
        await sleep(PROBE_EVERY_MS);
      }
    })();

    // Bounded: a quarter of the checks per second would be far below any sane run.
    const deadline = t0 + Math.max(120_000, (total / 5) * 1000);
    let elapsed = Number.NaN;
    const pending = new Set(ids);
    while (pending.size > 0) {
      await sleep(POLL_EVERY_MS);
      loadMax = Math.max(loadMax, loadavg()[0] ?? 0);
      for (const batch of [...pending]) {
        const answer = await send(
          base,
          'GET',
          `/api/batches/${batch}?limit=1`,
          undefined,
          sources.other(),
        );
        if (answer.status !== 200) {
          throw new Error(
            `bench: GET /api/batches/${batch} answered ${answer.status}: ${answer.body}`,
          );
        }
        if ((JSON.parse(answer.body) as { status: string }).status === 'done')
          pending.delete(batch);
      }
      if (pending.size === 0) elapsed = (performance.now() - t0) / 1000;
      else if (performance.now() > deadline) {
        running = false;
        await probe;
        throw new Error(
          `bench: ${label(mode)}: batch not done in ${Math.round((deadline - t0) / 1000)} s`,
        );
      }
    }
    running = false;
    await probe;
    const loadEnd = loadavg()[0] ?? Number.NaN;
    const processes = started.map(({ role, proc }, i) => ({
      role,
      peakMiB: peakRssMiB(proc.pid),
      cpuSeconds: processCpuSeconds(proc.pid) - (cpuBefore[i] ?? 0),
    }));
    return {
      mode,
      checks: total,
      seconds: elapsed,
      perSecond: total / elapsed,
      probeMs,
      probeFailures,
      processes,
      loadStart,
      loadEnd,
      loadMax: Math.max(loadMax, loadEnd),
    };
  } finally {
    // Workers first, so none is left waiting on an API instance that is gone.
    for (const { proc } of [...started].reverse()) await stopProcess(proc);
    if (mode !== 'embedded') {
      await dropSchema(schema).catch((e: unknown) => ctx.log(`  could not drop ${schema}: ${e}`));
      await dropPrefix(prefix).catch((e: unknown) => ctx.log(`  could not clear ${prefix}: ${e}`));
    }
    rmSync(dir, { recursive: true, force: true });
  }
}

function report(
  ctx: Context,
  results: readonly RunResult[],
  total: number,
  concurrency: number,
  rounds: number,
): string {
  const byMode = (mode: Mode) => results.filter((r) => r.mode === mode);
  const rate = (mode: Mode) => median(byMode(mode).map((r) => r.perSecond));
  const rate1 = rate(1);
  const range = (values: readonly number[], f: (n: number) => string) =>
    values.length <= 1
      ? f(values[0] ?? Number.NaN)
      : `${f(median(values))} (${f(Math.min(...values))}–${f(Math.max(...values))})`;
  const throughput = table(
    [
      'mode',
      'checks/s',
      'seconds',
      'scaling efficiency',
      'single check p50 / p99 ms (n)',
      'load (1-min) start → max',
    ],
    MODES.map((mode) => {
      const runs = byMode(mode);
      const probes = runs.flatMap((r) => r.probeMs);
      const failures = runs.reduce((a, r) => a + r.probeFailures, 0);
      return [
        label(mode),
        range(
          runs.map((r) => r.perSecond),
          fmtNum,
        ),
        range(
          runs.map((r) => r.seconds),
          fmtNum,
        ),
        mode === 'embedded' ? '—' : fmtPct(rate(mode) / (mode * rate1)),
        `${fmtNum(percentile(probes, 50))} / ${fmtNum(percentile(probes, 99))} (${probes.length}${failures > 0 ? `, ${failures} failed` : ''})`,
        runs.map((r) => `${r.loadStart.toFixed(2)} → ${r.loadMax.toFixed(2)}`).join('; '),
      ];
    }),
  );
  const memory = table(
    ['mode', 'process', 'peak RSS (VmHWM) MiB', 'CPU s during the batch'],
    MODES.flatMap((mode) => {
      const runs = byMode(mode);
      const roles = runs[0]?.processes.map((p) => p.role) ?? [];
      return roles.map((role) => {
        const of = runs.map((r) => r.processes.find((p) => p.role === role));
        return [
          label(mode),
          role,
          range(
            of.map((p) => p?.peakMiB ?? Number.NaN),
            fmtInt,
          ),
          range(
            of.map((p) => p?.cpuSeconds ?? Number.NaN),
            fmtNum,
          ),
        ];
      });
    }),
  );
  const batches = Math.ceil(total / MAX_BATCH_TARGETS);
  return [
    `Command: \`npm run bench -- ${ctx.options.argv.join(' ')}\`. ${fmtInt(total)} checks per run, submitted at once as ${batches} batch${batches === 1 ? '' : 'es'} (a batch holds at most ${fmtInt(MAX_BATCH_TARGETS)} targets), against a bare node:http target that answers every request at once with CORS headers, listening on ${TARGET_HOSTS.join(', ')} (the per-host rate is counted per host name; the fleet runs with \`--per-host-rate ${PER_HOST_RATE}\`, so it never throttles). Workers run with \`--concurrency ${concurrency}\`; the embedded \`serve\` runs 4 batch targets at once (its default). Modes in the order ${MODES.map((m) => (m === 'embedded' ? 'embedded' : String(m))).join(', ')}, ${rounds} round${rounds === 1 ? '' : 's'}${rounds > 1 ? ' (order reversed every other round; median and min–max)' : ''}. checks/s = checks ÷ the time from the first POST /api/batches to every batch reading \`done\`. Scaling efficiency = rate(n) ÷ (n × rate(1)). During each batch a single check is sent to \`POST /api/checks\` of the API process every ${PROBE_EVERY_MS} ms and timed from the client.`,
    throughput,
    memory,
    '> **Two cores, shared.** This machine has 2 cores shared by the API process, the workers, PostgreSQL, Redis, the target server and the bench itself (and, here, by other work: see the load). More workers than cores cannot scale here: a second or third worker only adds processes competing for the same two cores, so the efficiency figures show the cost of that contention, not how the fleet scales on machines of its own. What the figures do show: the throughput of one worker against the embedded mode on the same batch, the latency a single check sees while a batch runs, and the memory each process needs. What they do not show: scaling across machines, the effect of network latency to real targets (the target here answers in microseconds), or PostgreSQL and Redis on their own hosts; the CPU column counts the corsproof processes only, not PostgreSQL, Redis or the target. Absolute figures are noisy: the load column says how busy the machine was during each run.',
  ].join('\n\n');
}

export async function fleetSection(ctx: Context): Promise<SectionResult> {
  const { fleetChecks: total, fleetRounds: rounds, workerConcurrency } = ctx.options;
  await checkBackends();
  const target = await startTarget(TARGET_HOSTS);
  const results: RunResult[] = [];
  try {
    for (let round = 0; round < rounds; round += 1) {
      const order = round % 2 === 0 ? MODES : [...MODES].reverse();
      for (const mode of order) {
        const result = await runOnce(ctx, mode, total, workerConcurrency, target.bases);
        ctx.log(
          `  ${label(mode)}: ${fmtNum(result.perSecond)} checks/s in ${fmtNum(result.seconds)} s, single check p99 ${fmtNum(percentile(result.probeMs, 99))} ms, load ${result.loadStart.toFixed(2)} → ${result.loadMax.toFixed(2)}`,
        );
        results.push(result);
      }
    }
  } finally {
    await stopProcess(target.started);
  }
  return {
    title: 'Fleet: batch throughput with 1, 2 and 3 workers (PostgreSQL + Redis) and embedded',
    markdown: report(ctx, results, total, workerConcurrency, rounds),
    targets: [],
  };
}

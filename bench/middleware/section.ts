/**
 * Section 1: middleware throughput. Every variant is its own server process pinned to the server
 * core; wrk, pinned to the other core, drives them in interleaved rounds, the order reversed every
 * other round (A B C, C B A, …), so that drift on a shared machine spreads over all variants alike
 * and no variant always runs right after the same neighbour or at the same point of a round.
 *
 * Figures: wall-clock req/s, and req/s per server core = requests / server CPU seconds (from
 * /proc/<pid>/stat), which is what one fully available core would serve: on a busy machine the
 * server does not always get its whole core, and this is what the ratios and costs are built from.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { request } from 'undici';
import {
  fmtInt,
  fmtPct,
  fmtRange,
  fmtTimes,
  rangeVerdict,
  type TargetResult,
  table,
} from '../lib/format.js';
import { BENCH_SRC } from '../lib/paths.js';
import { CAN_PIN, coreTicks, LOAD_CORE, processCpuSeconds, SERVER_CORE } from '../lib/procs.js';
import type { Context, SectionResult } from '../lib/section.js';
import { type ServerHandle, startServer } from '../lib/server.js';
import { type Summary, summarize } from '../lib/stats.js';
import type { CorsRequestSpec, LoadGenerator, RequestKind } from './load.js';
import { VARIANTS, type Variant } from './variants.js';

interface AdaptersModule {
  readonly CORSPROOF_ADAPTERS: Readonly<Record<string, { readonly modules: readonly string[] }>>;
  findAdapterModule(key: string): string | undefined;
}

interface PolicyModule {
  readonly ORIGIN: string;
  readonly REQUEST_METHOD: string;
  readonly REQUEST_HEADERS: string;
}

interface Sample {
  readonly rps: number;
  readonly perCore: number;
  readonly serverShare: number;
  readonly loadShare: number;
  /** Share of the server core taken by other processes while the server was measured. */
  readonly foreign: number;
  readonly errors: number;
  readonly bytesPerResponse: number;
  readonly p50us: number;
}

interface Probe {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
}

interface Running {
  readonly variant: Variant;
  readonly server: ServerHandle;
  readonly probes: Record<RequestKind, Probe>;
  readonly samples: Record<RequestKind, Sample[]>;
}

const KINDS: readonly RequestKind[] = ['preflight', 'actual'];
const KIND_TITLE: Record<RequestKind, string> = {
  preflight: 'Preflight: OPTIONS with Origin, Access-Control-Request-Method: PUT and -Headers',
  actual: 'Actual request: GET with Origin',
};

async function importBench<T>(relative: string): Promise<T> {
  return (await import(pathToFileURL(join(BENCH_SRC, relative)).href)) as T;
}

async function probe(url: string, kind: RequestKind, spec: CorsRequestSpec): Promise<Probe> {
  const headers: Record<string, string> =
    kind === 'preflight'
      ? {
          origin: spec.origin,
          'access-control-request-method': spec.requestMethod,
          'access-control-request-headers': spec.requestHeaders,
        }
      : { origin: spec.origin };
  const res = await request(url, { method: kind === 'preflight' ? 'OPTIONS' : 'GET', headers });
  await res.body.dump();
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(res.headers)) {
    if (value !== undefined) out[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return { status: res.statusCode, headers: out };
}

/** Why a variant's answers make its figures meaningless, or null when they are as expected. */
function probeProblem(
  variant: Variant,
  probes: Record<RequestKind, Probe>,
  origin: string,
): string | null {
  for (const kind of KINDS) {
    const p = probes[kind];
    if (p.status < 200 || p.status > 299) return `${kind} answered ${p.status}`;
    if (variant.role === 'bare') continue;
    if (p.headers['access-control-allow-origin'] !== origin) {
      return `${kind} answered without Access-Control-Allow-Origin: ${origin}`;
    }
    if (p.headers['access-control-allow-credentials'] !== 'true') {
      return `${kind} answered without Access-Control-Allow-Credentials: true`;
    }
  }
  return null;
}

async function measure(
  gen: LoadGenerator,
  running: Running,
  kind: RequestKind,
  spec: CorsRequestSpec,
  seconds: number,
  connections: number,
): Promise<Sample> {
  const pid = running.server.pid;
  const cpu0 = processCpuSeconds(pid);
  const core0 = coreTicks(SERVER_CORE);
  const r = await gen.run({ url: running.server.url, kind, request: spec, seconds, connections });
  const cpu1 = processCpuSeconds(pid);
  const core1 = coreTicks(SERVER_CORE);
  const serverCpu = cpu1 - cpu0;
  const wall = r.seconds;
  return {
    rps: r.requests / wall,
    perCore: r.requests / serverCpu,
    serverShare: serverCpu / wall,
    loadShare: r.cpuSeconds / wall,
    foreign: Math.max(0, (core1.busy - core0.busy - serverCpu) / (core1.total - core0.total)),
    errors: r.errors,
    bytesPerResponse: r.bytes / Math.max(1, r.requests),
    p50us: r.p50us,
  };
}

const SHORT: Record<string, string> = {
  'access-control-allow-origin': 'ACAO',
  'access-control-allow-credentials': 'ACAC',
  'access-control-allow-methods': 'ACAM',
  'access-control-allow-headers': 'ACAH',
  'access-control-max-age': 'ACMA',
  'access-control-expose-headers': 'ACEH',
  vary: 'Vary',
};

function describeProbe(p: Probe): string {
  const parts = Object.entries(SHORT)
    .filter(([name]) => p.headers[name] !== undefined)
    .map(([name, short]) =>
      name === 'access-control-allow-origin' || name === 'access-control-allow-credentials'
        ? short
        : `${short}: ${p.headers[name]}`,
    );
  return `${p.status}${parts.length > 0 ? ` · ${parts.join(' · ')}` : ''}`;
}

/** Per-round values of f(variant sample, reference sample), for rounds where both were measured. */
function perRound(
  a: readonly Sample[],
  b: readonly Sample[] | undefined,
  f: (x: Sample, y: Sample) => number,
): Summary {
  if (b === undefined) return summarize([]);
  const values: number[] = [];
  for (let i = 0; i < Math.min(a.length, b.length); i++) values.push(f(a[i]!, b[i]!));
  return summarize(values);
}

/** What the peers leave out, so that their figures are read for what they are. */
const PEERS_DO_LESS =
  '**What the peers do less of.** With one origin configured as a string (as their READMEs show), `cors`, `@koa/cors` and `@fastify/cors` send it to every request without comparing it with the Origin header: they decide nothing, a refused origin costs them no more than an allowed one, and the browser does the refusing (`hono/cors` does compare). `@fastify/cors` sends no `Vary: Origin` for such an origin (right, as its answer does not vary on Origin). All four answer every preflight with the whole configured method list rather than the method asked for, and with request headers configured none of them reads Access-Control-Request-Headers. corsproof compares the origin, checks and echoes only what was asked, and sends `Vary` on every answer that depends on the request.';

const costUs = (x: Sample, bare: Sample) => 1e6 * (1 / x.perCore - 1 / bare.perCore);

export async function middlewareSection(ctx: Context): Promise<SectionResult> {
  const { options, log } = ctx;
  const title = '1. Middleware throughput';
  process.env.BENCH_DIST = options.target.lib;
  const adapters = await importBench<AdaptersModule>('servers/_adapters.mjs');
  const policy = await importBench<PolicyModule>('servers/_policy.mjs');
  const spec: CorsRequestSpec = {
    origin: policy.ORIGIN,
    requestMethod: policy.REQUEST_METHOD,
    requestHeaders: policy.REQUEST_HEADERS,
  };
  const gen = ctx.loadGenerator();
  const notes: string[] = [];

  // Which adapter folders exist that no variant benchmarks: say so, so they get a server mode.
  const adaptersDir = join(options.target.lib, 'adapters');
  const known = new Set(
    Object.values(adapters.CORSPROOF_ADAPTERS).flatMap((a) =>
      a.modules.map((m) => m.split('/')[1]),
    ),
  );
  if (existsSync(adaptersDir)) {
    for (const dir of readdirSync(adaptersDir, { withFileTypes: true })) {
      if (dir.isDirectory() && !known.has(dir.name)) {
        notes.push(
          `dist/adapters/${dir.name}/ has no benchmark variant yet (add one in bench/servers).`,
        );
      }
    }
  }

  const running: Running[] = [];
  try {
    const frameworks = options.frameworks;
    if (frameworks !== null) {
      const known = new Set(VARIANTS.map((v) => v.id.split('-')[0]));
      for (const f of frameworks) {
        if (!known.has(f)) {
          throw new Error(
            `bench: unknown framework ${JSON.stringify(f)} in --frameworks; use ${[...known].join(', ')}`,
          );
        }
      }
    }
    const chosen = VARIANTS.filter(
      (v) =>
        frameworks === null || v.id === 'node-limit' || frameworks.includes(v.id.split('-')[0]!),
    );
    for (const variant of chosen) {
      if (
        variant.adapter !== undefined &&
        adapters.findAdapterModule(variant.adapter) === undefined
      ) {
        const where = adapters.CORSPROOF_ADAPTERS[variant.adapter]?.modules.map((m) => `dist/${m}`);
        notes.push(
          `skipped ${variant.framework} · ${variant.label}: ${where?.join(' or ')} not built yet.`,
        );
        continue;
      }
      try {
        const server = await startServer(variant.script, variant.mode, {
          dist: options.target.lib,
        });
        const probes = {
          preflight: await probe(server.url, 'preflight', spec),
          actual: await probe(server.url, 'actual', spec),
        };
        const problem = probeProblem(variant, probes, spec.origin);
        if (problem !== null) {
          await server.stop();
          notes.push(`skipped ${variant.framework} · ${variant.label}: ${problem}.`);
          continue;
        }
        running.push({ variant, server, probes, samples: { preflight: [], actual: [] } });
      } catch (error) {
        notes.push(
          `skipped ${variant.framework} · ${variant.label}: ${error instanceof Error ? error.message : String(error)}`,
        );
      }
    }
    log(`[middleware] ${running.length} servers up; warming up`);
    for (const r of running) {
      for (const kind of KINDS) {
        await gen.run({
          url: r.server.url,
          kind,
          request: spec,
          seconds: options.warmupSeconds,
          connections: options.connections,
        });
      }
    }
    for (let round = 0; round < options.rounds; round++) {
      // Reversed every other round: a variant's neighbour and position change, so neither a
      // slow drift of the machine nor a variant heating the core for the next one favours any.
      const order = round % 2 === 0 ? running : [...running].reverse();
      for (const kind of KINDS) {
        for (const r of order) {
          const s = await measure(gen, r, kind, spec, options.seconds, options.connections);
          r.samples[kind].push(s);
          log(
            `[middleware] round ${round + 1}/${options.rounds} ${kind} ${r.variant.id}: ${fmtInt(s.rps)} req/s, ${fmtInt(s.perCore)} per core, server ${fmtPct(s.serverShare)}${s.errors > 0 ? `, ${s.errors} errors` : ''}`,
          );
        }
      }
    }
  } finally {
    await Promise.all(running.map((r) => r.server.stop()));
  }

  const byId = new Map(running.map((r) => [r.variant.id, r]));
  const targets: TargetResult[] = [];
  const sections: string[] = [];
  for (const kind of KINDS) {
    const limit = byId.get('node-limit')?.samples[kind];
    const rows: string[][] = [];
    for (const r of running) {
      const s = r.samples[kind];
      const framework = r.variant.id.split('-')[0];
      const bare = running.find((x) => x.variant.id === `${framework}-bare`)?.samples[kind];
      const peer = running.find((x) => x.variant.id === `${framework}-peer`)?.samples[kind];
      const vsLimit = perRound(s, limit, (x, y) => x.perCore / y.perCore);
      const cost = r.variant.role === 'bare' ? summarize([]) : perRound(s, bare, costUs);
      const checks: string[] = [];
      if (r.variant.role === 'corsproof') {
        if (r.variant.id === 'node-corsproof') {
          const floor = byId.get('node-limit-read')?.samples[kind];
          const vsFloor = perRound(s, floor, (x, y) => x.perCore / y.perCore);
          const v = rangeVerdict(vsFloor, '≥', 0.95);
          checks.push(`≥ 95% of the floor: ${v}`);
          targets.push({
            section: title,
            target: `${kind}: corsproof node:http adapter ≥ 95% of the floor (limit + reads)`,
            figure: fmtRange(vsFloor, fmtPct),
            verdict: v,
          });
        }
        const costV = rangeVerdict(cost, '≤', 2);
        checks.push(`≤ 2 µs: ${costV}`);
        targets.push({
          section: title,
          target: `${kind}: CORS cost ≤ 2 µs/request, ${r.variant.framework} · ${r.variant.label}`,
          figure: `${fmtRange(cost)} µs`,
          verdict: costV,
        });
        if (r.variant.id === 'hono-corsproof' && bare !== undefined) {
          // Server CPU per request with corsproof over the same without CORS.
          const perRequest = perRound(s, bare, (x, y) => y.perCore / x.perCore);
          const v = rangeVerdict(perRequest, '≤', 1.5);
          checks.push(`≤ 1.5× bare: ${v}`);
          targets.push({
            section: title,
            target: `${kind}: ${r.variant.framework} · ${r.variant.label} ≤ 1.5× the bare framework's CPU per request`,
            figure: fmtRange(perRequest, fmtTimes),
            verdict: v,
          });
        }
        if (peer !== undefined) {
          const vsPeer = perRound(s, peer, (x, y) => x.perCore / y.perCore);
          const v = rangeVerdict(vsPeer, '≥', 1);
          checks.push(`≥ peer: ${v}`);
          targets.push({
            section: title,
            target: `${kind}: ${r.variant.framework} · ${r.variant.label} at least as fast as its peer`,
            figure: `${fmtRange(vsPeer, fmtPct)} of the peer's req/s per core`,
            verdict: v,
          });
        }
      }
      const med = (f: (x: Sample) => number) => summarize(s.map(f)).median;
      rows.push([
        r.variant.framework,
        r.variant.label,
        fmtRange(summarize(s.map((x) => x.rps)), fmtInt),
        fmtRange(summarize(s.map((x) => x.perCore)), fmtInt),
        fmtRange(vsLimit, fmtPct),
        r.variant.role === 'bare' ? '—' : `${fmtRange(cost)}`,
        `${fmtPct(med((x) => x.serverShare))} (+${fmtPct(med((x) => x.foreign))} other)`,
        fmtPct(med((x) => x.loadShare)),
        checks.length > 0 ? checks.join('; ') : '',
      ]);
    }
    sections.push(
      `### ${KIND_TITLE[kind]}\n\n${table(
        [
          'framework',
          'variant',
          'req/s',
          'req/s per server core',
          'vs limit (per core)',
          'CORS cost µs/req',
          'server core: server (+ others)',
          `${gen.name} CPU`,
          'target',
        ],
        rows,
      )}`,
    );
  }

  const errorLines = running.flatMap((r) =>
    KINDS.flatMap((kind) => {
      const n = r.samples[kind].reduce((a, s) => a + s.errors, 0);
      return n > 0
        ? [`${r.variant.id} ${kind}: ${n} errors or non-2xx answers during measurement.`]
        : [];
    }),
  );
  const answers = table(
    ['framework', 'variant', 'preflight answer', 'bytes', 'actual answer', 'bytes'],
    running.map((r) => [
      r.variant.framework,
      r.variant.label,
      describeProbe(r.probes.preflight),
      fmtInt(summarize(r.samples.preflight.map((s) => s.bytesPerResponse)).median),
      describeProbe(r.probes.actual),
      fmtInt(summarize(r.samples.actual.map((s) => s.bytesPerResponse)).median),
    ]),
  );

  const markdown = [
    `Load: ${gen.name} ${gen.version}${gen.name === 'wrk' ? ', 1 thread' : ''}, ${options.connections} keep-alive connections, ${options.seconds} s per measurement after ${options.warmupSeconds} s of warm-up per server and request kind; ${options.rounds} interleaved round(s), the order of variants reversed every other round; median (min–max) over rounds. ${CAN_PIN ? `Load generator pinned to core ${LOAD_CORE}, every server to core ${SERVER_CORE}` : 'Not pinned (taskset or a second core missing)'}.`,
    'Policy (bench/servers/_policy.mjs): one allowed origin, credentials, methods PUT and DELETE, request headers Content-Type and X-Requested-With, max-age 600; each peer gets the same policy in its own options (a string origin, as their READMEs configure one origin).',
    "The **limit** is bare node:http writing the same CORS headers as constants with the same `setHeader` calls, deciding nothing; the **floor** (limit + reads) does the same after reading the three CORS request headers from `rawHeaders`, the cheapest way Node offers (it leaves the lazy `req.headers` unbuilt): every CORS middleware must read them, so the floor is what corsproof's node:http adapter is held to.",
    PEERS_DO_LESS,
    "**req/s per server core** = requests ÷ server CPU seconds (utime+stime from /proc): what the server does with one whole core, whatever else runs on the machine. **vs limit** and **CORS cost** are computed per round from it, then the median taken: CORS cost = 1/rate(with CORS) − 1/rate(same framework, no CORS), in µs of server CPU per request. **server core** = the server's share of its core (others = what other processes took of that core meanwhile); wrk CPU = the load generator's CPU over wall time.",
    ...sections,
    ...(notes.length > 0 ? [`Notes:\n\n${notes.map((n) => `- ${n}`).join('\n')}`] : []),
    ...(errorLines.length > 0 ? [`Errors:\n\n${errorLines.map((n) => `- ${n}`).join('\n')}`] : []),
    `<details><summary>What each variant answered (CORS headers, bytes per response on the wire)</summary>\n\n${answers}\n\n</details>`,
  ].join('\n\n');
  return { title, markdown, targets };
}

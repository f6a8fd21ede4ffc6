/**
 * The client side of the checker and auditor benchmarks, run as its own process pinned to the load
 * core: `concurrency` loops each doing one operation after another, for `seconds` or until `count`
 * operations are done. Prints one JSON line: operations, time, its own CPU and memory.
 */
import { Agent, request } from 'undici';
import { loadAuditor } from '../glue/auditor.js';
import { loadChecker } from '../glue/checker.js';

export type ClientMode =
  | 'undici-simple'
  | 'undici-preflight'
  | 'check-simple'
  | 'check-preflight'
  | 'audit';

export interface ClientInput {
  readonly mode: ClientMode;
  readonly dist: string;
  readonly url: string;
  readonly origin: string;
  readonly concurrency: number;
  readonly seconds?: number;
  readonly count?: number;
  /** Seconds of the same load before measuring (connections opened, code optimized). */
  readonly warmupSeconds?: number;
}

export interface ClientOutput {
  readonly ops: number;
  readonly failures: number;
  readonly firstFailure: string | null;
  readonly seconds: number;
  readonly cpuSeconds: number;
  readonly peakRssMiB: number;
  readonly peakHeapMiB: number;
  /** Heap used after a full GC, when a tenth of `count` was done, and at the end. */
  readonly heapAfterGcMiB: { readonly early: number; readonly end: number } | null;
}

/** What the preflighted request asks for: a PUT with a JSON body type and a custom header. */
export const PREFLIGHTED = {
  method: 'PUT',
  headers: { 'content-type': 'application/json', 'x-requested-with': 'XMLHttpRequest' },
  requestHeaders: 'content-type,x-requested-with',
} as const;

const input = JSON.parse(process.argv[2] ?? '{}') as ClientInput;
const dispatcher = new Agent({ connections: input.concurrency, keepAliveTimeout: 10_000 });
const gc = (globalThis as { gc?: () => void }).gc;
const MiB = 2 ** 20;

async function send(method: string, headers: Record<string, string>): Promise<boolean> {
  const res = await request(input.url, { method, headers, dispatcher });
  await res.body.dump();
  return res.statusCode >= 200 && res.statusCode < 300;
}

async function operation(): Promise<() => Promise<boolean | string>> {
  const origin = input.origin;
  switch (input.mode) {
    case 'undici-simple':
      return () => send('GET', { origin });
    case 'undici-preflight':
      return async () =>
        (await send('OPTIONS', {
          origin,
          'access-control-request-method': PREFLIGHTED.method,
          'access-control-request-headers': PREFLIGHTED.requestHeaders,
        })) && send(PREFLIGHTED.method, { origin, ...PREFLIGHTED.headers });
    case 'check-simple':
    case 'check-preflight': {
      const check = await loadChecker(input.dist);
      if (check === null) throw new Error('checker not built');
      const preflighted = input.mode === 'check-preflight';
      return async () => {
        const r = await check({
          url: input.url,
          origin,
          method: preflighted ? PREFLIGHTED.method : 'GET',
          headers: preflighted ? PREFLIGHTED.headers : {},
          credentials: true,
          dispatcher,
        });
        return r.allowed || r.verdict;
      };
    }
    case 'audit': {
      const audit = await loadAuditor(input.dist);
      if (audit === null) throw new Error('auditor not built');
      return async () => {
        await audit({ url: input.url, origin, dispatcher });
        return true;
      };
    }
  }
}

async function warmUp(op: () => Promise<unknown>, seconds: number): Promise<void> {
  const end = performance.now() + seconds * 1000;
  const loop = async () => {
    while (performance.now() < end) await op().catch(() => {});
  };
  await Promise.all(Array.from({ length: input.concurrency }, loop));
}

async function main(): Promise<ClientOutput> {
  const op = await operation();
  if (input.warmupSeconds) await warmUp(op, input.warmupSeconds);
  let ops = 0;
  let started = 0;
  let failures = 0;
  let firstFailure: string | null = null;
  let peakRss = 0;
  let peakHeap = 0;
  let early: number | null = null;
  const sampleMemory = () => {
    const m = process.memoryUsage();
    peakRss = Math.max(peakRss, m.rss);
    peakHeap = Math.max(peakHeap, m.heapUsed);
  };
  const timer = setInterval(sampleMemory, 100);
  // Tells the bench the measured window starts (it reads the server's CPU time then).
  await new Promise<void>((resolve) => process.stdout.write('BENCH_START\n', () => resolve()));
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const deadline =
    input.seconds === undefined ? Number.POSITIVE_INFINITY : t0 + input.seconds * 1000;
  const count = input.count ?? Number.POSITIVE_INFINITY;
  const loop = async () => {
    while (performance.now() < deadline && started < count) {
      started++;
      let outcome: boolean | string;
      try {
        outcome = await op();
      } catch (error) {
        outcome = error instanceof Error ? error.message : String(error);
      }
      ops++;
      if (outcome !== true) {
        failures++;
        firstFailure ??= outcome === false ? 'a non-2xx answer' : outcome;
      }
      if (
        early === null &&
        input.count !== undefined &&
        ops === Math.floor(input.count / 10) &&
        gc
      ) {
        sampleMemory();
        gc();
        early = process.memoryUsage().heapUsed;
      }
    }
  };
  await Promise.all(Array.from({ length: input.concurrency }, loop));
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  await new Promise<void>((resolve) => process.stdout.write('BENCH_END\n', () => resolve()));
  clearInterval(timer);
  sampleMemory();
  let end: number | null = null;
  if (gc && early !== null) {
    gc();
    end = process.memoryUsage().heapUsed;
  }
  await dispatcher.close();
  return {
    ops,
    failures,
    firstFailure,
    seconds,
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
    peakRssMiB: peakRss / MiB,
    peakHeapMiB: peakHeap / MiB,
    heapAfterGcMiB: early !== null && end !== null ? { early: early / MiB, end: end / MiB } : null,
  };
}

main().then(
  (out) => {
    process.stdout.write(`${JSON.stringify(out)}\n`);
    process.exit(0);
  },
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);

/**
 * The client side of the checker and auditor benchmarks, run as its own process pinned to the load
 * core: `concurrency` loops each doing one operation after another, for `seconds` or until `count`
 * operations are done. Prints one JSON line: operations, time, its own CPU and memory.
 *
 * With `interleave`, it measures several kinds of operation side by side instead: short slices of
 * each in turn, round-robin, all through the one connection pool, each slice's operations and CPU
 * time added to its kind's account. On a shared machine whose speed drifts by the second, every
 * kind then sees the same drift, which measuring them one after the other for seconds does not give.
 */
import { Agent, request } from 'undici';
import { loadAuditor } from '../glue/auditor.js';
import { loadChecker } from '../glue/checker.js';
import { PREFLIGHTED, type ReplayRequest } from './requests.js';

export type ClientMode = 'undici' | 'check-simple' | 'check-preflight' | 'audit';

/** One kind of operation in an interleaved run. */
export interface InterleavedKind {
  readonly label: string;
  readonly mode: ClientMode;
  readonly requests?: readonly ReplayRequest[];
}

export interface ClientInput {
  readonly mode: ClientMode;
  readonly dist: string;
  readonly url: string;
  readonly origin: string;
  readonly concurrency: number;
  /** For `undici`: the requests one operation sends, one after the other. */
  readonly requests?: readonly ReplayRequest[];
  readonly seconds?: number;
  readonly count?: number;
  /** Seconds of the same load before measuring (connections opened, code optimized). */
  readonly warmupSeconds?: number;
  /** Measure these kinds side by side (`mode` and `requests` are then ignored). */
  readonly interleave?: { readonly kinds: readonly InterleavedKind[]; readonly sliceMs: number };
}

/** One kind's account in an interleaved run. */
export interface KindOutput {
  readonly ops: number;
  readonly failures: number;
  readonly firstFailure: string | null;
  /** Wall-clock seconds of its slices. */
  readonly seconds: number;
  readonly cpuSeconds: number;
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
  /** Per kind, in an interleaved run. */
  readonly kinds?: Readonly<Record<string, KindOutput>>;
}

const input = JSON.parse(process.argv[2] ?? '{}') as ClientInput;
const dispatcher = new Agent({ connections: input.concurrency, keepAliveTimeout: 10_000 });
const gc = (globalThis as { gc?: () => void }).gc;
const MiB = 2 ** 20;

async function send(method: string, headers: string[]): Promise<boolean> {
  const res = await request(input.url, { method, headers, dispatcher });
  await res.body.dump();
  return res.statusCode >= 200 && res.statusCode < 300;
}

type Operation = () => Promise<boolean | string>;

async function operation(
  mode: ClientMode,
  replay: readonly ReplayRequest[] | undefined,
): Promise<Operation> {
  const origin = input.origin;
  switch (mode) {
    case 'undici': {
      const requests = (replay ?? []).map((r) => ({
        method: r.method,
        // undici's flat form [name, value, name, value, ...] keeps order and repeats.
        headers: r.headers.flat(),
      }));
      if (requests.length === 0) throw new Error('undici mode needs the requests to send');
      return async () => {
        for (const r of requests) if (!(await send(r.method, r.headers))) return false;
        return true;
      };
    }
    case 'check-simple':
    case 'check-preflight': {
      const check = await loadChecker(input.dist);
      if (check === null) throw new Error('checker not built');
      const preflighted = mode === 'check-preflight';
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

/**
 * Round-robin slices of each kind until each has had `seconds` of load. A slice ends by letting
 * the operations in flight finish (no new ones start), so each operation is counted, and its CPU
 * time charged, in its own kind's slice.
 */
async function interleaved(
  kinds: readonly InterleavedKind[],
  sliceMs: number,
): Promise<ClientOutput> {
  const ops = await Promise.all(kinds.map((k) => operation(k.mode, k.requests)));
  if (input.warmupSeconds) {
    for (const op of ops) await warmUp(op, input.warmupSeconds / ops.length);
  }
  const accounts = kinds.map(() => ({
    ops: 0,
    failures: 0,
    firstFailure: null as string | null,
    seconds: 0,
    cpuSeconds: 0,
  }));
  const seconds = input.seconds ?? 1;
  const slices = Math.max(1, Math.round((seconds * 1000) / sliceMs));
  await new Promise<void>((resolve) => process.stdout.write('BENCH_START\n', () => resolve()));
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  for (let slice = 0; slice < slices; slice++) {
    for (let k = 0; k < kinds.length; k++) {
      const op = ops[k] as Operation;
      const account = accounts[k] as (typeof accounts)[number];
      const cpuStart = process.cpuUsage();
      const start = performance.now();
      const end = start + sliceMs;
      const loop = async () => {
        while (performance.now() < end) {
          let outcome: boolean | string;
          try {
            outcome = await op();
          } catch (error) {
            outcome = error instanceof Error ? error.message : String(error);
          }
          account.ops++;
          if (outcome !== true) {
            account.failures++;
            account.firstFailure ??= outcome === false ? 'a non-2xx answer' : outcome;
          }
        }
      };
      await Promise.all(Array.from({ length: input.concurrency }, loop));
      const cpu = process.cpuUsage(cpuStart);
      account.cpuSeconds += (cpu.user + cpu.system) / 1e6;
      account.seconds += (performance.now() - start) / 1000;
    }
  }
  const total = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  await new Promise<void>((resolve) => process.stdout.write('BENCH_END\n', () => resolve()));
  await dispatcher.close();
  const m = process.memoryUsage();
  return {
    ops: accounts.reduce((a, k) => a + k.ops, 0),
    failures: accounts.reduce((a, k) => a + k.failures, 0),
    firstFailure: accounts.find((k) => k.firstFailure !== null)?.firstFailure ?? null,
    seconds: total,
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
    peakRssMiB: m.rss / MiB,
    peakHeapMiB: m.heapUsed / MiB,
    heapAfterGcMiB: null,
    kinds: Object.fromEntries(kinds.map((k, i) => [k.label, accounts[i] as KindOutput])),
  };
}

async function main(): Promise<ClientOutput> {
  if (input.interleave) return interleaved(input.interleave.kinds, input.interleave.sliceMs);
  const op = await operation(input.mode, input.requests);
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

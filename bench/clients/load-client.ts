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
import { Agent, type Dispatcher, request } from 'undici';
import { loadAuditor } from '../glue/auditor.js';
import { loadCheckCall, verdictOf } from '../glue/checker.js';
import { PREFLIGHTED, type ReplayRequest } from './requests.js';

export type ClientMode = 'undici' | 'dispatch' | 'check-simple' | 'check-preflight' | 'audit';

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
  /** For `undici` and `dispatch`: the requests one operation sends, one after the other. */
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

/**
 * Sends one request with undici's `dispatch` (the entry the checker itself uses) and reads the
 * whole answer: status, header lines, body. No URL to parse, no body stream, options built once.
 */
function dispatchOnce(options: Dispatcher.DispatchOptions): Promise<boolean> {
  return new Promise((resolve) => {
    let status = 0;
    let bytes = 0;
    dispatcher.dispatch(options, {
      onRequestStart() {},
      onResponseStart(_controller, statusCode) {
        status = statusCode;
      },
      onResponseData(_controller, chunk) {
        bytes += chunk.length;
      },
      onResponseEnd() {
        resolve(status >= 200 && status < 300 && bytes >= 0);
      },
      onResponseError() {
        resolve(false);
      },
    });
  });
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
    case 'dispatch': {
      const { origin: urlOrigin, pathname, search } = new URL(input.url);
      const requests = (replay ?? []).map(
        (r): Dispatcher.DispatchOptions => ({
          origin: urlOrigin,
          path: `${pathname}${search}`,
          method: r.method as Dispatcher.HttpMethod,
          headers: r.headers.flat(),
          body: null,
        }),
      );
      if (requests.length === 0) throw new Error('dispatch mode needs the requests to send');
      return async () => {
        for (const r of requests) if (!(await dispatchOnce(r))) return false;
        return true;
      };
    }
    case 'check-simple':
    case 'check-preflight': {
      const check = await loadCheckCall(input.dist);
      if (check === null) throw new Error('checker not built');
      const preflighted = mode === 'check-preflight';
      return async () => {
        const r = verdictOf(
          await check({
            url: input.url,
            origin,
            method: preflighted ? PREFLIGHTED.method : 'GET',
            headers: preflighted ? PREFLIGHTED.headers : {},
            credentials: true,
            dispatcher,
          }),
        );
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

/** Operations done and failed, with the first failure's reason. */
interface Tally {
  ops: number;
  failures: number;
  firstFailure: string | null;
}

const newTally = (): Tally => ({ ops: 0, failures: 0, firstFailure: null });

/** Runs one operation and counts it: a thrown error or anything but `true` is a failure. */
async function attempt(op: Operation, tally: Tally): Promise<void> {
  let outcome: boolean | string;
  try {
    outcome = await op();
  } catch (error) {
    outcome = error instanceof Error ? error.message : String(error);
  }
  tally.ops++;
  if (outcome !== true) {
    tally.failures++;
    tally.firstFailure ??= outcome === false ? 'a non-2xx answer' : outcome;
  }
}

/** Peak RSS and heap used, sampled every 100 ms until `stop`. */
function memorySampler() {
  let rss = 0;
  let heap = 0;
  const sample = () => {
    const m = process.memoryUsage();
    rss = Math.max(rss, m.rss);
    heap = Math.max(heap, m.heapUsed);
  };
  const timer = setInterval(sample, 100);
  return {
    sample,
    stop(): { peakRssMiB: number; peakHeapMiB: number } {
      clearInterval(timer);
      sample();
      return { peakRssMiB: rss / MiB, peakHeapMiB: heap / MiB };
    },
  };
}

/** Tells the bench the measured window starts or ends (it reads the server's CPU time then). */
function mark(line: 'BENCH_START' | 'BENCH_END'): Promise<void> {
  return new Promise<void>((resolve) => process.stdout.write(`${line}\n`, () => resolve()));
}

const cpuSecondsSince = (start: NodeJS.CpuUsage): number => {
  const cpu = process.cpuUsage(start);
  return (cpu.user + cpu.system) / 1e6;
};

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
  const accounts = kinds.map(() => ({ ...newTally(), seconds: 0, cpuSeconds: 0 }));
  const seconds = input.seconds ?? 1;
  const slices = Math.max(1, Math.round((seconds * 1000) / sliceMs));
  const memory = memorySampler();
  await mark('BENCH_START');
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
        while (performance.now() < end) await attempt(op, account);
      };
      await Promise.all(Array.from({ length: input.concurrency }, loop));
      account.cpuSeconds += cpuSecondsSince(cpuStart);
      account.seconds += (performance.now() - start) / 1000;
    }
  }
  const total = (performance.now() - t0) / 1000;
  const cpuSeconds = cpuSecondsSince(cpu0);
  await mark('BENCH_END');
  await dispatcher.close();
  return {
    ops: accounts.reduce((a, k) => a + k.ops, 0),
    failures: accounts.reduce((a, k) => a + k.failures, 0),
    firstFailure: accounts.find((k) => k.firstFailure !== null)?.firstFailure ?? null,
    seconds: total,
    cpuSeconds,
    ...memory.stop(),
    heapAfterGcMiB: null,
    kinds: Object.fromEntries(kinds.map((k, i) => [k.label, accounts[i] as KindOutput])),
  };
}

async function main(): Promise<ClientOutput> {
  if (input.interleave) return interleaved(input.interleave.kinds, input.interleave.sliceMs);
  const op = await operation(input.mode, input.requests);
  if (input.warmupSeconds) await warmUp(op, input.warmupSeconds);
  const tally = newTally();
  let started = 0;
  let early: number | null = null;
  const memory = memorySampler();
  await mark('BENCH_START');
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const deadline =
    input.seconds === undefined ? Number.POSITIVE_INFINITY : t0 + input.seconds * 1000;
  const count = input.count ?? Number.POSITIVE_INFINITY;
  const loop = async () => {
    while (performance.now() < deadline && started < count) {
      started++;
      await attempt(op, tally);
      if (
        early === null &&
        input.count !== undefined &&
        tally.ops === Math.floor(input.count / 10) &&
        gc
      ) {
        memory.sample();
        gc();
        early = process.memoryUsage().heapUsed;
      }
    }
  };
  await Promise.all(Array.from({ length: input.concurrency }, loop));
  const seconds = (performance.now() - t0) / 1000;
  const cpuSeconds = cpuSecondsSince(cpu0);
  await mark('BENCH_END');
  const peaks = memory.stop();
  let end: number | null = null;
  if (gc && early !== null) {
    gc();
    end = process.memoryUsage().heapUsed;
  }
  await dispatcher.close();
  return {
    ...tally,
    seconds,
    cpuSeconds,
    ...peaks,
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

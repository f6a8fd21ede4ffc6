/**
 * The load generator: wrk (one thread, pinned to the load core) driven by bench/wrk/cors.lua. If
 * wrk is missing the bench installs it from Debian; only if that fails does it fall back to
 * autocannon through npx (the npm registry), which needs more CPU per request than wrk.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { BENCH_SRC } from '../lib/paths.js';
import { LOAD_CORE, reapedChildrenCpuSeconds, run } from '../lib/procs.js';

export type RequestKind = 'preflight' | 'actual';

export interface CorsRequestSpec {
  readonly origin: string;
  readonly requestMethod: string;
  readonly requestHeaders: string;
}

export interface LoadOptions {
  readonly url: string;
  readonly kind: RequestKind;
  readonly request: CorsRequestSpec;
  readonly seconds: number;
  readonly connections: number;
}

export interface LoadResult {
  readonly requests: number;
  readonly seconds: number;
  /** Connection errors, timeouts and non-2xx/3xx answers. */
  readonly errors: number;
  readonly p50us: number;
  readonly p99us: number;
  /** CPU seconds the load generator used (all its threads). */
  readonly cpuSeconds: number;
  /** Response bytes read (headers and body), when the generator reports them. */
  readonly bytes: number;
}

export interface LoadGenerator {
  readonly name: string;
  readonly version: string;
  run(options: LoadOptions): Promise<LoadResult>;
}

function commandWorks(command: string, args: string[]): string | null {
  const r = spawnSync(command, args, { encoding: 'utf8' });
  if (r.error) return null;
  return `${r.stdout}${r.stderr}`.split('\n')[0]?.trim() ?? '';
}

function wrk(version: string): LoadGenerator {
  return {
    name: 'wrk',
    version,
    async run(o) {
      const before = reapedChildrenCpuSeconds();
      const r = await run(
        'wrk',
        [
          '-t1',
          `-c${o.connections}`,
          `-d${Math.max(1, Math.round(o.seconds))}s`,
          '--timeout',
          '5s',
          '-s',
          join(BENCH_SRC, 'wrk', 'cors.lua'),
          o.url,
        ],
        {
          core: LOAD_CORE,
          env: {
            ...process.env,
            BENCH_MODE: o.kind,
            BENCH_ORIGIN: o.request.origin,
            BENCH_ACRM: o.request.requestMethod,
            BENCH_ACRH: o.request.requestHeaders,
          },
        },
      );
      const cpuSeconds = reapedChildrenCpuSeconds() - before;
      const line = r.stdout.split('\n').find((l) => l.startsWith('BENCH_RESULT '));
      if (line === undefined) throw new Error(`wrk failed (${r.code}): ${r.stderr || r.stdout}`);
      const j = JSON.parse(line.slice('BENCH_RESULT '.length)) as Record<string, number>;
      const n = (k: string) => j[k] ?? 0;
      return {
        requests: n('requests'),
        seconds: n('duration_us') / 1e6,
        errors: n('connect') + n('read') + n('write') + n('status') + n('timeout'),
        p50us: n('p50_us'),
        p99us: n('p99_us'),
        cpuSeconds,
        bytes: n('bytes'),
      };
    },
  };
}

const AUTOCANNON = 'autocannon@8';

function autocannon(): LoadGenerator {
  return {
    name: 'autocannon',
    version: `${AUTOCANNON.split('@')[1]} (through npx)`,
    async run(o) {
      const headers =
        o.kind === 'preflight'
          ? [
              `origin=${o.request.origin}`,
              `access-control-request-method=${o.request.requestMethod}`,
              `access-control-request-headers=${o.request.requestHeaders}`,
            ]
          : [`origin=${o.request.origin}`];
      const before = reapedChildrenCpuSeconds();
      const r = await run(
        'npx',
        [
          '--yes',
          AUTOCANNON,
          '--json',
          '-c',
          String(o.connections),
          '-d',
          String(o.seconds),
          '-m',
          o.kind === 'preflight' ? 'OPTIONS' : 'GET',
          ...headers.flatMap((h) => ['-H', h]),
          o.url,
        ],
        { core: LOAD_CORE },
      );
      const cpuSeconds = reapedChildrenCpuSeconds() - before;
      const start = r.stdout.indexOf('{');
      if (start === -1) throw new Error(`autocannon failed (${r.code}): ${r.stderr}`);
      const j = JSON.parse(r.stdout.slice(start)) as {
        requests: { total: number };
        duration: number;
        errors: number;
        timeouts: number;
        non2xx: number;
        latency: { p50: number; p99: number };
        throughput: { total: number };
      };
      return {
        requests: j.requests.total,
        seconds: j.duration,
        errors: j.errors + j.timeouts + j.non2xx,
        p50us: j.latency.p50 * 1000,
        p99us: j.latency.p99 * 1000,
        cpuSeconds,
        bytes: j.throughput.total,
      };
    },
  };
}

/** wrk if present, else installed with apt-get, else autocannon via npx. */
export function findLoadGenerator(
  log: (line: string) => void,
  preferred: 'wrk' | 'autocannon' = 'wrk',
): LoadGenerator {
  if (preferred === 'autocannon') return autocannon();
  let version = commandWorks('wrk', ['-v']);
  if (version === null) {
    log('bench: wrk not found; trying apt-get install -y wrk');
    let r = spawnSync('apt-get', ['install', '-y', 'wrk'], { stdio: 'inherit' });
    if (r.status !== 0) {
      spawnSync('apt-get', ['update'], { stdio: 'inherit' });
      r = spawnSync('apt-get', ['install', '-y', 'wrk'], { stdio: 'inherit' });
    }
    version = commandWorks('wrk', ['-v']);
  }
  if (version !== null) return wrk(version.replace(/^wrk\s+/, '').replace(/\s+Copyright.*$/, ''));
  log(`bench: wrk unavailable; falling back to ${AUTOCANNON} through npx`);
  return autocannon();
}

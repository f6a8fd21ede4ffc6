/**
 * Instructions per request, server side, under valgrind's callgrind: a figure the load of a shared
 * machine does not move (wall-clock req/s on a busy 2-core VM swings by 2× or more).
 *
 *   node bench/callgrind/per-request.mjs <framework> <mode>[,<mode>…] [--requests N] [--warmup N]
 *   node bench/callgrind/per-request.mjs hono bare,peer,corsproof
 *   node bench/callgrind/per-request.mjs node limit,limit-read,corsproof --kinds preflight
 *
 * Each mode's server (bench/servers/<framework>.mjs) runs under callgrind. After `--warmup`
 * requests of every kind (so the JIT has settled), and 100 more of the kind measured, the counters
 * are zeroed with callgrind_control, `--requests` more are sent over `--connections` keep-alive
 * connections (8 by default), and the counters are dumped: the instructions executed divided by
 * the requests. Everything the server does is counted (HTTP parsing, the event loop, the GC, JIT
 * threads), so differences between modes are what each adds; the main thread's share is reported
 * too, the steadier figure for frameworks whose garbage makes V8's helper threads mark and sweep
 * in some counted windows and not others (Express). Repeated `--repeat` times, modes
 * interleaved; JIT and GC timing still vary a little from run to run, which the min–max shows.
 * `--connections 1` takes the load out of the figure (see `send`). `--keep <dir>` keeps each dump
 * there for `callgrind_annotate` (where the instructions went: V8's builtins and Node's C++ by
 * name, JIT-compiled JS as unnamed addresses).
 * Uses the build in packages/corsproof/dist (BENCH_DIST to change it).
 */
import { execFileSync, spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Pool } from 'undici';
import { callgrindArgs, dumpCounters } from './_dump.mjs';

const HERE = fileURLToPath(new URL('.', import.meta.url));
const SERVERS = join(HERE, '..', 'servers');
const DIST = process.env.BENCH_DIST ?? join(HERE, '..', '..', 'packages', 'corsproof', 'dist');

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    requests: { type: 'string', default: '2000' },
    warmup: { type: 'string', default: '3000' },
    repeat: { type: 'string', default: '3' },
    kinds: { type: 'string', default: 'preflight,actual' },
    keep: { type: 'string' },
    connections: { type: 'string', default: '8' },
  },
});
const [framework, modeList] = positionals;
if (framework === undefined || modeList === undefined) {
  console.error('usage: node bench/callgrind/per-request.mjs <framework> <mode>[,<mode>…]');
  process.exit(2);
}
const modes = modeList.split(',');
const kinds = values.kinds.split(',');
const requests = Number(values.requests);
const warmup = Number(values.warmup);
const repeat = Number(values.repeat);
const connections = Number(values.connections);

const policy = await import(join(SERVERS, '_policy.mjs'));
const HEADERS = {
  preflight: {
    method: 'OPTIONS',
    headers: {
      origin: policy.ORIGIN,
      'access-control-request-method': policy.REQUEST_METHOD,
      'access-control-request-headers': policy.REQUEST_HEADERS,
    },
  },
  actual: { method: 'GET', headers: { origin: policy.ORIGIN } },
};

/** Starts one server under callgrind; resolves with its pid, URL and a stop function. */
function start(mode, outFile) {
  const child = spawn(
    'valgrind',
    [...callgrindArgs(outFile), process.execPath, join(SERVERS, `${framework}.mjs`), mode],
    {
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
      env: { ...process.env, BENCH_DIST: DIST, NODE_ENV: 'production' },
    },
  );
  let stderr = '';
  child.stderr.on('data', (d) => {
    stderr = (stderr + d).slice(-4000);
  });
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`${mode} exited (${code}): ${stderr}`)));
    child.on('message', (m) => {
      if (m?.error) reject(new Error(`${mode}: ${m.error}`));
      if (m?.ready) {
        resolve({
          pid: child.pid,
          url: `http://127.0.0.1:${m.port}`,
          stop: () =>
            new Promise((done) => {
              child.removeAllListeners('exit');
              child.once('exit', done);
              child.kill('SIGTERM');
            }),
        });
      }
    });
  });
}

/**
 * Sends `n` requests over `--connections` connections (8 by default). With several, how many
 * requests one wake-up of the server's event loop handles depends on how fast the client sends,
 * which the machine's load changes; with `--connections 1` every request is one wake-up, so the
 * count no longer depends on the load. A reset connection (a server under valgrind is slow, and
 * Node closes keep-alive sockets idle for 5 s) is retried: only answered requests count.
 */
async function send(url, kind, n) {
  const pool = new Pool(url, { connections, pipelining: 1, keepAliveTimeout: 1000 });
  let next = 0;
  let resets = 0;
  const worker = async () => {
    while (next < n) {
      next++;
      try {
        const res = await pool.request({ path: '/', ...HEADERS[kind] });
        await res.body.dump();
        if (res.statusCode >= 300) throw new Error(`${kind} answered ${res.statusCode}`);
      } catch (error) {
        if (error?.code !== 'ECONNRESET' || ++resets > 100) throw error;
        next--;
      }
    }
  };
  await Promise.all(Array.from({ length: connections }, worker));
  await pool.close();
}

const results = new Map();
for (let r = 0; r < repeat; r++) {
  const order = r % 2 === 0 ? modes : [...modes].reverse();
  for (const mode of order) {
    const outFile = join(tmpdir(), `bench-callgrind-${process.pid}-${mode}`);
    const server = await start(mode, outFile);
    try {
      // Every kind is warmed up before any is measured: code the JIT is still compiling for the
      // kind warmed up last would otherwise be counted against the first.
      for (const kind of kinds) await send(server.url, kind, warmup);
      for (const kind of kinds) {
        await send(server.url, kind, 100);
        execFileSync('callgrind_control', ['-z', String(server.pid)], { stdio: 'ignore' });
        await send(server.url, kind, requests);
        const { all, compile, main } = dumpCounters(
          server.pid,
          outFile,
          values.keep,
          `${framework}-${kind}-${mode}-${r + 1}`,
        );
        const key = `${kind}\t${mode}`;
        const entry = results.get(key) ?? { all: [], net: [], main: [] };
        entry.all.push(all / requests);
        entry.net.push((all - compile) / requests);
        entry.main.push(main / requests);
        results.set(key, entry);
        process.stderr.write(
          `round ${r + 1}/${repeat} ${kind} ${mode}: ${Math.round(all / requests)} instr/request, ${Math.round((all - compile) / requests)} without TurboFan, ${Math.round(main / requests)} on the main thread\n`,
        );
      }
    } finally {
      await server.stop();
      rmSync(outFile, { force: true });
    }
  }
}

const fmt = (x) => Math.round(x).toLocaleString('en-US');
const range = (values) => {
  const xs = [...values].sort((a, b) => a - b);
  return `${fmt(xs[Math.floor(xs.length / 2)])} (${fmt(xs[0])}–${fmt(xs.at(-1))})`;
};
console.log(
  `| kind | ${framework} mode | instructions per request, median (min–max) | without TurboFan's compiling | main thread only |`,
);
console.log('|---|---|---|---|---|');
for (const kind of kinds) {
  for (const mode of modes) {
    const { all, net, main } = results.get(`${kind}\t${mode}`);
    console.log(`| ${kind} | ${mode} | ${range(all)} | ${range(net)} | ${range(main)} |`);
  }
}

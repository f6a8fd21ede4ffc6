/**
 * Instructions per request, server side, under valgrind's callgrind: a figure the load of a shared
 * machine does not move (wall-clock req/s on a busy 2-core VM swings by 2× or more).
 *
 *   node bench/callgrind/per-request.mjs <framework> <mode>[,<mode>…] [--requests N] [--warmup N]
 *   node bench/callgrind/per-request.mjs hono bare,peer,corsproof
 *   node bench/callgrind/per-request.mjs node limit,limit-read,corsproof --kinds preflight
 *
 * Each mode's server (bench/servers/<framework>.mjs) runs under callgrind. After `--warmup`
 * requests of a kind (so the JIT has settled), the counters are zeroed with callgrind_control,
 * `--requests` more are sent over 8 keep-alive connections, and the counters are dumped: the
 * instructions executed divided by the requests. Everything the server does is counted (HTTP
 * parsing, the event loop, the GC), so differences between modes are what each adds. Repeated
 * `--repeat` times, modes interleaved; JIT and GC timing still vary a little from run to run,
 * which the min–max shows. Uses the build in packages/corsproof/dist (BENCH_DIST to change it).
 */
import { execFileSync, spawn } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Pool } from 'undici';

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
    [
      '--tool=callgrind',
      `--callgrind-out-file=${outFile}`,
      '--dump-instr=no',
      '--compress-strings=no',
      process.execPath,
      join(SERVERS, `${framework}.mjs`),
      mode,
    ],
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
 * Sends `n` requests over 8 connections. A reset connection (a server under valgrind is slow, and
 * Node closes keep-alive sockets idle for 5 s) is retried: only answered requests count.
 */
async function send(url, kind, n) {
  const pool = new Pool(url, { connections: 8, pipelining: 1, keepAliveTimeout: 1000 });
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
  await Promise.all(Array.from({ length: 8 }, worker));
  await pool.close();
}

/** Total instructions (Ir) in the latest callgrind dump of `outFile`. */
function dumpedInstructions(pid, outFile) {
  execFileSync('callgrind_control', ['-d', String(pid)], { stdio: 'ignore' });
  const files = execFileSync('sh', ['-c', `ls -1t ${outFile}.* 2>/dev/null || true`])
    .toString()
    .trim()
    .split('\n')
    .filter(Boolean);
  const text = readFileSync(files[0], 'utf8');
  const totals = /^(?:summary|totals):\s+(\d+)/m.exec(text);
  for (const f of files) rmSync(f, { force: true });
  return Number(totals?.[1] ?? Number.NaN);
}

const results = new Map();
for (let r = 0; r < repeat; r++) {
  const order = r % 2 === 0 ? modes : [...modes].reverse();
  for (const mode of order) {
    const outFile = join(tmpdir(), `bench-callgrind-${process.pid}-${mode}`);
    const server = await start(mode, outFile);
    try {
      for (const kind of kinds) {
        await send(server.url, kind, warmup);
        execFileSync('callgrind_control', ['-z', String(server.pid)], { stdio: 'ignore' });
        await send(server.url, kind, requests);
        const ir = dumpedInstructions(server.pid, outFile);
        const key = `${kind}\t${mode}`;
        results.set(key, [...(results.get(key) ?? []), ir / requests]);
        process.stderr.write(
          `round ${r + 1}/${repeat} ${kind} ${mode}: ${Math.round(ir / requests)} instr/request\n`,
        );
      }
    } finally {
      await server.stop();
      rmSync(outFile, { force: true });
    }
  }
}

const fmt = (x) => Math.round(x).toLocaleString('en-US');
console.log(`| kind | ${framework} mode | instructions per request, median (min–max) |`);
console.log('|---|---|---|');
for (const kind of kinds) {
  for (const mode of modes) {
    const xs = [...results.get(`${kind}\t${mode}`)].sort((a, b) => a - b);
    const median = xs[Math.floor(xs.length / 2)];
    console.log(`| ${kind} | ${mode} | ${fmt(median)} (${fmt(xs[0])}–${fmt(xs.at(-1))}) |`);
  }
}

#!/usr/bin/env node
// A short load against `corsproof serve`, for RELIABILITY.md's "load held" figures: the built
// CLI serves on a free loopback port with a fresh database, Debian's `wrk` sends two rounds
// (GET /api/health with an Origin, then the CORS preflight of POST /api/checks), and the server's
// resident memory is read from /proc before and after. Not part of `npm test`.
//
//   npm run build && node scripts/serve-load.mjs [seconds per round, default 15] [connections, default 32]
//
// The figures depend on the machine and on what else runs on it: quote them with the machine's
// load (printed) and never compare them with figures from another run.
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';

const seconds = Number(process.argv[2] ?? 15);
const connections = Number(process.argv[3] ?? 32);
const root = path.resolve(import.meta.dirname, '..');
const dir = mkdtempSync(path.join(tmpdir(), 'corsproof-load-'));
const origin = 'http://127.0.0.1:5173';

function rssMiB(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? Number.NaN);
  return Math.round((kib / 1024) * 10) / 10;
}

const child = spawn(
  process.execPath,
  [
    'bin/corsproof.js',
    'serve',
    '--port',
    '0',
    '--db',
    path.join(dir, 'load.db'),
    '--cors-origin',
    origin,
  ],
  { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] },
);
const base = await new Promise((resolve, reject) => {
  let out = '';
  child.stdout.on('data', (chunk) => {
    out += chunk;
    const match = /http:\/\/127\.0\.0\.1:\d+/.exec(out);
    if (match) resolve(match[0]);
  });
  child.once('exit', (code) => reject(new Error(`corsproof serve exited with ${code}: ${out}`)));
});

function wrk(label, url, mode) {
  const lua = path.join(root, 'bench/wrk/cors.lua');
  const out = execFileSync(
    'wrk',
    ['-t2', `-c${connections}`, `-d${seconds}s`, '--latency', '-s', lua, url],
    {
      env: {
        ...process.env,
        BENCH_MODE: mode,
        BENCH_ORIGIN: origin,
        BENCH_ACRM: 'POST',
        BENCH_ACRH: 'content-type',
      },
      encoding: 'utf8',
    },
  );
  const line = out.split('\n').find((l) => l.startsWith('BENCH_RESULT '));
  const r = JSON.parse(line.slice('BENCH_RESULT '.length));
  const perSecond = Math.round(r.requests / (r.duration_us / 1e6));
  const errors = r.connect + r.read + r.write + r.timeout;
  console.log(
    `${label}: ${r.requests} requests in ${(r.duration_us / 1e6).toFixed(1)} s = ${perSecond}/s, p50 ${(r.p50_us / 1000).toFixed(2)} ms, p99 ${(r.p99_us / 1000).toFixed(2)} ms, non-2xx ${r.status}, socket errors ${errors}`,
  );
}

try {
  // Warm up, so "before" is the server's working size rather than its size at start.
  await fetch(`${base}/api/health`).then((r) => r.arrayBuffer());
  const before = rssMiB(child.pid);
  console.log(
    `machine: ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')} load (1/5/15 min)`,
  );
  console.log(`wrk -t2 -c${connections} -d${seconds}s against ${base}`);
  wrk('GET /api/health', `${base}/api/health`, 'actual');
  wrk('OPTIONS /api/checks (preflight)', `${base}/api/checks`, 'preflight');
  const after = rssMiB(child.pid);
  console.log(`server RSS: ${before} MiB before, ${after} MiB after`);
} finally {
  child.kill('SIGTERM');
  await new Promise((resolve) => child.once('exit', resolve));
  rmSync(dir, { recursive: true, force: true });
}

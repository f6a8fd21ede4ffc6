/**
 * Instructions per check, client side, under valgrind's callgrind: the checker against the leanest
 * honest baselines, on a figure the load of a shared machine does not move.
 *
 *   node bench/callgrind/checker-client.mjs [--clients dispatch,request,check]
 *     [--kinds simple,preflighted] [--checks N] [--warmup N] [--repeat N] [--keep <dir>]
 *
 * The server (bench/servers/node.mjs `limit`: constant CORS headers) runs outside valgrind; each
 * client runs under callgrind, one operation at a time (so every request is one wake-up of its
 * event loop, whatever the load). After `--warmup` operations the counters are zeroed, `--checks`
 * more run, and the counters are dumped: instructions ÷ operations. An operation is one check, or
 * the one (simple) or two (preflighted: OPTIONS, then PUT) requests that check sent:
 *
 * - `dispatch`: undici's `Agent#dispatch` with the options built once (method, path, the very
 *   header lines the checker sent, as one flat list) and a handler that reads the status, the raw
 *   header lines and the body to its end: the least any client must do to send those bytes and
 *   read the answer, and the same undici entry the checker itself uses.
 * - `request`: undici's `request()` with the same header list built once, the body dumped (what
 *   the loopback section calls the limit).
 * - `check`: corsproof's `check()` (bench/glue/checker.ts's call), credentialed, origin
 *   https://app.example.com; the preflighted one is a PUT with Content-Type: application/json and
 *   X-Requested-With.
 *
 * Uses the build in dist/ (BENCH_DIST to change it): `npm run build` first.
 */
import { execFileSync, fork, spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { callgrindArgs, dumpCounters } from './_dump.mjs';

const HERE = fileURLToPath(new URL('.', import.meta.url));
const ROOT = join(HERE, '..', '..');
const DIST = process.env.BENCH_DIST ?? join(ROOT, 'dist');
const ORIGIN = 'https://app.example.com';
/** bench/clients/requests.ts's PREFLIGHTED, repeated here: this script runs unbuilt. */
const PREFLIGHTED = {
  method: 'PUT',
  headers: { 'content-type': 'application/json', 'x-requested-with': 'XMLHttpRequest' },
};

const { values } = parseArgs({
  options: {
    inner: { type: 'string' },
    url: { type: 'string' },
    clients: { type: 'string', default: 'dispatch,request,check' },
    kinds: { type: 'string', default: 'simple,preflighted' },
    checks: { type: 'string', default: '1000' },
    warmup: { type: 'string', default: '2000' },
    repeat: { type: 'string', default: '1' },
    keep: { type: 'string' },
  },
});
const kinds = values.kinds.split(',');
const checks = Number(values.checks);
const warmup = Number(values.warmup);

if (values.inner !== undefined) await inner(values.inner, values.url);
else await outer();

/** The checker's call, as bench/glue/checker.ts makes it. */
async function loadCheck() {
  const { check } = await import(pathToFileURL(join(DIST, 'check', 'index.js')).href);
  return (url, preflighted, dispatcher) =>
    check({
      url,
      origin: ORIGIN,
      method: preflighted ? PREFLIGHTED.method : 'GET',
      headers: preflighted ? PREFLIGHTED.headers : {},
      credentials: 'include',
      dispatcher,
    });
}

/** One operation of `client` for `kind`, its requests and options built once, here. */
async function operation(client, kind, url, dispatcher, check, undici) {
  const preflighted = kind === 'preflighted';
  if (client === 'check') {
    return async () => {
      const r = await check(url, preflighted, dispatcher);
      if (r.verdict !== 'allowed') throw new Error(`check said ${r.verdict}`);
    };
  }
  // The requests one check sent, line for line (the checker lists them in its steps).
  const probe = await check(url, preflighted, dispatcher);
  const sent = probe.steps.flatMap((s) => (s.request ? [s.request] : []));
  const { origin, pathname, search } = new URL(url);
  const requests = sent.map((r) => ({
    origin,
    path: `${pathname}${search}`,
    method: r.method,
    headers: r.headers.flat(),
    body: null,
  }));
  if (client === 'request') {
    const plans = requests.map((r) => ({
      url,
      options: { method: r.method, headers: r.headers, dispatcher },
    }));
    return async () => {
      for (const p of plans) {
        const res = await undici.request(p.url, p.options);
        await res.body.dump();
        if (res.statusCode >= 300) throw new Error(`answered ${res.statusCode}`);
      }
    };
  }
  return async () => {
    for (const r of requests) await dispatchOnce(dispatcher, r);
  };
}

/** Sends one request with `dispatch` and reads the whole answer: status, header lines, body. */
function dispatchOnce(dispatcher, options) {
  return new Promise((resolve, reject) => {
    let bytes = 0;
    let status = 0;
    let lines = 0;
    dispatcher.dispatch(options, {
      onRequestStart() {},
      onResponseStart(controller, statusCode) {
        status = statusCode;
        lines = controller.rawHeaders.length;
      },
      onResponseData(_controller, chunk) {
        bytes += chunk.length;
      },
      onResponseEnd() {
        if (status >= 300 || lines === 0) reject(new Error(`answered ${status}`));
        else resolve(bytes);
      },
      onResponseError(_controller, error) {
        reject(error);
      },
    });
  });
}

/** The client, under callgrind: warm up, tell the parent, measure when told, tell it again. */
async function inner(client, url) {
  const undici = await import('undici');
  const check = await loadCheck();
  // The checker's own pool settings (createCheckDispatcher), one connection: one request at a time.
  const dispatcher = new undici.Agent({ connections: 1, keepAliveTimeout: 60_000 });
  const next = () => new Promise((resolve) => process.once('message', resolve));
  // Every kind is warmed up before any is measured: code the JIT is still compiling for a kind
  // warmed up last would otherwise be counted against the first.
  const ops = new Map();
  for (const kind of kinds) {
    const op = await operation(client, kind, url, dispatcher, check, undici);
    for (let i = 0; i < warmup; i++) await op();
    ops.set(kind, op);
  }
  for (const kind of kinds) {
    const op = ops.get(kind);
    for (let i = 0; i < 100; i++) await op();
    process.send({ warm: kind });
    await next();
    for (let i = 0; i < checks; i++) await op();
    process.send({ done: kind });
    await next();
  }
  await dispatcher.close();
  process.exit(0);
}

/** Starts the server, then each client under callgrind in turn, and prints the table. */
async function outer() {
  const server = fork(join(HERE, '..', 'servers', 'node.mjs'), ['limit'], {
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    env: { ...process.env, NODE_ENV: 'production' },
  });
  const port = await new Promise((resolve, reject) => {
    server.once('exit', (code) => reject(new Error(`the limit server exited (${code})`)));
    server.on('message', (m) => {
      if (m?.error) reject(new Error(m.error));
      if (m?.ready) resolve(m.port);
    });
  });
  const url = `http://127.0.0.1:${port}/`;
  const clients = values.clients.split(',');
  const results = new Map();
  try {
    for (let r = 0; r < Number(values.repeat); r++) {
      const order = r % 2 === 0 ? clients : [...clients].reverse();
      for (const client of order) {
        for (const [kind, { all, compile }] of await measure(client, url, r)) {
          const key = `${kind}\t${client}`;
          const entry = results.get(key) ?? { all: [], net: [] };
          entry.all.push(all / checks);
          entry.net.push((all - compile) / checks);
          results.set(key, entry);
          process.stderr.write(
            `round ${r + 1} ${kind} ${client}: ${Math.round(all / checks)} instr/operation, ${Math.round((all - compile) / checks)} without TurboFan\n`,
          );
        }
      }
    }
  } finally {
    server.kill('SIGTERM');
  }
  const fmt = (x) => Math.round(x).toLocaleString('en-US');
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const range = (xs) => {
    const sorted = [...xs].sort((a, b) => a - b);
    return `${fmt(median(xs))} (${fmt(sorted[0])}–${fmt(sorted.at(-1))})`;
  };
  console.log(
    '| check | client | instructions per operation, median (min–max) | without TurboFan | baseline ÷ check (without TurboFan) |',
  );
  console.log('|---|---|---|---|---|');
  for (const kind of kinds) {
    const checkNet = results.get(`${kind}\tcheck`)?.net;
    for (const client of clients) {
      const { all, net } = results.get(`${kind}\t${client}`);
      const ratio =
        checkNet === undefined ? '' : `${((median(net) / median(checkNet)) * 100).toFixed(1)}%`;
      console.log(`| ${kind} | ${client} | ${range(all)} | ${range(net)} | ${ratio} |`);
    }
  }
}

/** Runs one client under callgrind; resolves with [kind, instructions] per kind. */
function measure(client, url, round) {
  const outFile = join(tmpdir(), `bench-callgrind-client-${process.pid}-${client}`);
  const child = spawn(
    'valgrind',
    [
      ...callgrindArgs(outFile),
      process.execPath,
      fileURLToPath(import.meta.url),
      '--inner',
      client,
      '--url',
      url,
      '--kinds',
      values.kinds,
      '--checks',
      String(checks),
      '--warmup',
      String(warmup),
    ],
    { stdio: ['ignore', 'ignore', 'pipe', 'ipc'], env: { ...process.env, BENCH_DIST: DIST } },
  );
  let stderr = '';
  child.stderr.on('data', (d) => {
    stderr = (stderr + d).slice(-4000);
  });
  const out = [];
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => {
      rmSync(outFile, { force: true });
      if (out.length === kinds.length) resolve(out);
      else reject(new Error(`${client} exited (${code}): ${stderr}`));
    });
    child.on('message', (m) => {
      if (m?.warm) {
        execFileSync('callgrind_control', ['-z', String(child.pid)], { stdio: 'ignore' });
        child.send({ go: true });
      } else if (m?.done) {
        const name = `checker-${m.done}-${client}-${round + 1}`;
        out.push([m.done, dumpCounters(child.pid, outFile, values.keep, name)]);
        child.send({ next: true });
      }
    });
  });
}

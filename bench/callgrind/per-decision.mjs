/**
 * Instructions per `policy.decide()` call, counted by valgrind's callgrind: a figure the load of a
 * shared machine does not move.
 *
 *   node bench/callgrind/per-decision.mjs [--calls 20000]
 *
 * Runs itself under callgrind with `--dump-before=uv_getrusage`: every case is bracketed by
 * `process.resourceUsage()`, so each dump holds one case's calls. Every case runs 3 × `--calls`
 * times first (all cases, so none runs on code optimized for it alone), then `--calls` times
 * counted. The Origin is a fresh string each call (copied from a Buffer, as Node's HTTP parser
 * makes it), so no hash is cached across calls. A full GC runs before each case, outside its
 * count, and only the main thread is counted (V8 compiles and sweeps on helper threads). The harness case makes the string and calls a
 * function that returns it; "net" subtracts it. Uses packages/corsproof/dist (BENCH_DIST).
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

const HERE = fileURLToPath(new URL('.', import.meta.url));
const DIST = process.env.BENCH_DIST ?? join(HERE, '..', '..', 'packages', 'corsproof', 'dist');
const { values } = parseArgs({
  options: {
    calls: { type: 'string', default: '20000' },
    inner: { type: 'boolean', default: false },
  },
});
const calls = Number(values.calls);

const tenants = (n) => Array.from({ length: n }, (_, i) => `https://*.tenant-${i}.example.com`);
const exacts = (n) => Array.from({ length: n }, (_, i) => `https://app-${i}.example.com`);
const CASES = [
  ['harness (fresh string, one call)', null, 'https://shop.tenant-0.example.com'],
  ['GET, exact origin allowed (1 origin)', exacts(1), 'https://app-0.example.com'],
  ['GET, exact origin allowed (100 origins)', exacts(100), 'https://app-50.example.com'],
  ['GET, exact origins, refused (100 origins)', exacts(100), 'https://evil.example.net'],
  [
    'GET, `https://*.tenant-N.example.com` allowed (1 pattern)',
    tenants(1),
    'https://shop.tenant-0.example.com',
  ],
  ['GET, pattern allowed (100 patterns)', tenants(100), 'https://shop.tenant-50.example.com'],
  [
    'GET, pattern allowed (10,000 patterns)',
    tenants(10_000),
    'https://shop.tenant-5000.example.com',
  ],
  ['GET, pattern, refused (100 patterns)', tenants(100), 'https://shop.tenant-50.example.net'],
  [
    'GET, a 122-label origin under the pattern (1 pattern)',
    tenants(1),
    `https://${'a.'.repeat(120)}tenant-0.example.com`,
  ],
  [
    'GET, a 245-label origin under the pattern (1 pattern)',
    tenants(1),
    `https://${'a.'.repeat(243)}tenant-0.example.com`,
  ],
  [
    'GET, upper case origin under the pattern (refused)',
    tenants(1),
    'https://SHOP.tenant-0.example.com',
  ],
];

async function inner() {
  const { compilePolicy } = await import(pathToFileURL(join(DIST, 'index.js')).href);
  const runs = CASES.map(([label, origins, origin]) => {
    const bytes = Buffer.from(origin, 'latin1');
    if (origins === null) {
      const identity = (s) => s;
      return { label, run: () => identity(bytes.toString('latin1')) };
    }
    const policy = compilePolicy({ origins });
    return {
      label,
      run: () => policy.decide({ method: 'GET', origin: bytes.toString('latin1') }),
      policy,
    };
  });
  let sink = 0;
  for (let round = 0; round < 3; round++) {
    for (const { run } of runs) for (let i = 0; i < calls; i++) sink += run() === undefined ? 1 : 0;
  }
  const kinds = [];
  for (const { run, policy } of runs) {
    // A full collection first, outside the count, so no scavenge of the warm-up's garbage lands in
    // this case's: the case is what lies between the two resourceUsage calls.
    globalThis.gc();
    process.resourceUsage();
    for (let i = 0; i < calls; i++) sink += run() === undefined ? 1 : 0;
    process.resourceUsage();
    kinds.push(policy === undefined ? '—' : run().kind);
  }
  process.stdout.write(`${JSON.stringify({ kinds, sink })}\n`);
}

if (values.inner) {
  await inner();
} else {
  const dir = join(tmpdir(), `corsproof-per-decision-${process.pid}`);
  execFileSync('mkdir', ['-p', dir]);
  const out = execFileSync(
    'valgrind',
    [
      '--tool=callgrind',
      '--dump-before=uv_getrusage',
      // The main thread only: V8 compiles and sweeps on helper threads whenever it likes.
      '--separate-threads=yes',
      `--callgrind-out-file=${join(dir, 'cg.out')}`,
      process.execPath,
      '--expose-gc',
      fileURLToPath(import.meta.url),
      '--inner',
      '--calls',
      String(calls),
    ],
    { stdio: ['ignore', 'pipe', 'ignore'], maxBuffer: 1 << 24 },
  );
  const { kinds } = JSON.parse(String(out).trim().split('\n').at(-1));
  // cg.out.1, cg.out.2, ...: the part before each resourceUsage call. Part 1 is start-up and
  // warm-up, then each case is two parts: its calls, then the collection before the next case.
  const parts = readdirSync(dir)
    .map((name) => /\.(\d+)-01$/.exec(name))
    .filter((m) => m !== null)
    .map((m) => Number(m[1]))
    .sort((a, b) => a - b);
  const totals = parts.map((n) => {
    const text = readFileSync(join(dir, `cg.out.${n}-01`), 'utf8');
    return Number(/^(?:summary|totals): (\d+)/m.exec(text)?.[1] ?? Number.NaN);
  });
  rmSync(dir, { recursive: true, force: true });
  const perCall = CASES.map((_, i) => totals[1 + 2 * i] / calls);
  const harness = perCall[0];
  console.log(
    `${calls} calls per case after 3 × ${calls} of every case; Node ${process.version}\n`,
  );
  console.log(
    '| case | decision | instructions per call | net of the harness |\n|---|---|---|---|',
  );
  CASES.forEach(([label], i) => {
    const net = i === 0 ? '—' : Math.round(perCall[i] - harness).toLocaleString('en');
    console.log(
      `| ${label} | ${kinds[i]} | ${Math.round(perCall[i]).toLocaleString('en')} | ${net} |`,
    );
  });
}

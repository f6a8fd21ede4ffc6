/**
 * CLI start-up as a ratio to `node -e 0`, for a machine too busy for absolute wall times.
 *
 *   node bench/cli/startup-ratios.mjs [--rounds 15] [--instructions] [--against DIR]
 *
 * `--against DIR` adds the check run by another built checkout's bin/corsproof.js (a worktree of
 * an earlier commit, say) to the same rounds, for a before-and-after measured side by side.
 *
 * Wall time: every command is spawned once per round, the order reversed every other round (so
 * drift does not line up with position), after two warm-up spawns each; each command's time is
 * divided by `node -e 0`'s in the same round, and the median and min–max of those ratios are
 * reported with the times. `--instructions` instead runs each command once under valgrind's
 * callgrind and reports the instructions it executed (all threads), which load does not change;
 * V8's JIT and GC still move a run by a few percent.
 *
 * The checked URL is a node:http server on loopback in this process that answers with the CORS
 * headers the check needs. Fails before measuring if the CLI bundle is missing or stale: the shim
 * would then run dist/cli's modules and the figures would describe a start-up no user sees.
 */
import { spawn } from 'node:child_process';
import { readFileSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BIN = join(ROOT, 'bin', 'corsproof.js');
const ORIGIN = 'https://app.example.com';

const { values } = parseArgs({
  options: {
    rounds: { type: 'string', default: '15' },
    instructions: { type: 'boolean', default: false },
    against: { type: 'string' },
  },
});

/** The shim's own test (bin/corsproof.js): the marker's first line is the time of the main.js it was built from. */
function assertBundleFresh(root = ROOT) {
  const marker = join(root, 'dist', 'cli-bundle', 'built-from');
  const modules = join(root, 'dist', 'cli', 'main.js');
  let built;
  let current;
  try {
    built = readFileSync(marker, 'latin1').split('\n')[0];
    current = String(statSync(modules, { bigint: true }).mtimeNs);
  } catch (error) {
    console.error(`startup-ratios: ${error.message}; run \`npm run build\` first`);
    process.exit(2);
  }
  if (built !== current) {
    console.error(
      `startup-ratios: the CLI bundle in dist/cli-bundle is stale (built from ${modules} as of ${built} ns, now ${current} ns), so corsproof would start from dist/cli instead; run \`npm run build\` first`,
    );
    process.exit(2);
  }
}

function run(argv, prefix = []) {
  const all = [...prefix, ...argv];
  return new Promise((resolve) => {
    const start = process.hrtime.bigint();
    const child = spawn(all[0], all.slice(1), { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    child.once('error', (error) => resolve({ ms: Number.NaN, code: null, stderr: String(error) }));
    child.once('close', (code) =>
      resolve({ ms: Number(process.hrtime.bigint() - start) / 1e6, code, stderr }),
    );
  });
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
};
const range = (xs, digits) =>
  `${median(xs).toFixed(digits)} (${Math.min(...xs).toFixed(digits)}–${Math.max(...xs).toFixed(digits)})`;

assertBundleFresh();
const server = createServer((req, res) => {
  res.setHeader('access-control-allow-origin', req.headers.origin ?? '*');
  res.setHeader('vary', 'Origin');
  res.end('ok');
});
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const url = `http://127.0.0.1:${server.address().port}/`;
const node = process.execPath;
const commands = [
  { label: '`node -e 0`', argv: [node, '-e', '0'] },
  { label: '`corsproof --version`', argv: [node, BIN, '--version'] },
  { label: '`corsproof check --help`', argv: [node, BIN, 'check', '--help'] },
  {
    label: '`corsproof check <url> --origin <o>`',
    argv: [node, BIN, 'check', url, '--origin', ORIGIN],
  },
];
if (values.against !== undefined) {
  const other = join(values.against, 'bin', 'corsproof.js');
  assertBundleFresh(values.against);
  commands.push({
    label: `\`corsproof check <url> --origin <o>\` of ${values.against}`,
    argv: [node, other, 'check', url, '--origin', ORIGIN],
  });
}

try {
  if (values.instructions) {
    console.log('| command | instructions (callgrind) | ÷ `node -e 0` |\n|---|---|---|');
    let floor = 0;
    for (const c of commands) {
      const out = join(tmpdir(), `corsproof-startup-${process.pid}.callgrind`);
      const r = await run(c.argv, ['valgrind', '--tool=callgrind', `--callgrind-out-file=${out}`]);
      rmSync(out, { force: true });
      const refs = /Collected : (\d+)/.exec(r.stderr);
      if (r.code !== 0 || refs === null)
        throw new Error(`${c.label} exited ${r.code}: ${r.stderr}`);
      const n = Number(refs[1]);
      if (floor === 0) floor = n;
      console.log(`| ${c.label} | ${n.toLocaleString('en')} | ${(n / floor).toFixed(2)}× |`);
    }
  } else {
    const rounds = Number(values.rounds);
    for (const c of commands) for (let i = 0; i < 2; i++) await run(c.argv);
    const ms = commands.map(() => []);
    const ratios = commands.map(() => []);
    for (let round = 0; round < rounds; round++) {
      const order = commands.map((_, i) => i);
      if (round % 2 === 1) order.reverse();
      const times = [];
      for (const i of order) {
        const r = await run(commands[i].argv);
        if (r.code !== 0) throw new Error(`${commands[i].label} exited ${r.code}: ${r.stderr}`);
        times[i] = r.ms;
      }
      for (let i = 0; i < commands.length; i++) {
        ms[i].push(times[i]);
        ratios[i].push(times[i] / times[0]);
      }
    }
    const load = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
    console.log(`${rounds} interleaved rounds, median (min–max); load average at end ${load}\n`);
    console.log('| command | wall ms | ÷ `node -e 0` (per round) |\n|---|---|---|');
    for (let i = 0; i < commands.length; i++) {
      console.log(`| ${commands[i].label} | ${range(ms[i], 1)} | ${range(ratios[i], 2)}× |`);
    }
  }
} finally {
  server.close();
}

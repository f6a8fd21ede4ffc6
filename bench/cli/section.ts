/**
 * Section 5: CLI start-up. Wall time of one `corsproof check` process per check, against curl
 * sending the equivalent request and against `node -e 0` (Node's own start-up, the floor for any
 * Node CLI). With hyperfine installed it does the timing; otherwise the bench spawns the commands
 * itself, interleaved, which on a busy machine spreads drift over all of them alike.
 */
import { spawn } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fmtRange, rangeVerdict, type TargetResult, table } from '../lib/format.js';
import { HAS, LOAD_CORE, pinned, run, track } from '../lib/procs.js';
import type { Context, SectionResult } from '../lib/section.js';
import { startServer } from '../lib/server.js';
import { type Summary, summarize } from '../lib/stats.js';

const TITLE = '5. CLI start-up';
const ORIGIN = 'https://app.example.com';

interface Command {
  readonly label: string;
  readonly argv: readonly string[];
  /** The exit code that means the command did what it should. */
  readonly expect: number;
  readonly target?: boolean;
}

function timeOnce(argv: readonly string[]): Promise<{ ms: number; code: number | null }> {
  const [cmd, args] = pinned(LOAD_CORE, argv[0]!, argv.slice(1));
  return new Promise((resolve) => {
    const start = process.hrtime.bigint();
    const child = track(spawn(cmd, args, { stdio: 'ignore' }));
    child.once('error', () => resolve({ ms: Number.NaN, code: null }));
    child.once('exit', (code) =>
      resolve({ ms: Number(process.hrtime.bigint() - start) / 1e6, code }),
    );
  });
}

async function ownLoop(
  commands: readonly Command[],
  runs: number,
): Promise<{ times: Summary[]; codes: (number | null)[][] }> {
  const times: number[][] = commands.map(() => []);
  const codes: (number | null)[][] = commands.map(() => []);
  for (const c of commands) for (let i = 0; i < 2; i++) await timeOnce(c.argv); // warm the disk cache
  for (let i = 0; i < runs; i++) {
    for (let k = 0; k < commands.length; k++) {
      const j = (i + k) % commands.length;
      const r = await timeOnce(commands[j]!.argv);
      times[j]!.push(r.ms);
      codes[j]!.push(r.code);
    }
  }
  return { times: times.map((t) => summarize(t)), codes };
}

const quote = (s: string) => (/^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replaceAll("'", "'\\''")}'`);

async function hyperfine(
  commands: readonly Command[],
  runs: number,
): Promise<{ times: Summary[]; codes: (number | null)[][] }> {
  const out = join(tmpdir(), `corsproof-bench-hyperfine-${process.pid}.json`);
  const r = await run(
    'hyperfine',
    [
      '--warmup',
      '2',
      '--runs',
      String(runs),
      '-N',
      '-i',
      '--style',
      'none',
      '--export-json',
      out,
      ...commands.map((c) => c.argv.map(quote).join(' ')),
    ],
    { core: LOAD_CORE },
  );
  if (r.code !== 0) throw new Error(`hyperfine failed: ${r.stderr.trim()}`);
  const json = JSON.parse(readFileSync(out, 'utf8')) as {
    results: { times: number[]; exit_codes: number[] }[];
  };
  return {
    times: json.results.map((x) => summarize(x.times.map((t) => t * 1000))),
    codes: json.results.map((x) => x.exit_codes),
  };
}

/**
 * Throws unless the CLI bundle is the one built from the current dist/cli: bin/corsproof.js would
 * otherwise run the ~150 modules of dist/ and the figures would describe a start-up no user sees.
 * The test is the shim's own: scripts/bundle-cli.mjs writes the modification time, in nanoseconds,
 * of the dist/cli/main.js it bundled into the first line of dist/cli-bundle/built-from.
 */
function assertBundleFresh(dist: string): void {
  const marker = join(dist, 'cli-bundle', 'built-from');
  const modules = join(dist, 'cli', 'main.js');
  const read = (what: () => string): string | null => {
    try {
      return what();
    } catch {
      return null;
    }
  };
  const built = read(() => readFileSync(marker, 'latin1').split('\n')[0] ?? '');
  const current = read(() => String(statSync(modules, { bigint: true }).mtimeNs));
  if (built === null || current === null || built !== current) {
    throw new Error(
      `bench: the CLI bundle in ${join(dist, 'cli-bundle')} is ${built === null ? 'missing' : 'stale'} (not built from the current ${modules}), so corsproof would start from dist/ instead; run \`npm run build\` (or \`node scripts/bundle-cli.mjs\`) first`,
    );
  }
}

export async function cliSection(ctx: Context): Promise<SectionResult> {
  const { options, log } = ctx;
  const bin = options.target.bin;
  assertBundleFresh(options.target.dist);
  const help = await run(process.execPath, [bin, 'check', '--help']);
  if (help.code !== 0) {
    const why = `${help.stderr}${help.stdout}`.split('\n').find((l) => /error/i.test(l)) ?? '';
    return {
      title: TITLE,
      markdown: `skipped: not built yet (\`corsproof check --help\` exits ${help.code}${why === '' ? '' : `: ${why.trim()}`}).`,
      targets: [],
    };
  }
  const server = await startServer('node.mjs', 'limit', { dist: options.target.dist });
  try {
    const url = server.url;
    const node = process.execPath;
    const commands: Command[] = [
      { label: '`node -e 0` (Node start-up alone)', argv: [node, '-e', '0'], expect: 0 },
      {
        label: '`corsproof check <url> --origin <o>` (simple GET)',
        argv: [node, bin, 'check', url, '--origin', ORIGIN],
        expect: 0,
        target: true,
      },
      ...(HAS.curl
        ? [
            {
              label: '`curl` GET with Origin',
              argv: ['curl', '-sS', '-o', '/dev/null', '-H', `Origin: ${ORIGIN}`, url],
              expect: 0,
            },
          ]
        : []),
      {
        label: '`corsproof check … -X PUT -H … --credentials` (preflight + PUT)',
        argv: [
          node,
          bin,
          'check',
          url,
          '--origin',
          ORIGIN,
          '-X',
          'PUT',
          '-H',
          'Content-Type: application/json',
          '-H',
          'X-Requested-With: XMLHttpRequest',
          '--credentials',
        ],
        expect: 0,
      },
      ...(HAS.curl
        ? [
            {
              label: '`curl` preflight (OPTIONS with Origin, ACRM, ACRH)',
              argv: [
                'curl',
                '-sS',
                '-o',
                '/dev/null',
                '-X',
                'OPTIONS',
                '-H',
                `Origin: ${ORIGIN}`,
                '-H',
                'Access-Control-Request-Method: PUT',
                '-H',
                'Access-Control-Request-Headers: content-type,x-requested-with',
                url,
              ],
              expect: 0,
            },
          ]
        : []),
    ];
    const runs = Math.max(options.spawns, options.quick ? 5 : 20);
    log(
      `[cli] ${runs} runs of ${commands.length} commands (${HAS.hyperfine ? 'hyperfine' : 'own interleaved loop'})`,
    );
    const { times, codes } = HAS.hyperfine
      ? await hyperfine(commands, runs)
      : await ownLoop(commands, runs);
    const targets: TargetResult[] = [];
    const rows = commands.map((c, i) => {
      const t = times[i]!;
      const bad = (codes[i] ?? []).filter((code) => code !== c.expect).length;
      let mark = '';
      if (c.target) {
        const v = bad === 0 ? rangeVerdict(t, '≤', 200) : 'missed';
        mark = v;
        targets.push({
          section: TITLE,
          target: '`corsproof check` cold start ≤ 200 ms',
          figure: `${fmtRange(t)} ms`,
          verdict: v,
        });
      }
      return [
        c.label,
        `${fmtRange(t)} ms`,
        bad === 0 ? 'all as expected' : `${bad} of ${codes[i]?.length ?? 0} unexpected`,
        mark,
      ];
    });
    const markdown = [
      `Wall time per process, median (min–max) of ${runs} runs after 2 warm-up runs each, ${HAS.hyperfine ? 'timed by hyperfine (-N, no shell)' : 'commands interleaved run by run, timed from spawn to exit by the bench (hyperfine is not installed)'}; every process pinned to core ${LOAD_CORE}, the target server (the limit server) to the other core.`,
      table(['command', 'wall time', 'exit codes', 'target < 200 ms: met/missed'], rows),
    ].join('\n\n');
    return { title: TITLE, markdown, targets };
  } finally {
    await server.stop();
  }
}

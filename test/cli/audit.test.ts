/**
 * `corsproof audit` end to end: the built CLI (bin/corsproof.js -> dist) spawned against the zoo,
 * asserting output, exit codes (0 nothing of medium severity or above, 1 something, 2 usage or
 * network error), --json, --format sarif, batch mode and --policy; and, in process with a fake
 * terminal, the progress bar.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { register as registerAudit } from '../../src/cli/audit/command.js';
import { startZoo, TRUSTED, type Zoo } from '../audit/zoo.js';
import { startHostileServer } from '../hostile/targets.js';
import { buildCliAsync, ROOT } from './build-cli.js';

const BIN = path.join(ROOT, 'bin/corsproof.js');

let zoo: Zoo;
let dir = '';

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * An audit sends over a hundred requests, and a CLI process starts cold: on a loaded machine one
 * took 16 s. The audits below run one at a time (side by side they starved each other past 20 s
 * under load), each given this long; a hung CLI still fails.
 */
const CLI_TIMEOUT_MS = 60_000;

/** Spawns the CLI asynchronously (the zoo runs in this process and must keep answering). */
function cli(args: string[], env: Record<string, string> = { NO_COLOR: '1' }): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [BIN, ...args],
      { cwd: ROOT, env: { PATH: process.env.PATH ?? '', ...env }, timeout: CLI_TIMEOUT_MS },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 99) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

beforeAll(async () => {
  await buildCliAsync('audit-cli');
  zoo = await startZoo();
  dir = await mkdtemp(path.join(os.tmpdir(), 'corsproof-audit-cli-'));
}, 120_000);

afterAll(async () => {
  await zoo?.close();
  await rm(dir, { recursive: true, force: true });
});

// Each test spawns its own process on its own files.
describe('corsproof audit <url>', { timeout: CLI_TIMEOUT_MS }, () => {
  it('exits 1 and groups the findings by severity, without colours when piped', async () => {
    const r = await cli(['audit', `${zoo.base}/reflect-credentials`, '--origin', TRUSTED]);
    expect(r.code).toBe(1);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toBe(
      `AUDIT  ${zoo.base}/reflect-credentials  (trusted origin ${TRUSTED}, Chromium rules)`,
    );
    expect(r.stdout).toMatch(
      /crafted origins, \d+ requests in \d+ ms: 2 findings \(1 high, 1 medium\)/,
    );
    expect(r.stdout.indexOf('HIGH (1)')).toBeLessThan(r.stdout.indexOf('MEDIUM (1)'));
    expect(r.stdout).toContain('  origin-reflected-any  Any origin is trusted');
    expect(r.stdout).toContain('    Why: ');
    expect(r.stdout).toContain('    Fix: ');
    expect(r.stdout).toMatch(/< access-control-allow-credentials: true/);
    expect(r.stdout).toContain('2 findings of medium severity or above.');
    expect(r.stdout).not.toContain('\u001b[');
  });

  it('exits 0 when nothing of medium severity or above is found', async () => {
    const clean = await cli(['audit', `${zoo.base}/corsproof-exact`, '--origin', TRUSTED]);
    expect(clean.code).toBe(0);
    expect(clean.stdout).toContain('no findings');
    expect(clean.stdout).toContain('No finding of medium severity or above.');
    const low = await cli(['audit', `${zoo.base}/localhost-left-in`, '--origin', TRUSTED]);
    expect(low.code).toBe(0);
    expect(low.stdout).toContain('LOW (1)');
  });

  it('prints the report with --json', async () => {
    const r = await cli(['audit', `${zoo.base}/null`, '--origin', TRUSTED, '--json']);
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout);
    expect(report.findings).toEqual([
      expect.objectContaining({
        id: 'null-origin-trusted',
        severity: 'high',
        origin: 'null',
        message: expect.stringContaining('null'),
      }),
    ]);
    expect(report).toMatchObject({ target: `${zoo.base}/null`, trustedOrigin: TRUSTED });
    expect(report.probes.length).toBeGreaterThan(40);
    expect(report.baseline.get).toMatchObject({ status: 200, acao: TRUSTED });
  });

  it('prints SARIF with --format sarif', async () => {
    const r = await cli([
      'audit',
      `${zoo.base}/prefix-regex`,
      '--origin',
      TRUSTED,
      '--format',
      'sarif',
    ]);
    expect(r.code).toBe(1);
    const log = JSON.parse(r.stdout);
    expect(log.version).toBe('2.1.0');
    expect(log.runs[0].tool.driver.version).toMatch(/^\d+\.\d+\.\d+/);
    expect(log.runs[0].results).toEqual([
      // Raised to high by credentials: reported under the rule of that severity.
      expect.objectContaining({ ruleId: 'prefix-match-bypass/high', level: 'error' }),
    ]);
  });

  it('exits 2 when the target cannot be reached', async () => {
    const r = await cli(['audit', 'http://127.0.0.1:59996/x', '--origin', TRUSTED]);
    expect(r.code).toBe(2);
    expect(r.stdout).toContain("ERROR  the trusted origin's own GET failed: CONNECTION_REFUSED");
  });

  it('audits a name connected to the address --resolve gives', async () => {
    const port = new URL(zoo.base).port;
    const r = await cli([
      'audit',
      `http://api.resolve.test:${port}/reflect`,
      // An http page: an https one may not call a plain-http name at all (mixed content).
      '--origin',
      'http://app.example.com',
      '--resolve',
      `api.resolve.test:*:127.0.0.1`,
      '--json',
    ]);
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout) as { findings: { id: string }[]; error: unknown };
    expect(report.error).toBeNull();
    expect(report.findings.map((f) => f.id)).toContain('origin-reflected-any');
  });

  it('colours on request (FORCE_COLOR), never with NO_COLOR', async () => {
    const url = `${zoo.base}/reflect`;
    const coloured = await cli(['audit', url, '--origin', TRUSTED], { FORCE_COLOR: '1' });
    expect(coloured.stdout).toContain('\u001b[33m');
    const plain = await cli(['audit', url, '--origin', TRUSTED], {
      FORCE_COLOR: '1',
      NO_COLOR: '1',
    });
    expect(plain.stdout).not.toContain('\u001b[');
  });

  it.each([
    [['audit', 'http://x.test/'], /missing --origin/],
    [['audit', '--origin', TRUSTED], /missing the URL/],
    [['audit', 'http://x.test/', '--origin', 'https://app.test/'], /is not an origin/],
    [['audit', 'https://app.example.com/x', '--origin', TRUSTED], /the URL's own origin/],
    [['audit', 'http://x.test/', '--origin', TRUSTED, '--json', '--format', 'sarif'], /not both/],
    [['audit', 'http://x.test/', '--origin', TRUSTED, '--format', 'xml'], /invalid/],
    [['audit', 'http://x.test/', '--policy', 'p.json'], /without a URL/],
  ])('exits 2 on usage errors: %j', async (args, message) => {
    const r = await cli(args);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
  });
});

// Each test spawns its own process on its own files.
// Not among the concurrent ones: one more process at once slows every other on a busy machine.
describe('corsproof audit --deadline', () => {
  it('exits 2 at the --deadline of a dripping target, naming the deadline', async () => {
    const hostile = await startHostileServer();
    try {
      const r = await cli([
        'audit',
        `${hostile.base}/drip`,
        '--origin',
        TRUSTED,
        '--deadline',
        '300',
      ]);
      expect(r.code).toBe(2);
      expect(r.stdout).toContain('ERROR  the audit was stopped: TIMEOUT');
      expect(r.stdout).toContain('ran past its deadline of 300 ms (deadlineMs, --deadline)');
    } finally {
      await hostile.close();
    }
  });
});

describe('corsproof audit --input', { timeout: CLI_TIMEOUT_MS }, () => {
  it('audits a list of URLs, one JSON line each, and exits with the worst code', async () => {
    const file = path.join(dir, 'urls.txt');
    await writeFile(
      file,
      [`# zoo`, `${zoo.base}/allow-list`, `${zoo.base}/suffix-regex`, `${zoo.base}/wildcard`].join(
        '\n',
      ),
    );
    const r = await cli(['audit', '--input', file, '--origin', TRUSTED, '--concurrency', '2']);
    expect(r.code).toBe(1);
    const records = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(records).toHaveLength(3);
    const byPath = Object.fromEntries(
      records.map((x) => [
        new URL(x.url).pathname,
        x.report.findings.map((f: { id: string }) => f.id),
      ]),
    );
    expect(byPath).toEqual({
      '/allow-list': [],
      '/suffix-regex': ['suffix-match-bypass'],
      '/wildcard': ['wildcard-origin'],
    });
    expect(records.find((x) => x.url.endsWith('/suffix-regex')).exitCode).toBe(1);
    expect(r.stderr).toContain('3 targets: 1 with findings of medium severity or above, 2 clean');
    // No terminal, no progress bar.
    expect(r.stderr).not.toContain('[#');
  });

  it('reads JSON lines with a per-line origin, and reports bad lines (exit 2)', async () => {
    const file = path.join(dir, 'targets.jsonl');
    await writeFile(
      file,
      [
        JSON.stringify({ url: `${zoo.base}/allow-list`, origin: TRUSTED }),
        JSON.stringify({ url: `${zoo.base}/allow-list` }),
        '{broken',
      ].join('\n'),
    );
    const r = await cli(['audit', '--input', file]);
    expect(r.code).toBe(2);
    const records = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(records.find((x) => x.line === 1)?.report.findings).toEqual([]);
    expect(records.find((x) => x.line === 2)?.error.message).toMatch(/no origin/);
    expect(records.find((x) => x.line === 3)?.error.code).toBe('INVALID_INPUT');
  });

  it('prints one SARIF log for the whole batch with --format sarif', async () => {
    const file = path.join(dir, 'sarif.csv');
    await writeFile(
      file,
      `url,origin\n${zoo.base}/null,${TRUSTED}\n${zoo.base}/contains,${TRUSTED}\n`,
    );
    const r = await cli(['audit', '--input', file, '--format', 'sarif']);
    expect(r.code).toBe(1);
    const log = JSON.parse(r.stdout);
    expect(log.runs[0].results.map((x: { ruleId: string }) => x.ruleId).sort()).toEqual([
      'null-origin-trusted/high',
      'substring-match-bypass',
    ]);
  });
});

// Each test spawns its own process on its own files.
describe('corsproof audit --policy', { timeout: CLI_TIMEOUT_MS }, () => {
  it('audits a JSON policy statically (exit 1 for a medium finding)', async () => {
    const file = path.join(dir, 'cors.json');
    await writeFile(
      file,
      JSON.stringify({
        origins: [TRUSTED, 'https://*.example.com'],
        credentials: true,
        maxAge: 86400,
      }),
    );
    const r = await cli(['audit', '--policy', file, '--json']);
    expect(r.code).toBe(1);
    const { target, findings } = JSON.parse(r.stdout);
    expect(target).toBe(file);
    expect(findings.map((f: { id: string }) => f.id).sort()).toEqual([
      'any-subdomain-trusted',
      'max-age-excessive',
    ]);
  });

  it('audits a module exporting the options, with --origin for a predicate', async () => {
    const file = path.join(dir, 'cors.mjs');
    await writeFile(
      file,
      'export default { origins: (o) => o.startsWith("https://app.example.com") };\n',
    );
    const r = await cli(['audit', '--policy', file, '--origin', TRUSTED]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('(corsproof policy, static: nothing sent)');
    expect(r.stdout).toContain('prefix-match-bypass');
    const without = await cli(['audit', '--policy', file]);
    expect(without.code).toBe(2);
    expect(without.stderr).toMatch(/--origin/);
  });

  it('exits 0 for a clean policy, in SARIF too', async () => {
    const file = path.join(dir, 'clean.json');
    await writeFile(file, JSON.stringify({ origins: [TRUSTED], credentials: true }));
    const r = await cli(['audit', '--policy', file, '--format', 'sarif']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).runs[0].results).toEqual([]);
  });

  it('prints the CorsConfigError and exits 2 for a policy corsproof refuses', async () => {
    const file = path.join(dir, 'bad.json');
    await writeFile(file, JSON.stringify({ origins: '*', credentials: true }));
    const r = await cli(['audit', '--policy', file]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^corsproof: the CORS policy has a problem:/);
    expect(r.stderr).toContain('WILDCARD_ORIGIN_WITH_CREDENTIALS');
  });

  it('still reports a refused policy in the format asked for, as high findings', async () => {
    const file = path.join(dir, 'refused.json');
    await writeFile(file, JSON.stringify({ origins: '*', credentials: true }));
    const r = await cli(['audit', '--policy', file, '--format', 'sarif']);
    expect(r.code).toBe(1);
    const results = JSON.parse(r.stdout).runs[0].results;
    expect(results.map((x: { ruleId: string }) => x.ruleId)).toContain('policy-refused');
    expect(results[0].message.text).toContain('WILDCARD_ORIGIN_WITH_CREDENTIALS');
    expect(results[0].properties.severity).toBe('high');
  });

  it('fails on the severity --fail-on names', async () => {
    const file = path.join(dir, 'max-age.json');
    // Only an info finding: a long Access-Control-Max-Age.
    await writeFile(file, JSON.stringify({ origins: [TRUSTED], maxAge: 86400 }));
    const byDefault = await cli(['audit', '--policy', file, '--json']);
    expect(byDefault.code).toBe(0);
    expect(JSON.parse(byDefault.stdout).findings.map((f: { id: string }) => f.id)).toEqual([
      'max-age-excessive',
    ]);
    expect((await cli(['audit', '--policy', file, '--fail-on', 'info'])).code).toBe(1);
    expect((await cli(['audit', '--policy', file, '--fail-on', 'low'])).code).toBe(0);
    const wrong = await cli(['audit', '--policy', file, '--fail-on', 'severe']);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toMatch(/--fail-on/);
  });

  it('exits 2 for a file that is not there or not JSON', async () => {
    const missing = await cli(['audit', '--policy', path.join(dir, 'nope.json')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/cannot read/);
    const file = path.join(dir, 'broken.json');
    await writeFile(file, '{ origins: ');
    const broken = await cli(['audit', '--policy', file]);
    expect(broken.code).toBe(2);
    expect(broken.stderr).toMatch(/not valid JSON/);
  });
});

describe('the progress bar', () => {
  /** Runs the command in process with a stderr that says it is a terminal. */
  async function run(args: string[], tty: boolean): Promise<{ code: number; err: string }> {
    let err = '';
    const sink = (write: (s: string) => void) =>
      new Writable({
        write(chunk, _enc, done) {
          write(String(chunk));
          done();
        },
      });
    const stderr = Object.assign(
      sink((s) => (err += s)),
      { isTTY: tty },
    );
    const stdout = Object.assign(
      sink(() => {}),
      { isTTY: false },
    );
    const state = { code: 0 };
    const program = new Command('corsproof').exitOverride();
    registerAudit(program, state, { stdout, stderr, env: {} });
    await program.parseAsync(args, { from: 'user' });
    return { code: state.code, err };
  }

  it('draws on a terminal during a batch, and not otherwise', async () => {
    const file = path.join(dir, 'bar.txt');
    await writeFile(file, `${zoo.base}/allow-list\n${zoo.base}/static-trusted\n`);
    const args = ['audit', '--input', file, '--origin', TRUSTED];
    const onTty = await run(args, true);
    expect(onTty.code).toBe(0);
    expect(onTty.err).toContain('] 2/2');
    expect(onTty.err).toContain('\r\u001b[2K');
    const piped = await run(args, false);
    expect(piped.err).not.toContain('] 2/2');
  });

  it('draws per request for a single audit on a terminal', async () => {
    const r = await run(['audit', `${zoo.base}/allow-list`, '--origin', TRUSTED], true);
    expect(r.err).toMatch(/\] (\d+)\/\1/);
  });
});

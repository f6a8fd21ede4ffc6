/**
 * `corsproof generate` end to end: the built CLI (bin/corsproof.js -> dist) run as a user would,
 * for output, files written, warnings and the exit codes of every usage error.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { POLICY_FILE_SCHEMA } from '../../src/generate/schema.js';
import { buildCliAsync, ROOT } from './build-cli.js';

const BIN = path.join(ROOT, 'bin/corsproof.js');

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function cli(args: string[], cwd: string): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [BIN, ...args],
      { cwd, env: { PATH: process.env.PATH ?? '', NO_COLOR: '1' }, timeout: 20_000 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 99) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

let dir = '';

beforeAll(async () => {
  await buildCliAsync('generate-cli');
  dir = await mkdtemp(path.join(os.tmpdir(), 'corsproof-generate-'));
  await writeFile(
    path.join(dir, 'cors.json'),
    JSON.stringify({
      default: { origins: ['https://app.example.com'], credentials: true },
      paths: { '/public/*': { origins: '*' }, '/admin/*': false },
    }),
  );
  await writeFile(
    path.join(dir, 'bad.json'),
    JSON.stringify({ origins: ['https://app.example.com:443', 'null'], maxage: 5 }),
  );
  // A full tsc build outside `npm test` (which builds first) is slow on a busy machine.
}, 180_000);

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('corsproof generate', () => {
  it('prints the configuration, and the warnings on stderr', async () => {
    const run = await cli(['generate', '--policy', 'cors.json', '--for', 'nginx'], dir);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^# CORS for nginx/);
    expect(run.stdout).toContain('add_header Access-Control-Allow-Origin $cors_acao always;');
    expect(run.stderr).toContain('corsproof: warning: escaped-paths-refused (paths):');
  });

  it('writes --out and a runnable --standalone directory', async () => {
    const run = await cli(
      [
        'generate',
        '--policy',
        'cors.json',
        '--for',
        'caddy',
        '--out',
        'cors.caddy',
        '--standalone',
        'ex',
        '--port',
        '9123',
      ],
      dir,
    );
    expect(run.code).toBe(0);
    const written = await readFile(path.join(dir, 'cors.caddy'), 'utf8');
    expect(await readFile(path.join(dir, 'ex', 'cors.caddy'), 'utf8')).toBe(written);
    expect(await readFile(path.join(dir, 'ex', 'Caddyfile'), 'utf8')).toContain('127.0.0.1:9123');
    expect((await stat(path.join(dir, 'ex', 'run'))).mode & 0o111).not.toBe(0);
    expect(run.stdout).toBe('');
  });

  it("generates Galxe's preset, widened by a policy file of one policy", async () => {
    await writeFile(path.join(dir, 'app.json'), JSON.stringify({ origins: ['https://app.test'] }));
    const preset = await cli(['generate', '--preset', 'galxe', '--for', 'express'], dir);
    expect(preset.code).toBe(0);
    expect(preset.stdout).toContain("'https://dashboard.galxe.com'");
    expect(preset.stdout).not.toContain('https://app.test');
    const widened = await cli(
      ['generate', '--preset', 'galxe', '--policy', 'app.json', '--for', 'express'],
      dir,
    );
    expect(widened.code).toBe(0);
    expect(widened.stdout).toContain("'https://dashboard.galxe.com'");
    expect(widened.stdout).toContain("'https://app.test'");
  });

  it('prints the JSON Schema of the policy file', async () => {
    const run = await cli(['generate', '--schema'], dir);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual(POLICY_FILE_SCHEMA);
  });

  it('lists the targets in --help', async () => {
    const run = await cli(['generate', '--help'], dir);
    expect(run.stdout).toMatch(/Targets:\n {2}nginx {4}/);
    for (const name of ['apache', 'caddy', 'haproxy']) expect(run.stdout).toContain(`  ${name} `);
  });

  it.each([
    [['--for', 'nginx'], /missing --policy FILE/],
    [['--preset', 'galax', '--for', 'nginx'], /no preset "galax"; use one of galxe/],
    [['--preset', 'galxe', '--policy', 'cors.json', '--for', 'nginx'], /widens one policy/],
    [['--policy', 'cors.json'], /missing --for TARGET; the targets are:\n {2}nginx/],
    [['--policy', 'cors.json', '--for', 'ngnix'], /no target "ngnix"; use one of nginx, apache/],
    [['--policy', 'missing.json', '--for', 'nginx'], /cannot read "missing\.json"/],
    [['--policy', 'cors.json', '--for', 'nginx', '--port', '8080'], /give --standalone DIR too/],
    [
      ['--policy', 'cors.json', '--for', 'nginx', '--standalone', 'x', '--port', '0'],
      /--port must be/,
    ],
  ])('exits 2 naming the problem and the fix: %j', async (args, message) => {
    const run = await cli(['generate', ...args], dir);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(run.stdout).toBe('');
  });

  it('prints every problem of an invalid policy file and exits 2', async () => {
    const run = await cli(['generate', '--policy', 'bad.json', '--for', 'haproxy'], dir);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('did you mean maxAge?');
    expect(run.stderr).toContain('ORIGIN_DEFAULT_PORT');
    expect(run.stderr).toContain('ORIGIN_NULL');
  });
});

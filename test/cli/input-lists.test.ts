/**
 * `check --input -` and `audit --input -`: a target list piped in, as a recon tool prints it
 * (bare `host[:port][/path]` lines, URLs followed by notes), with the summary counted in words.
 */
import { execFile } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCliAsync, ROOT } from './build-cli.js';

const BIN = path.join(ROOT, 'bin/corsproof.js');
const ORIGIN = 'https://app.example';

function cli(
  args: string[],
  stdin: string,
  env: Record<string, string> = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = execFile(
      process.execPath,
      [BIN, ...args],
      { cwd: ROOT, env: { PATH: process.env.PATH ?? '', ...env }, timeout: 30_000 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 99) : 0;
        resolve({ code, stdout, stderr });
      },
    );
    child.stdin?.end(stdin);
  });
}

let server: Server;
let base = '';

beforeAll(async () => {
  await buildCliAsync('input-lists-cli');
  server = createServer((req, res) => {
    res.writeHead(200, { 'access-control-allow-origin': req.headers.origin ?? '' }).end('ok');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}, 180_000);

afterAll(() => {
  server.close();
});

describe('target lists on stdin', () => {
  it('check --input - reads URLs with notes after them, and says "1 check"', async () => {
    const run = await cli(
      ['check', '--input', '-', '--origin', ORIGIN],
      `# from httpx\n${base}/a [200] [title]\n`,
    );
    expect(JSON.parse(run.stdout.trim())).toMatchObject({ line: 2, verdict: 'allowed' });
    expect(run.stderr).toContain('1 check: 1 allowed, 0 blocked, 0 network errors');
    expect(run.code).toBe(0);
  });

  it('check --input - completes a bare host with https://', async () => {
    const host = base.replace('http://', '');
    const run = await cli(['check', '--input', '-', '--origin', ORIGIN], `${host}/b\n`);
    const record = JSON.parse(run.stdout.trim());
    // A plain-HTTP server answering https: a network error, for the URL the line meant.
    expect(record.url).toBe(`https://${host}/b`);
    expect(run.stderr).toContain('1 check: 0 allowed, 0 blocked, 1 network error,');
  });

  it('audit --input - reads the same list', async () => {
    const run = await cli(['audit', '--input', '-', '--origin', ORIGIN], `${base}/c\n`);
    expect(run.stderr).toMatch(/^1 target: /m);
  });

  it('--no-color turns colour off wherever it is written, even with FORCE_COLOR', async () => {
    const args = ['audit', `${base}/d`, '--origin', ORIGIN];
    const coloured = await cli(args, '', { FORCE_COLOR: '1' });
    expect(coloured.stdout).toContain('\u001b[');
    const plain = await cli([...args, '--no-color'], '', { FORCE_COLOR: '1' });
    expect(plain.stdout).not.toContain('\u001b[');
    expect(plain.stdout.length).toBeGreaterThan(0);
  });
});

/**
 * `corsproof explain` end to end: the built CLI run as a user would, on the real recordings of
 * test/fixtures/har/ and on console lines, for output, JSON and the exit codes.
 */
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildCliAsync, ROOT } from './build-cli.js';

const BIN = path.join(ROOT, 'bin/corsproof.js');
const HAR = path.join(ROOT, 'test/fixtures/har');

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function cli(args: string[], stdin?: string): Promise<Run> {
  return new Promise((resolve) => {
    const child = execFile(
      process.execPath,
      [BIN, ...args],
      { cwd: ROOT, env: { PATH: process.env.PATH ?? '', NO_COLOR: '1' }, timeout: 20_000 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 99) : 0;
        resolve({ code, stdout, stderr });
      },
    );
    child.stdin?.end(stdin ?? '');
  });
}

beforeAll(async () => {
  await buildCliAsync('explain-cli');
}, 180_000);

describe('corsproof explain FILE.har', () => {
  it('judges every cross-origin request of a Chromium recording and exits 1 when one was blocked', async () => {
    const run = await cli(['explain', path.join(HAR, 'chromium.har')]);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('9 cross-origin requests in');
    expect(run.stdout).toContain(
      "Console: Access to fetch at 'http://127.0.0.1:9090/put-no-method' from origin 'http://localhost:8080' has been blocked by CORS policy: Method PUT is not allowed by Access-Control-Allow-Methods in preflight response.",
    );
    expect(run.stdout).toContain('Summary: 3 allowed, 6 blocked, 0 unknown.');
    expect(run.stdout).toContain('MethodDisallowedByPreflightResponse (1 request):');
    expect(run.stdout).not.toContain('secret');
  });

  it('reads the HAR from stdin with "-" and prints JSON', async () => {
    const har = await readFile(path.join(HAR, 'firefox.har'), 'utf8');
    const run = await cli(['explain', '-', '--json'], har);
    const report = JSON.parse(run.stdout);
    expect(report.browser).toBe('firefox');
    expect(report.summary).toMatchObject({ allowed: 3, blocked: 3, unknown: 3 });
  });

  it('judges with the rules of the browser asked for', async () => {
    const run = await cli(['explain', path.join(HAR, 'firefox.har'), '--browser', 'chromium']);
    expect(run.stdout).toContain("judged with Chromium's rules");
  });

  it('exits 2 naming the problem for a file that is not a HAR', async () => {
    const run = await cli(['explain', path.join(ROOT, 'package.json')]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/no "log" object: this is not a HAR file/);
  });
});

describe('corsproof explain --message', () => {
  it("explains Chromium's line and prints the check that reproduces it", async () => {
    const run = await cli([
      'explain',
      '--message',
      "Access to fetch at 'https://api.example.com/items' from origin 'https://app.example.com' has been blocked by CORS policy: The 'Access-Control-Allow-Origin' header has a value 'https://app.example.com/' that is not equal to the supplied origin. Have the server send the header with a valid value.",
    ]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Chromium: AllowOriginMismatch');
    expect(run.stdout).toContain('the value has a trailing "/"');
    expect(run.stdout).toContain('Access-Control-Allow-Origin: https://app.example.com');
    expect(run.stdout).toContain(
      'Reproduce: corsproof check https://api.example.com/items --origin https://app.example.com',
    );
  });

  it("reads Firefox's line, naming the failures it may mean", async () => {
    const run = await cli([
      'explain',
      '--json',
      '--message',
      'Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at https://api.example.com/items. (Reason: CORS header ‘Access-Control-Allow-Origin’ missing). Status code: 404.',
    ]);
    const explained = JSON.parse(run.stdout);
    expect(explained.browser).toBe('firefox');
    expect([explained.code, ...explained.alternatives]).toEqual(
      expect.arrayContaining(['MissingAllowOriginHeader', 'PreflightMissingAllowOriginHeader']),
    );
    expect(explained.checkCommand).toContain('--browser firefox');
  });

  it('exits 2 for text it does not know, saying which wordings it understands', async () => {
    const run = await cli(['explain', '--message', 'TypeError: Failed to fetch']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('Understood wordings');
    expect(run.stderr).toContain('Cross-Origin Request Blocked');
  });
});

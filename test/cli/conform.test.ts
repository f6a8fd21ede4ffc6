/**
 * `corsproof conform` in process, with a fake terminal: exit codes (0 conforms, 1 differs, 2 usage,
 * unusable policy file or no answer), the output formats, and the progress bar.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { Command } from 'commander';
import { withCors } from 'corsproof/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { register as registerConform } from '../../src/cli/conform.js';

const APP = 'https://app.example.com';
const POLICY = { origins: [APP], methods: ['PUT'] };

let dir = '';
let policyPath = '';
const servers: http.Server[] = [];

async function listen(listener: http.RequestListener): Promise<string> {
  const server = http.createServer(listener);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
}

let good = '';
let reflecting = '';

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'corsproof-conform-'));
  policyPath = path.join(dir, 'cors.json');
  await writeFile(policyPath, JSON.stringify(POLICY));
  good = await listen(withCors(POLICY, (_req, res) => res.end('ok')));
  reflecting = await listen((req, res) => {
    res.setHeader('access-control-allow-origin', req.headers.origin ?? '*');
    res.setHeader('access-control-allow-methods', 'PUT');
    res.setHeader('vary', 'Origin');
    res.statusCode = req.method === 'OPTIONS' ? 204 : 200;
    res.end();
  });
});

afterAll(async () => {
  for (const server of servers) {
    server.closeAllConnections();
    server.close();
  }
  await rm(dir, { recursive: true, force: true });
});

class Sink extends Writable {
  text = '';
  constructor(readonly isTTY = false) {
    super();
  }
  override _write(chunk: Buffer, _encoding: string, done: () => void): void {
    this.text += chunk.toString();
    done();
  }
}

async function run(args: string[], tty = false) {
  const stdout = new Sink();
  const stderr = new Sink(tty);
  const state = { code: -1 };
  const program = new Command().exitOverride().configureOutput({
    writeOut: (s) => stdout.write(s),
    writeErr: (s) => stderr.write(s),
  });
  registerConform(program, state, { stdout, stderr, env: { NO_COLOR: '1' } });
  try {
    await program.parseAsync(['conform', ...args], { from: 'user' });
  } catch {
    // commander's usage errors: the exit code is in the error, 2 for ours.
    if (state.code === -1) state.code = 2;
  }
  return { code: state.code, stdout: stdout.text, stderr: stderr.text };
}

describe('corsproof conform', () => {
  it('exits 0 and says so when the server conforms', async () => {
    const r = await run([good, '--policy', policyPath]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(
      /^conforms http:\/\/127\.0\.0\.1:\d+\/: all \d+ cases answer as the policy says/,
    );
  });

  it('exits 1 and lists the differences when the server lets other origins in', async () => {
    const r = await run([reflecting, '--policy', policyPath]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(
      'allowed-but-policy-refuses  suffix look-alike of https://app.example.com',
    );
    expect(r.stdout).toContain("-H 'Origin: https://app.example.com.corsproof-evil.test'");
  });

  it('writes JSON, JUnit and SARIF for CI', async () => {
    const json = JSON.parse((await run([reflecting, '--policy', policyPath, '--json'])).stdout);
    expect(json.conforms).toBe(false);
    expect(json.differences[0].kind).toBe('allowed-but-policy-refuses');
    const junit = await run([reflecting, '--policy', policyPath, '--format', 'junit']);
    expect(junit.code).toBe(1);
    expect(junit.stdout).toContain('<failure type="allowed-but-policy-refuses"');
    const sarif = JSON.parse(
      (await run([reflecting, '--policy', policyPath, '--format', 'sarif'])).stdout,
    );
    expect(sarif.runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri).toBe(
      policyPath,
    );
  });

  it('draws a progress bar on a terminal and clears it', async () => {
    const r = await run([good, '--policy', policyPath, '--concurrency', '2'], true);
    expect(r.stderr).toMatch(/\r\[=+ *\] \d+\/\d+ cases/);
    expect(r.stderr.endsWith('\r\u001b[2K')).toBe(true);
  });

  it('exits 2 naming the problem and the fix for a missing or invalid policy file', async () => {
    const missing = await run([good]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('missing --policy FILE');
    const unreadable = await run([good, '--policy', path.join(dir, 'nope.json')]);
    expect(unreadable.code).toBe(2);
    expect(unreadable.stderr).toMatch(/^corsproof: --policy: cannot read .*Fix: give the path/);
    const invalid = path.join(dir, 'null.json');
    await writeFile(invalid, JSON.stringify({ origins: ['null'] }));
    const refused = await run([good, '--policy', invalid]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('ORIGIN_NULL');
  });

  it('exits 2 with one line when the server does not answer', async () => {
    const closed = await listen(() => {});
    const server = servers.pop() as http.Server;
    await new Promise<void>((resolve) => server.close(() => resolve()));
    const r = await run([closed, '--policy', policyPath]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(
      /^corsproof: (\d+) of \1 cases got no answer from .*CONNECTION_REFUSED.*Fix: check the URL/,
    );
  });
});

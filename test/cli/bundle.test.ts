/**
 * The CLI bundle (dist/cli-bundle, made by scripts/bundle-cli.mjs): `check` runs from one file of
 * its own, through the bundle's own copy of undici (undici.cjs), not through node_modules; and
 * Node modules a check never uses (http2 and tls, http, assert, child_process, perf_hooks) stay
 * unloaded until something asks for them.
 */
import { execFile } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCliAsync, ROOT } from './build-cli.js';

const BUNDLE = path.join(ROOT, 'dist', 'cli-bundle');

let server: http.Server;
let url = '';

beforeAll(async () => {
  await buildCliAsync('bundle-cli');
  server = http.createServer((req, res) => {
    res.writeHead(200, { 'access-control-allow-origin': req.headers.origin ?? '*' });
    res.end('ok');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
}, 120_000);

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

/** Runs `script` (an ES module) in a fresh Node and returns what it printed as JSON. */
function inFreshNode(script: string): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      ['--input-type=module', '-e', script],
      { cwd: ROOT, timeout: 20_000 },
      (error, stdout, stderr) => {
        if (error !== null) reject(new Error(`${error.message}\n${stderr}`));
        else resolve(JSON.parse(stdout.trim().split('\n').at(-1) ?? '') as Record<string, unknown>);
      },
    );
  });
}

/** A check through the check bundle's main(), then what the process loaded. */
const CHECK_THEN_REPORT = (target: string, extra = '') => `
  import { createRequire } from 'node:module';
  const { main } = await import(${JSON.stringify(pathToFileURL(path.join(BUNDLE, 'main-check.js')).href)});
  const write = process.stdout.write.bind(process.stdout);
  process.stdout.write = () => true;
  const code = await main(['check', ${JSON.stringify(target)}, '--origin', 'https://app.example.com', '--json']);
  ${extra}
  const cache = Object.keys(createRequire(import.meta.url).cache);
  write(JSON.stringify({
    code,
    script: cache.filter((f) => f.endsWith('undici.cjs')).map((f) => f.slice(f.indexOf('dist'))),
    fromNodeModules: cache.filter((f) => f.includes('node_modules/undici/')).map((f) => f.slice(f.indexOf('undici/'))),
    natives: process.moduleLoadList.filter((m) =>
      /^NativeModule (http2|tls|http|assert|child_process|perf_hooks)$/.test(m),
    ),
  }) + '\\n');
`;

describe('the CLI bundle', () => {
  it('holds all of check in one file, importing no chunk of the split bundle', async () => {
    const text = await readFile(path.join(BUNDLE, 'main-check.js'), 'utf8');
    // esbuild writes its imports with double quotes; the generators' templates use single ones.
    const relative = [
      ...text.matchAll(/^import [^\n]* from "(\.{1,2}\/[^"]+)";$|\bimport\("(\.{1,2}\/[^"]+)"\)/gm),
    ].map(([, statically, dynamically]) => statically ?? dynamically ?? '');
    // The other subcommands, which a check never loads, are left to dist/cli.
    expect(relative.length).toBeGreaterThan(0);
    expect(relative.filter((specifier) => !specifier.startsWith('../cli/'))).toEqual([]);
    expect(relative).not.toContain('../cli/check/command.js');
  });

  it('checks through its own undici script, leaving unused Node modules unloaded for an http URL', async () => {
    const report = await inFreshNode(CHECK_THEN_REPORT(url));
    expect(report).toEqual({
      code: 0,
      script: [path.join('dist', 'cli-bundle', 'undici.cjs')],
      // Read by the script to check it was built from this version, and left out of it on
      // purpose: the one llhttp build a process compiles (SIMD where the CPU has it).
      fromNodeModules: [
        'undici/package.json',
        expect.stringMatching(/^undici\/lib\/llhttp\/llhttp(?:_simd)?-wasm\.js$/),
      ],
      natives: [],
    });
  });

  it('exports nothing beside another version of undici, whose files the CLI then loads', async () => {
    // The script leaves llhttp's WebAssembly and the fetch body reader to the installed undici,
    // which must be the version it was built from.
    const dir = await mkdtemp(path.join(os.tmpdir(), 'corsproof-bundle-'));
    try {
      await mkdir(path.join(dir, 'node_modules', 'undici'), { recursive: true });
      await writeFile(
        path.join(dir, 'node_modules', 'undici', 'package.json'),
        JSON.stringify({ name: 'undici', version: '0.0.1' }),
      );
      await copyFile(path.join(BUNDLE, 'undici.cjs'), path.join(dir, 'undici.cjs'));
      const report = await inFreshNode(`
        import { createRequire } from 'node:module';
        const script = createRequire(${JSON.stringify(pathToFileURL(path.join(dir, 'x.js')).href)})('./undici.cjs');
        process.stdout.write(JSON.stringify({ exported: Object.keys(script) }) + '\\n');
      `);
      expect(report).toEqual({ exported: [] });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('loads the real HTTP/2 client from the script when a connection negotiates h2', async () => {
    const fixtures = path.join(ROOT, 'src', 'service', 'guard', '__fixtures__');
    const report = await inFreshNode(`
      import { readFileSync } from 'node:fs';
      import { createRequire } from 'node:module';
      const require = createRequire(${JSON.stringify(pathToFileURL(path.join(BUNDLE, 'undici.cjs')).href)});
      const { Agent } = require('./undici.cjs');
      const before = process.moduleLoadList.includes('NativeModule http2');
      const http2 = await import('node:http2');
      const dir = ${JSON.stringify(fixtures)};
      const server = http2.createSecureServer({
        cert: readFileSync(dir + '/rebind.test.crt'),
        key: readFileSync(dir + '/rebind.test.key'),
      }, (req, res) => res.end(req.httpVersion));
      await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
      const agent = new Agent({ allowH2: true, connect: { rejectUnauthorized: false } });
      const chunks = [];
      const status = await new Promise((resolve, reject) => {
        let code = 0;
        agent.dispatch({ origin: 'https://127.0.0.1:' + server.address().port, path: '/', method: 'GET' }, {
          onConnect() {},
          onHeaders(statusCode) { code = statusCode; return true; },
          onData(chunk) { chunks.push(chunk); return true; },
          onComplete() { resolve(code); },
          onError: reject,
        });
      });
      await agent.close();
      server.close();
      process.stdout.write(JSON.stringify({ before, status, body: Buffer.concat(chunks).toString() }) + '\\n');
    `);
    expect(report).toEqual({ before: false, status: 200, body: '2.0' });
  });
});

/**
 * What the page tests run against: the built page (rebuilt when web/ changed), the service (in
 * this process, or the real `corsproof serve` command), the demo API, and a target whose CORS
 * answer the test switches on and off (for monitor transitions).
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';
import { createDemoHandler } from '../../src/cli/demo/api.js';
import { createService } from '../../src/service/http/server.js';
import type { Clock } from '../../src/service/jobs/clock.js';
import { createRunner } from '../../src/service/jobs/runner.js';
import { openSqliteStore } from '../../src/service/store/index.js';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const WEB_ROOT = path.join(ROOT, 'dist/web');
const WEB_SOURCE = path.join(ROOT, 'web');

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const file = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(file) : statSync(file).mtimeMs);
  }
  return newest;
}

/** Builds the page unless dist/web is newer than every file under web/. */
export async function ensurePageBuilt(): Promise<void> {
  const index = path.join(WEB_ROOT, 'index.html');
  if (existsSync(index) && statSync(index).mtimeMs >= newestMtime(WEB_SOURCE)) return;
  await build({ configFile: path.join(WEB_SOURCE, 'vite.config.ts'), logLevel: 'warn' });
}

async function listen(server: http.Server): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  return (server.address() as AddressInfo).port;
}

function closeServer(server: http.Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}

/** A service the page can talk to, and how to stop it. */
export interface RunningService {
  /** `http://127.0.0.1:<port>`: the page and the API. */
  readonly url: string;
  /** The demo API's base URL (another origin). */
  readonly demoUrl: string;
  /** Moves time on and runs the monitors that are then due (in-process only). */
  readonly runMonitorsAfter?: (seconds: number) => Promise<void>;
  stop(): Promise<void>;
}

/**
 * Wall-clock time plus an offset the test moves forward, so a monitor's next run comes due at
 * once instead of in 30 seconds.
 */
function shiftableClock(): Clock & { advance(ms: number): void } {
  let offset = 0;
  return {
    now: () => Date.now() + offset,
    setTimeout(callback, ms) {
      const timer = setTimeout(callback, ms);
      timer.unref();
      return timer;
    },
    clearTimeout(handle) {
      clearTimeout(handle as ReturnType<typeof setTimeout>);
    },
    advance(ms) {
      offset += ms;
    },
  };
}

/** The service, the demo API and a temporary database, all in this process. */
export async function startInProcessService(): Promise<RunningService> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'corsproof-e2e-'));
  const demo = http.createServer();
  const demoUrl = `http://localhost:${await listen(demo)}`;
  demo.on('request', createDemoHandler(demoUrl));

  const clock = shiftableClock();
  const store = openSqliteStore(path.join(dir, 'x.db'));
  const runner = createRunner({ privateTargets: 'loopback' });
  const { app, monitors } = await createService({
    store,
    runner,
    privateTargets: 'loopback',
    auth: 'off',
    webRoot: WEB_ROOT,
    clock,
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = app.server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    demoUrl,
    async runMonitorsAfter(seconds) {
      clock.advance(seconds * 1000);
      await monitors.runDue();
    },
    async stop() {
      await app.close();
      await runner.close();
      await store.close();
      await closeServer(demo);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Why the real `corsproof serve` cannot be run, or undefined when it can: dist/ must be built
 * (`npm run build`) and the command registered.
 */
export function serveSkipReason(): string | undefined {
  const help = spawnSync(process.execPath, ['bin/corsproof.js', 'serve', '--help'], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 15_000,
  });
  if (help.status === 0 && help.stdout.includes('--demo-port')) return undefined;
  const output = `${help.stderr}\n${help.stdout}`.split('\n');
  const why = output.find((line) => /error/i.test(line)) ?? output.find(Boolean) ?? '';
  return `\`corsproof serve\` cannot run from dist/ (exit ${help.status}: ${why.trim()}); build it with \`npm run build\`. The page was still tested against the service in-process.`;
}

/** `corsproof serve --port 0 --demo --demo-port 0`, reading both addresses from its banner. */
export async function startCliService(): Promise<RunningService> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'corsproof-serve-'));
  const child = spawn(
    process.execPath,
    [
      'bin/corsproof.js',
      'serve',
      '--port',
      '0',
      '--demo',
      '--demo-port',
      '0',
      '--db',
      path.join(dir, 'x.db'),
      '--web-root',
      WEB_ROOT,
    ],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const addresses = await new Promise<{ url: string; demoUrl: string }>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`serve printed no banner in 15 s:\n${stdout}\n${stderr}`)),
      15_000,
    );
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      // The first line is `corsproof serve listening on <url>`; the demo's line follows.
      const url = /listening on (http:\/\/\S+)/.exec(stdout)?.[1];
      const demoUrl = /demo API\s+(http:\/\/\S+?)\/?\s/.exec(stdout)?.[1];
      if (url !== undefined && demoUrl !== undefined) {
        clearTimeout(timer);
        resolve({ url, demoUrl });
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`serve exited with ${code}:\n${stdout}\n${stderr}`));
    });
  });
  return {
    ...addresses,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** An endpoint whose CORS answer the test turns on and off: a monitor's pass/fail history. */
export async function startSwitchableTarget(): Promise<{
  url: string;
  setAllowed(allowed: boolean): void;
  stop(): Promise<void>;
}> {
  let allowed = true;
  const server = http.createServer((req, res) => {
    if (allowed) {
      res.setHeader('access-control-allow-origin', req.headers.origin ?? '*');
      res.setHeader('vary', 'Origin');
    }
    res.setHeader('content-type', 'application/json');
    res.end('{"ok":true}');
  });
  const port = await listen(server);
  return {
    url: `http://localhost:${port}/status`,
    setAllowed(value) {
      allowed = value;
    },
    stop: () => closeServer(server),
  };
}

/**
 * Starts a `corsproof generate --standalone` example server for a test: writes the target's files
 * into a fresh temporary directory, runs its `run` script on a free loopback port, waits until the
 * server answers HTTP, and hands back its URL and a `stop` that ends the server and removes the
 * directory. Every server runs in its own process group, so `stop` ends exactly what it started.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { PolicyFile } from 'corsproof';
import type { Target } from '../../src/generate/target.js';

export interface RunningServer {
  /** `http://127.0.0.1:PORT`, without a trailing slash. */
  readonly url: string;
  /** The directory the server was written to (its logs are there while it runs). */
  readonly dir: string;
  /** Ends the server's process group and removes its directory. Safe to call twice. */
  stop(): Promise<void>;
}

export interface StartOptions {
  /** How long to wait for the first HTTP answer; default 20 s (Django and Apache start slowly). */
  readonly timeoutMs?: number;
}

/**
 * Whether a program is on the PATH (or at an absolute path). Tests skip a target whose server is
 * missing, except under `CI`, where a missing server is a failure.
 */
export function hasBinary(name: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v "$0"`, name], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** A port nothing listens on right now, from the kernel. */
async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Resolves once `url` answers any HTTP response; rejects if the process ends or time runs out. */
async function waitUntilAnswering(
  url: string,
  child: ChildProcess,
  output: () => string,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(
        `corsproof: the example server exited (${child.exitCode ?? child.signalCode}) before answering:\n${output()}`,
      );
    }
    try {
      const response = await fetch(`${url}/`, { signal: AbortSignal.timeout(1000) });
      await response.arrayBuffer();
      return;
    } catch {
      await sleep(100);
    }
  }
  throw new Error(
    `corsproof: the example server did not answer ${url} within ${timeoutMs} ms:\n${output()}`,
  );
}

function ended(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

/** Signals the child's whole process group (it was started detached, so it leads one). */
function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // Already gone.
  }
}

/**
 * Writes `target.standalone(file)` into a temporary directory and runs it.
 *
 * @example
 * const server = await startStandalone(nginx, parsePolicyFile({ origins: ['https://app.example'] }));
 * try { await fetch(server.url, { headers: { origin: 'https://app.example' } }) }
 * finally { await server.stop() }
 */
export async function startStandalone(
  target: Target,
  file: PolicyFile,
  options: StartOptions = {},
): Promise<RunningServer> {
  if (target.standalone === undefined) {
    throw new Error(`corsproof: the ${target.name} target has no standalone server`);
  }
  const dir = await mkdtemp(path.join(os.tmpdir(), `corsproof-${target.name}-`));
  let child: ChildProcess | undefined;
  const stop = async () => {
    if (child !== undefined) {
      const exit = ended(child);
      signalGroup(child, 'SIGTERM');
      const killed = setTimeout(() => signalGroup(child as ChildProcess, 'SIGKILL'), 5000);
      await exit;
      clearTimeout(killed);
      // Workers of the server (nginx, apache2) may outlive the leader for a moment.
      signalGroup(child, 'SIGKILL');
    }
    await rm(dir, { recursive: true, force: true });
  };
  try {
    const port = await freePort();
    for (const generated of target.standalone(file, { port })) {
      const where = path.join(dir, ...generated.path.split('/'));
      await mkdir(path.dirname(where), { recursive: true });
      await writeFile(where, generated.contents);
      if (generated.executable === true) await chmod(where, 0o755);
    }
    let output = '';
    child = spawn(path.join(dir, 'run'), [], {
      cwd: dir,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const keep = (chunk: Buffer) => {
      output = (output + chunk.toString()).slice(-8000);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    const url = `http://127.0.0.1:${port}`;
    await waitUntilAnswering(url, child, () => output, options.timeoutMs ?? 20_000);
    return { url, dir, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

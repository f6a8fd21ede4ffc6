/** Starting a benchmark server (bench/servers/*.mjs) as its own pinned process. */
import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { BENCH_SRC } from './paths.js';
import { SERVER_CORE, spawnPinned } from './procs.js';

export interface ServerHandle {
  readonly pid: number;
  readonly url: string;
  /** Requests served so far; only for servers started with `countRequests`. */
  count(): Promise<number>;
  stop(): Promise<void>;
}

export interface ServerOptions {
  readonly dist: string;
  readonly countRequests?: boolean;
}

type Message = { ready?: boolean; port?: number; error?: string; count?: number };

function onceExit(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });
}

/** Starts `bench/servers/<script>` in `mode`, pinned to the server core; resolves once it listens. */
export function startServer(
  script: string,
  mode: string,
  options: ServerOptions,
): Promise<ServerHandle> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    BENCH_DIST: options.dist,
    NODE_ENV: 'production',
  };
  if (options.countRequests) env.BENCH_COUNT_REQUESTS = '1';
  const child = spawnPinned(
    SERVER_CORE,
    process.execPath,
    [join(BENCH_SRC, 'servers', script), mode],
    {
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
      env,
    },
  );
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => {
    stderr = (stderr + d).slice(-2000);
  });
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 2000);
      await onceExit(child);
      clearTimeout(timer);
    }
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      void stop();
      reject(new Error(`${script} ${mode}: not listening after 30 s. ${stderr.trim()}`));
    }, 30_000);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`${script} ${mode}: exited (${signal ?? code}). ${stderr.trim()}`));
    });
    child.on('message', (message: Message) => {
      if (message.error !== undefined) {
        clearTimeout(timer);
        void stop();
        reject(new Error(message.error));
      } else if (message.ready && message.port !== undefined) {
        clearTimeout(timer);
        resolve({
          pid: child.pid ?? -1,
          url: `http://127.0.0.1:${message.port}/`,
          stop,
          count: () =>
            new Promise((res) => {
              const listener = (m: Message) => {
                if (m.count !== undefined) {
                  child.off('message', listener);
                  res(m.count);
                }
              };
              child.on('message', listener);
              child.send({ cmd: 'count' });
            }),
        });
      }
    });
  });
}

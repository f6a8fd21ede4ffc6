/** Runs clients/load-client.js pinned to the load core, measuring the server's CPU meanwhile. */
import { join } from 'node:path';
import { BENCH_BUILD } from '../lib/paths.js';
import { LOAD_CORE, processCpuSeconds, spawnPinned } from '../lib/procs.js';
import type { ServerHandle } from '../lib/server.js';
import type { ClientInput, ClientOutput } from './load-client.js';

export interface ClientRun extends ClientOutput {
  /** Operations per wall-clock second. */
  readonly rate: number;
  /** Operations per second of client CPU: what one whole core would do. */
  readonly perCore: number;
  readonly clientShare: number;
  readonly serverShare: number;
}

/**
 * Runs one client. The client prints BENCH_START and BENCH_END around its measured window (after
 * its start-up and warm-up), and the server's CPU time is read at those two moments.
 */
export function runClient(input: ClientInput, server: ServerHandle): Promise<ClientRun> {
  const child = spawnPinned(
    LOAD_CORE,
    process.execPath,
    ['--expose-gc', join(BENCH_BUILD, 'clients', 'load-client.js'), JSON.stringify(input)],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stdout = '';
  let stderr = '';
  let cpuStart = Number.NaN;
  let cpuEnd = Number.NaN;
  child.stdout?.on('data', (d: Buffer) => {
    stdout += d;
    if (Number.isNaN(cpuStart) && stdout.includes('BENCH_START\n'))
      cpuStart = processCpuSeconds(server.pid);
    if (Number.isNaN(cpuEnd) && stdout.includes('BENCH_END\n'))
      cpuEnd = processCpuSeconds(server.pid);
  });
  child.stderr?.on('data', (d: Buffer) => {
    stderr = (stderr + d).slice(-4000);
  });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => {
      const last = stdout.trim().split('\n').pop() ?? '';
      if (code !== 0 || !last.startsWith('{')) {
        const tail = stderr.trim().split('\n').slice(-3).join(' ');
        reject(new Error(`${input.mode} client failed (${code}): ${tail}`));
        return;
      }
      const out = JSON.parse(last) as ClientOutput;
      resolve({
        ...out,
        rate: out.ops / out.seconds,
        perCore: out.ops / out.cpuSeconds,
        clientShare: out.cpuSeconds / out.seconds,
        serverShare: (cpuEnd - cpuStart) / out.seconds,
      });
    });
  });
}

/**
 * Child processes: pinning to a core, CPU accounting from /proc, and making sure no child outlives
 * the bench (Ctrl+C, SIGTERM, an exception: every tracked child is killed by its own pid).
 */
import { type ChildProcess, execFileSync, type SpawnOptions, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';

const children = new Set<ChildProcess>();

export function track<T extends ChildProcess>(child: T): T {
  children.add(child);
  child.once('exit', () => children.delete(child));
  return child;
}

function killAll(signal: NodeJS.Signals): void {
  for (const child of children) {
    if (child.exitCode === null && child.signalCode === null) {
      try {
        child.kill(signal);
      } catch {
        // Already gone.
      }
    }
  }
}

/** Kills every child on exit and on the usual termination signals. Call once, at start. */
export function installCleanup(): void {
  process.once('exit', () => killAll('SIGKILL'));
  const onSignal = (signal: NodeJS.Signals, code: number) => {
    process.stderr.write(`\nbench: ${signal}, stopping ${children.size} child process(es)\n`);
    killAll('SIGKILL');
    process.exit(code);
  };
  process.once('SIGINT', () => onSignal('SIGINT', 130));
  process.once('SIGTERM', () => onSignal('SIGTERM', 143));
  process.once('SIGHUP', () => onSignal('SIGHUP', 129));
}

function hasCommand(command: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

export const HAS = {
  taskset: hasCommand('taskset'),
  curl: hasCommand('curl'),
  hyperfine: hasCommand('hyperfine'),
};

/** Pinning needs taskset and two cores: the load generator on core 0, the measured side on 1. */
export const CAN_PIN = HAS.taskset && cpus().length >= 2;
export const LOAD_CORE = 0;
export const SERVER_CORE = 1;

/** The command line that runs `command` pinned to `core` (or unpinned when we cannot pin). */
export function pinned(core: number, command: string, args: readonly string[]): [string, string[]] {
  return CAN_PIN ? ['taskset', ['-c', String(core), command, ...args]] : [command, [...args]];
}

/** Spawns `command` pinned to `core` and tracks it. taskset execs, so the pid is the command's. */
export function spawnPinned(
  core: number,
  command: string,
  args: readonly string[],
  options: SpawnOptions,
): ChildProcess {
  const [cmd, argv] = pinned(core, command, args);
  return track(spawn(cmd, argv, options));
}

export const CLK_TCK = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

/** Fields of /proc/<pid>/stat after the command name (which may contain spaces). */
function statFields(path: string): string[] | null {
  try {
    const stat = readFileSync(path, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return null;
  }
}

/** CPU seconds (user + system) a live process has used, or NaN if it is gone. */
export function processCpuSeconds(pid: number): number {
  const f = statFields(`/proc/${pid}/stat`);
  // utime and stime are fields 14 and 15 of stat(5), i.e. 11 and 12 after the state field.
  return f === null ? Number.NaN : (Number(f[11]) + Number(f[12])) / CLK_TCK;
}

/**
 * CPU seconds used by this process's children that have exited and been reaped (cutime + cstime):
 * read before and after a load-generator run, the difference is that run's CPU, all threads.
 */
export function reapedChildrenCpuSeconds(): number {
  const f = statFields('/proc/self/stat');
  return f === null ? Number.NaN : (Number(f[13]) + Number(f[14])) / CLK_TCK;
}

export interface CoreTicks {
  readonly busy: number;
  readonly total: number;
}

/** Busy and total time of one core so far, from /proc/stat, in seconds. */
export function coreTicks(core: number): CoreTicks {
  try {
    const line = readFileSync('/proc/stat', 'utf8')
      .split('\n')
      .find((l) => l.startsWith(`cpu${core} `));
    if (line === undefined) return { busy: Number.NaN, total: Number.NaN };
    const v = line.trim().split(/\s+/).slice(1).map(Number);
    // user nice system idle iowait irq softirq steal [guest guest_nice, already in user/nice]
    const total = v.slice(0, 8).reduce((a, b) => a + b, 0);
    const idle = (v[3] ?? 0) + (v[4] ?? 0);
    return { busy: (total - idle) / CLK_TCK, total: total / CLK_TCK };
  } catch {
    return { busy: Number.NaN, total: Number.NaN };
  }
}

/** Runs a command to completion, collecting its output; resolves even when it fails. */
export function run(
  command: string,
  args: readonly string[],
  options: SpawnOptions & { core?: number } = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child =
      options.core === undefined
        ? track(spawn(command, [...args], { ...options, stdio: ['ignore', 'pipe', 'pipe'] }))
        : spawnPinned(options.core, command, args, {
            ...options,
            stdio: ['ignore', 'pipe', 'pipe'],
          });
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (d: Buffer) => {
      stdout += d;
    });
    child.stderr?.on('data', (d: Buffer) => {
      stderr += d;
    });
    child.once('error', (error) =>
      resolve({ code: null, stdout, stderr: `${stderr}${error.message}` }),
    );
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

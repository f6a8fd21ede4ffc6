/** The machine and software a run was taken on, for the report's header. */
import { execFileSync } from 'node:child_process';
import { cpus, loadavg, release, totalmem } from 'node:os';

function git(root: string, args: string[]): string {
  try {
    return execFileSync('git', ['-C', root, ...args], { encoding: 'utf8' }).trim();
  } catch {
    return '';
  }
}

export interface Machine {
  readonly date: string;
  readonly node: string;
  readonly kernel: string;
  readonly cpu: string;
  readonly memoryGiB: number;
  readonly commit: string;
  readonly loadAtStart: readonly number[];
}

export function describeMachine(root: string): Machine {
  const list = cpus();
  const commit = git(root, ['rev-parse', '--short', 'HEAD']);
  const dirty = git(root, ['status', '--porcelain', '--untracked-files=no']) !== '';
  return {
    date: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
    node: process.version,
    kernel: `Linux ${release()}`,
    cpu: `${list[0]?.model.trim() ?? '?'} × ${list.length}`,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    commit: commit === '' ? '?' : `${commit}${dirty ? ' + uncommitted changes' : ''}`,
    loadAtStart: loadavg(),
  };
}

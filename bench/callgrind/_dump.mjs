/**
 * Reading a callgrind dump: its total instructions, and how many of them V8's optimizing compiler
 * (TurboFan, on its background threads) executed. Compilation goes on long after a warm-up (on a
 * node:http server after 1,500 requests it was still 40–65% of everything counted, varying from
 * run to run), so the figure without it is the steadier one: the code that ran, not the compiling
 * of it. Garbage collection, on any thread, stays counted.
 *
 * The main thread's part (everything under `node::Start`) is the third figure: the work the event
 * loop itself did, without V8's helper threads (compiling, concurrent marking, sweeping), whose
 * share swings with when a major GC happens to fall into the counted window.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

/** The function whose inclusive cost is all of TurboFan's background work. */
const COMPILE_TASK = 'OptimizingCompileDispatcher::CompileTask::RunInternal';
/** The function whose inclusive cost is everything the main thread did. */
const MAIN_THREAD = 'node::Start(int, char**)';

/** The inclusive count on the annotated line naming `fn`, or 0. */
function inclusive(annotated, fn) {
  const line = annotated.split('\n').find((l) => l.includes(fn));
  return line === undefined ? 0 : Number(line.trim().split(/\s+/)[0].replaceAll(',', ''));
}

/**
 * valgrind's arguments to run a program under callgrind, writing to `outFile`, for dumps that
 * dumpCounters reads (no per-instruction data, names uncompressed).
 */
export function callgrindArgs(outFile) {
  return [
    '--tool=callgrind',
    `--callgrind-out-file=${outFile}`,
    '--dump-instr=no',
    '--compress-strings=no',
  ];
}

/**
 * Dumps the counters of the callgrind process `pid`, reads the newest dump of `outFile`, keeps a
 * copy as `<keep>/<name>.out` when `keep` is set, and removes the dumps.
 * Resolves with `{ all, compile, main }`: total instructions, TurboFan's part of them, and the
 * main thread's.
 */
export function dumpCounters(pid, outFile, keep, name) {
  execFileSync('callgrind_control', ['-d', String(pid)], { stdio: 'ignore' });
  const files = execFileSync('sh', ['-c', `ls -1t ${outFile}.* 2>/dev/null || true`])
    .toString()
    .trim()
    .split('\n')
    .filter(Boolean);
  const file = files[0];
  const text = readFileSync(file, 'utf8');
  const totals = /^(?:summary|totals):\s+(\d+)/m.exec(text);
  const annotated = execFileSync(
    'callgrind_annotate',
    ['--inclusive=yes', '--threshold=100', file],
    { maxBuffer: 256 * 1024 * 1024 },
  ).toString();
  const compile = inclusive(annotated, COMPILE_TASK);
  const main = inclusive(annotated, MAIN_THREAD);
  if (keep !== undefined) {
    mkdirSync(keep, { recursive: true });
    copyFileSync(file, join(keep, `${name}.out`));
  }
  for (const f of files) rmSync(f, { force: true });
  return { all: Number(totals?.[1] ?? Number.NaN), compile, main };
}

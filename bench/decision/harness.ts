/**
 * A careful micro-benchmark loop. Each variant is a loop function compiled on its own (so call sites
 * stay monomorphic and no variant's type feedback pollutes another's); variants are calibrated to
 * run at least `sampleMs` per sample, warmed up, then sampled in interleaved order, and every result
 * is folded into a sink that is printed, so nothing is dead code.
 */
import { Buffer } from 'node:buffer';

/** Runs `n` iterations and returns a value depending on every one of them. */
export type Loop = (n: number) => number;

export interface MicroVariant {
  readonly name: string;
  readonly loop: Loop;
}

export interface MicroResult {
  readonly name: string;
  /** Iterations per sample (of the last sample, if a sample had to be redone). */
  readonly iterations: number;
  /** ns per iteration, one per sample. */
  readonly samples: number[];
  /** Duration of the shortest sample. */
  readonly shortestMs: number;
}

let sink = 0;

/** Everything the loops returned, folded: printed by the worker so the work cannot be elided. */
export function sinkValue(): number {
  return sink;
}

const gc = (globalThis as { gc?: () => void }).gc ?? (() => {});

function timeNs(loop: Loop, n: number): number {
  const start = process.hrtime.bigint();
  sink = (sink + loop(n)) | 0;
  return Number(process.hrtime.bigint() - start);
}

/**
 * Warms a loop up and finds the iteration count for one sample of `sampleMs`. The first calls pay
 * for compilation and cold caches: the count doubles until one call takes an eighth of a sample,
 * then calls repeat until a whole sample's time has gone into warming up (V8 has then had the time
 * to optimize), and the last, warm, call sets the count.
 */
function calibrate(loop: Loop, sampleMs: number): number {
  const target = sampleMs * 1e6;
  let n = 16;
  let t = timeNs(loop, n);
  let spent = t;
  while (t < target / 8 && n < 2 ** 30) {
    n *= 2;
    t = timeNs(loop, n);
    spent += t;
  }
  while (spent < target) {
    t = timeNs(loop, n);
    spent += t;
  }
  return Math.max(1, Math.ceil((n * target * 1.05) / Math.max(t, 1)));
}

/**
 * Measures groups of variants (one group per case), interleaved at every level: sample s runs every
 * group in turn, and within a group the variants starting at variant s mod count. Load that comes
 * and goes on a shared machine thus spreads over all cases and variants alike, and cases compared
 * with each other (1 origin against 10,000) are measured under the same conditions. A sample that
 * ends up shorter than 90% of `sampleMs` (the code got faster after calibration) is redone with a
 * rescaled count, so every sample kept lasts about `sampleMs` or more.
 *
 * The heap is collected once, before; not between samples: forcing a full GC between samples made
 * V8 flip allocation-site pretenuring for allocation-heavy code such as `cors`, whose samples then
 * alternated 5× in speed. The GC work a variant's garbage causes belongs in its figure anyway.
 */
export function measureInterleaved(
  groups: readonly (readonly MicroVariant[])[],
  sampleMs: number,
  samples: number,
  progress: (line: string) => void = () => {},
): MicroResult[][] {
  gc();
  const target = sampleMs * 1e6;
  const results = groups.map((variants) =>
    variants.map((v) => ({
      name: v.name,
      iterations: calibrate(v.loop, sampleMs),
      samples: [] as number[],
      shortestMs: Number.POSITIVE_INFINITY,
    })),
  );
  for (let s = 0; s < samples; s++) {
    groups.forEach((variants, g) => {
      for (let k = 0; k < variants.length; k++) {
        const i = (s + k) % variants.length;
        const r = results[g]![i]!;
        let t = timeNs(variants[i]!.loop, r.iterations);
        for (let retry = 0; t < target * 0.9 && retry < 3; retry++) {
          r.iterations = Math.ceil((r.iterations * target * 1.05) / Math.max(t, 1));
          t = timeNs(variants[i]!.loop, r.iterations);
        }
        r.samples.push(t / r.iterations);
        r.shortestMs = Math.min(r.shortestMs, t / 1e6);
      }
    });
    progress(`sample ${s + 1}/${samples} of ${groups.length} cases done`);
  }
  return results;
}

/** Longer strings are reused rather than copied: see {@link freshString}. */
export const FRESH_LIMIT = 4096;

/**
 * The per-iteration source of a fresh copy of `value`. A real request's header values are new
 * strings every time (so hashes are not cached, comparisons read the characters); so are these,
 * made from a Buffer in the cheapest encoding that holds them. The copy costs the same in every
 * variant, the harness variant included, and is subtracted. Values longer than FRESH_LIMIT (the
 * adversarial ones) are the same string every time: copying 200 kB per iteration would bury what
 * is measured under the copy and its garbage, and V8 hashes such long strings by length alone.
 */
export function freshString(value: string, vals: (Buffer | string)[]): string {
  vals.push(value);
  const i = vals.length - 1;
  if (value.length > FRESH_LIMIT) return `vals[${i}]`;
  // biome-ignore lint/suspicious/noControlCharactersInRegex: a range test, not a match on text
  const latin1 = !/[^\u0000-\u00ff]/.test(value);
  vals[i] = Buffer.from(value, latin1 ? 'latin1' : 'utf16le');
  return `vals[${i}].toString(${latin1 ? "'latin1'" : "'utf16le'"})`;
}

/** A response with what `cors` and corsproof's node adapter use: headers, status, end. */
export class MockRes {
  statusCode = 200;
  /** Calls made: a cheap result that depends on all of them. */
  n = 0;
  readonly h = new Map<string, unknown>();
  setHeader(name: string, value: unknown): this {
    this.h.set(name.toLowerCase(), value);
    this.n++;
    return this;
  }
  getHeader(name: string): unknown {
    return this.h.get(name.toLowerCase());
  }
  end(): this {
    this.n++;
    return this;
  }
}

/** Where requests and responses escape to, so the allocation cannot be optimized away anywhere. */
export const escapeTo: { req: unknown; res: unknown } = { req: null, res: null };

/**
 * A loop that builds a fresh request (an object literal of the given shape whose string fields are
 * fresh copies) and a fresh MockRes per iteration and hands them to `run`. `shape` is source text
 * with `$(value)` markers for the strings; the rest is inlined as written.
 */
export function compileLoop(
  build: (fresh: (value: string) => string) => string,
  run: (req: never, res: MockRes) => number,
): Loop {
  const vals: (Buffer | string)[] = [];
  const literal = build((value) => freshString(value, vals));
  const body = `let acc = 0;
for (let i = 0; i < n; i++) {
  const req = ${literal};
  const res = new Res();
  acc = (acc + run(req, res)) | 0;
}
return acc;`;
  const fn = new Function('run', 'vals', 'Res', 'n', body) as (
    run: (req: never, res: MockRes) => number,
    vals: readonly (Buffer | string)[],
    Res: typeof MockRes,
    n: number,
  ) => number;
  return (n) => fn(run, vals, MockRes, n);
}

/**
 * The random harnesses' knobs. Every harness draws from a seeded generator, so a run is the same
 * run on every machine; the number of cases is modest by default and scaled by one environment
 * variable, which `npm run test:long` sets to a million:
 *
 *   CORSPROOF_CASES=1000000 npx vitest run test/fuzz   # the long run
 *   CORSPROOF_SEED=42 npx vitest run test/fuzz         # another seed, same counts
 *
 * Harnesses whose cases cost more (a real HTTP exchange per adapter, a middleware pair) take a
 * fixed fraction of CORSPROOF_CASES, stated where they use it.
 */

/** Policy × request cases at the default, and the count the knob asks for. */
export const DEFAULT_CASES = 5_000;

export function caseCount(): number {
  const raw = process.env.CORSPROOF_CASES;
  if (raw === undefined || raw === '') return DEFAULT_CASES;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) {
    throw new Error(`CORSPROOF_CASES must be a whole number above 0, not ${JSON.stringify(raw)}`);
  }
  return n;
}

/** `caseCount() / divisor`, never below `floor`. */
export function scaledCases(divisor: number, floor: number): number {
  return Math.max(floor, Math.round(caseCount() / divisor));
}

export function seed(): number {
  const raw = process.env.CORSPROOF_SEED;
  return raw === undefined || raw === '' ? 20_261_207 : Number(raw) >>> 0;
}

/** A test's time limit for `cases` cases at `perCaseMs` each (on a busy machine), at least 20 s. */
export function budgetMs(cases: number, perCaseMs: number): number {
  return Math.max(20_000, Math.ceil(cases * perCaseMs));
}

/** A small seeded generator (mulberry32): same seed, same sequence, everywhere. */
export interface Random {
  /** A float in [0, 1). */
  next(): number;
  int(below: number): number;
  bool(p?: number): boolean;
  pick<T>(items: readonly T[]): T;
  /** Each item kept with probability `p`, order kept. */
  subset<T>(items: readonly T[], p?: number): T[];
}

export function random(seedValue: number): Random {
  let a = seedValue >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
  const r: Random = {
    next,
    int: (below) => Math.floor(next() * below),
    bool: (p = 0.5) => next() < p,
    pick: (items) => items[Math.floor(next() * items.length)] as (typeof items)[number],
    subset: (items, p = 0.5) => items.filter(() => next() < p),
  };
  return r;
}

/** Prints a harness's figures in one line, for RELIABILITY.md (vitest shows stdout). */
export function report(name: string, figures: Record<string, number | string>): void {
  const parts = Object.entries(figures).map(([k, v]) => `${k}=${v}`);
  console.log(`[fuzz] ${name}: ${parts.join(' ')} seed=${seed()}`);
}

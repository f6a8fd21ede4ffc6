/**
 * Hostile request headers against random policies: comma and whitespace floods, huge tokens and
 * hosts, thousands of labels, control characters and non-Latin-1 text in Origin,
 * Access-Control-Request-Method and Access-Control-Request-Headers, up to 64 KiB each (four
 * times Node's default limit for a whole header section).
 *
 * Asserted on every case: nothing thrown, the decision given at once (no promise), no
 * Allow-Origin the policy does not allow, header values Node would send as they are, and no
 * amplification (the answer's headers never larger than a constant plus the request's).
 *
 * The cost ratio (CPU time of a hostile decision over a browser's ordinary one, interleaved in
 * one run) is measured and printed for RELIABILITY.md, never asserted: clocks on a shared machine
 * are noisy. The bound that is asserted without a clock is in spec/list-value.test.ts (characters
 * read per character received).
 *
 * Cases: CORSPROOF_CASES / 5, at least 1 000 (200 000 under `npm run test:long`).
 */
import { type CorsRequest, compilePolicy, type Decision } from 'corsproof';
import { describe, expect, it } from 'vitest';
import { getHeader } from './fetch-oracle.js';
import { allows, randomModel } from './generators.js';
import { budgetMs, type Random, random, report, scaledCases, seed } from './knobs.js';

const SIZES = [1_024, 8_192, 16_384, 65_536];
const REPEAT = 5;

/** A hostile value of about `size` characters, of one of the families. */
function hostile(r: Random, size: number): { family: string; value: string } {
  const families: [string, () => string][] = [
    ['comma flood', () => ','.repeat(size)],
    ['token flood', () => 'x-a,'.repeat(size / 4)],
    ['whitespace flood', () => ' \t'.repeat(size / 2)],
    ['spaced commas', () => ' , '.repeat(size / 3)],
    ['one huge token', () => 'a'.repeat(size)],
    ['distinct tokens', () => Array.from({ length: size / 8 }, (_, i) => `x-${i}`).join(',')],
    ['many labels', () => `https://${'a.'.repeat(size / 2)}example`],
    ['huge port', () => `https://a.test:${'9'.repeat(size)}`],
    ['control characters', () => 'x-a\u0000\r\n'.repeat(size / 6)],
    ['non-Latin-1', () => '\u2603\u00e9'.repeat(size / 2)],
    ['wildcards', () => '*,'.repeat(size / 2)],
    ['percent-encoding', () => `https://${'%2e'.repeat(size / 3)}a.test`],
  ];
  const [family, make] = r.pick(families);
  return { family, value: make() };
}

function decide(policy: ReturnType<typeof compilePolicy>, request: CorsRequest): Decision {
  const d = policy.decide(request);
  if (d instanceof Promise) throw new Error('a policy without a predicate answered later');
  return d;
}

function isSendable(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if ((c < 0x20 && c !== 0x09) || c === 0x7f || c > 0xff) return false;
  }
  return true;
}

const cpuMicros = () => {
  const u = process.cpuUsage();
  return u.user + u.system;
};

describe('hostile request headers', () => {
  const total = scaledCases(5, 1_000);
  it(
    `are answered safely and without amplification over ${total} cases`,
    async () => {
      const r = random(seed() ^ 0xbad);
      let yielded = 0;
      const counts = { cases: 0, policies: 0, maxOutputBytes: 0, maxInputBytes: 0 };
      const cost = new Map<string, { hostile: number; ordinary: number; n: number }>();
      while (counts.cases < total) {
        // Let the test runner's own messages through now and then on a long run.
        if (counts.cases - yielded >= 500) {
          yielded = counts.cases;
          await new Promise((resolve) => setImmediate(resolve));
        }
        const model = randomModel(r);
        if (model.origins === '*' && model.credentials) continue;
        counts.policies++;
        const policy = compilePolicy(model.options);
        const ordinary: CorsRequest = {
          method: 'OPTIONS',
          origin: 'https://app.example',
          requestMethod: 'PUT',
          requestHeaders: 'content-type,x-a',
        };
        for (let i = 0; i < 8 && counts.cases < total; i++) {
          counts.cases++;
          const { family, value } = hostile(r, r.pick(SIZES));
          const field = r.pick(['origin', 'requestMethod', 'requestHeaders'] as const);
          const request: CorsRequest = { ...ordinary, [field]: value };
          // Interleaved: the ordinary request, then the hostile one, on the same policy, each a
          // few times (the clock counts microseconds; one ordinary decision takes about one).
          const t0 = cpuMicros();
          for (let k = 0; k < REPEAT; k++) decide(policy, ordinary);
          const t1 = cpuMicros();
          let d = decide(policy, request);
          for (let k = 1; k < REPEAT; k++) d = decide(policy, request);
          const t2 = cpuMicros();
          const key = `${field} ${family}`;
          const c = cost.get(key) ?? { hostile: 0, ordinary: 0, n: 0 };
          c.ordinary += t1 - t0;
          c.hostile += t2 - t1;
          c.n++;
          cost.set(key, c);

          const acao = getHeader(d.headers, 'access-control-allow-origin');
          if (acao !== null && acao !== '*') {
            expect(acao === request.origin && allows(model, acao), key).toBe(true);
          }
          let out = d.vary?.length ?? 0;
          for (const [name, v] of d.headers) {
            out += name.length + v.length;
            if (!isSendable(v)) expect.fail(`${key}: unsendable ${name} value`);
          }
          const input = value.length;
          counts.maxOutputBytes = Math.max(counts.maxOutputBytes, out);
          counts.maxInputBytes = Math.max(counts.maxInputBytes, input);
          // No amplification: what goes out is bounded by what came in, plus the policy's own.
          if (out > 4_096 + input) expect.fail(`${key}: ${out} bytes out for ${input} in`);
        }
      }
      // Ratios of summed CPU time per family (microsecond clock: small sums are coarse).
      const ratios = [...cost.entries()]
        .map(([k, c]) => [k, c.hostile / Math.max(1, c.ordinary)] as const)
        .sort((a, b) => b[1] - a[1]);
      const worst = ratios[0];
      report('hostile headers', {
        ...counts,
        families: cost.size,
        worstCostRatio: worst === undefined ? 'n/a' : `${worst[1].toFixed(1)} (${worst[0]})`,
      });
      for (const [k, ratio] of ratios.slice(0, 5))
        console.log(`  cost ratio ${ratio.toFixed(1)}  ${k}`);
    },
    budgetMs(total, 2),
  );
});

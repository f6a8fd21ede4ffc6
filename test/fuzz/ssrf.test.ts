/**
 * SSRF forms against the service's guard: random private, loopback, link-local, metadata and
 * otherwise unroutable addresses, each written in one of the many ways a URL can spell it
 * (decimal, hex, octal, short IPv4, IPv4-mapped and NAT64 IPv6, trailing dots, user info, odd
 * ports), and names whose DNS answers include such an address. Every one must be refused before
 * a byte is sent: by `validateTarget` (what the service checks on submission), and, for the
 * literal forms, by the guarded dispatcher at connect time (the check that counts). Public
 * addresses in the same spellings must pass, so the guard is not simply refusing everything.
 *
 * Cases: CORSPROOF_CASES / 10, at least 500 (100 000 under `npm run test:long`).
 */
import { request } from 'undici';
import { afterAll, describe, expect, it } from 'vitest';
import {
  createGuardedDispatcher,
  type LookupAddress,
  TargetRefusedError,
  validateTarget,
} from '../../src/service/guard/index.js';
import { budgetMs, type Random, random, report, scaledCases, seed } from './knobs.js';

/** [a, b, c, d] of addresses no public check service may reach. */
const PRIVATE_V4: readonly (readonly [number, number, number, number])[] = [
  [127, 0, 0, 1],
  [127, 1, 2, 3],
  [10, 0, 0, 1],
  [10, 255, 1, 9],
  [172, 16, 0, 1],
  [172, 31, 255, 254],
  [192, 168, 1, 1],
  [169, 254, 169, 254],
  [100, 64, 0, 1],
  [0, 0, 0, 0],
  [224, 0, 0, 1],
  [255, 255, 255, 255],
  [198, 18, 0, 1],
  [192, 0, 0, 170],
];
const PUBLIC_V4: readonly (readonly [number, number, number, number])[] = [
  [8, 8, 8, 8],
  [1, 1, 1, 1],
  [93, 184, 215, 14],
];
const PRIVATE_V6 = ['::1', '::', 'fe80::1', 'fc00::1', 'fd12:3456::1', 'ff02::1'];

type V4 = readonly [number, number, number, number];
const int32 = ([a, b, c, d]: V4) => ((a << 24) >>> 0) + (b << 16) + (c << 8) + d;
const hex2 = (n: number) => n.toString(16).padStart(2, '0');

/** The ways a URL host can spell an IPv4 address (the WHATWG URL parser reads them all). */
const V4_SPELLINGS: readonly [string, (ip: V4) => string][] = [
  ['dotted', (ip) => ip.join('.')],
  ['decimal', (ip) => String(int32(ip))],
  ['hex', (ip) => `0x${int32(ip).toString(16)}`],
  ['octal parts', (ip) => ip.map((p) => `0${p.toString(8)}`).join('.')],
  ['hex parts', (ip) => ip.map((p) => `0x${p.toString(16)}`).join('.')],
  ['short a.b.c', ([a, b, c, d]) => `${a}.${b}.${(c << 8) + d}`],
  ['short a.b', ([a, b, c, d]) => `${a}.${(b << 16) + (c << 8) + d}`],
  ['trailing dot', (ip) => `${ip.join('.')}.`],
  ['IPv4-mapped', (ip) => `[::ffff:${ip.join('.')}]`],
  ['IPv4-mapped hex', ([a, b, c, d]) => `[::ffff:${hex2(a)}${hex2(b)}:${hex2(c)}${hex2(d)}]`],
  ['NAT64', (ip) => `[64:ff9b::${ip.join('.')}]`],
];

interface Form {
  readonly url: string;
  readonly spelling: string;
  readonly literal: boolean;
  readonly shouldPass: boolean;
  /** Whether the address itself is one the guard refuses (else only the URL's form is refused). */
  readonly privateAddress: boolean;
  /** What the fake DNS answers for a name form. */
  readonly answers?: readonly LookupAddress[];
}

function randomForm(r: Random): Form {
  const scheme = r.pick(['http', 'https']);
  const port = r.pick(['', ':80', ':443', ':8080', ':3000']);
  const path = r.pick(['/', '/latest/meta-data/', '/?a=b', '']);
  const userinfo = r.bool(0.05) ? 'user@' : '';
  const roll = r.next();
  if (roll < 0.6) {
    const pass = r.bool(0.15);
    const ip = pass ? r.pick(PUBLIC_V4) : r.pick(PRIVATE_V4);
    // Public addresses in the IPv4 spellings only: how the guard treats an IPv6 wrapping of a
    // public address is its own choice, and either answer is safe.
    const [spelling, spell] = r.pick(pass ? V4_SPELLINGS.slice(0, 8) : V4_SPELLINGS);
    return {
      url: `${scheme}://${userinfo}${spell(ip)}${port}${path}`,
      spelling,
      literal: true,
      shouldPass: pass && userinfo === '',
      privateAddress: !pass,
    };
  }
  if (roll < 0.75) {
    return {
      url: `${scheme}://[${r.pick(PRIVATE_V6)}]${port}${path}`,
      spelling: 'IPv6',
      literal: true,
      shouldPass: false,
      privateAddress: true,
    };
  }
  if (roll < 0.85) {
    const name = r.pick(['localhost', 'LOCALHOST', 'localhost.', 'api.localhost', 'a.b.localhost']);
    return {
      url: `${scheme}://${name}${port}${path}`,
      spelling: 'localhost name',
      literal: false,
      shouldPass: false,
      privateAddress: true,
    };
  }
  // A name whose DNS answers include a private address (a rebinding attempt, or a split answer).
  const privateAnswer = r.pick(PRIVATE_V4).join('.');
  const answers: LookupAddress[] = [{ address: privateAnswer, family: 4 }];
  if (r.bool()) answers.unshift({ address: '93.184.215.14', family: 4 });
  if (r.bool(0.3)) answers.push({ address: r.pick(PRIVATE_V6), family: 6 });
  return {
    url: `${scheme}://${r.pick(['rebind', 'internal', 'a-b'])}.example.net${port}${path}`,
    spelling: answers.length > 1 ? 'name, mixed answers' : 'name, private answer',
    literal: false,
    shouldPass: false,
    privateAddress: true,
    answers,
  };
}

const dispatcher = createGuardedDispatcher();
afterAll(() => dispatcher.close());

describe("the service's SSRF guard", () => {
  const total = scaledCases(10, 500);
  it(
    `refuses every private form of ${total} random URLs, and lets the public ones through`,
    async () => {
      const r = random(seed() ^ 0x55f);
      const counts = { forms: 0, refused: 0, refusedAtConnect: 0, publicPassed: 0 };
      const spellings = new Set<string>();
      while (counts.forms < total) {
        const form = randomForm(r);
        counts.forms++;
        spellings.add(form.spelling);
        const lookup = async (): Promise<LookupAddress[]> => [
          ...(form.answers ?? [{ address: '93.184.215.14', family: 4 }]),
        ];
        const verdict = await validateTarget(form.url, { lookup });
        if (verdict.ok !== form.shouldPass) {
          expect.fail(
            `${form.url} (${form.spelling}) was ${verdict.ok ? 'accepted' : `refused: ${verdict.reason}`} (seed ${seed()}, case ${counts.forms})`,
          );
        }
        if (form.shouldPass) {
          counts.publicPassed++;
          continue;
        }
        counts.refused++;
        // The private literal forms again at connect time, every tenth: refused before any
        // socket (no DNS, no I/O). A public address is never sent to, whatever its form.
        if (form.literal && form.privateAddress && counts.forms % 10 === 0) {
          const sent = await request(form.url, { dispatcher }).then(
            () => null,
            (error: unknown) => error,
          );
          if (TargetRefusedError.find(sent) === undefined && !isUrlError(sent)) {
            expect.fail(`${form.url} reached the network: ${String(sent)}`);
          }
          counts.refusedAtConnect++;
        }
      }
      report('SSRF forms', { ...counts, spellings: spellings.size });
    },
    budgetMs(total, 5),
  );
});

/** undici refuses some forms (user info) before the guard sees them: also nothing sent. */
function isUrlError(error: unknown): boolean {
  return (
    error instanceof Error && /invalid url|InvalidArgument/i.test(`${error.name} ${error.message}`)
  );
}

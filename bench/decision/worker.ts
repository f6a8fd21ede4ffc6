/**
 * The decision benchmark, run as its own process pinned to one core (bench/decision/section.ts
 * starts it): ns per decision, in-process, no network. Prints one JSON line on stdout.
 */
import { pathToFileURL } from 'node:url';
import { type DecisionCase, decisionCases } from '../cases.js';
import { summarize } from '../lib/stats.js';
import {
  compileLoop,
  escapeTo,
  type MicroResult,
  type MicroVariant,
  MockRes,
  measureInterleaved,
  sinkValue,
} from './harness.js';
import { loadSharedTable } from './shared-cases.js';

interface Decision {
  readonly kind: string;
  readonly headers: readonly unknown[];
}
interface Policy {
  decide(request: object): Decision | Promise<Decision>;
}
type Middleware = (req: object, res: MockRes, next: () => void) => void;

export interface WorkerInput {
  readonly dist: string;
  readonly sampleMs: number;
  readonly samples: number;
  /** Shorter samples for the (long) shared table. */
  readonly sharedSampleMs: number;
}

export interface CaseResult {
  readonly id: string;
  readonly group: string;
  readonly label: string;
  readonly size: number;
  readonly kind: string;
  readonly outcome: { readonly corsproof: string; readonly cors: string };
  readonly error?: string;
  readonly variants: readonly MicroResult[];
}

export interface SharedResult {
  readonly name: string;
  readonly policy: string;
  readonly kind: string;
  readonly matches: boolean;
  readonly variants: readonly MicroResult[];
}

export interface WorkerOutput {
  readonly cases: readonly CaseResult[];
  readonly compile: readonly { readonly label: string; readonly ms: number }[];
  readonly shared: readonly SharedResult[] | string;
  readonly sink: number;
}

const input = JSON.parse(process.argv[2] ?? '{}') as WorkerInput;
const log = (line: string) => process.stderr.write(`[decision] ${line}\n`);
const dist = (path: string) => pathToFileURL(`${input.dist}/${path}`).href;

const { compilePolicy } = (await import(dist('index.js'))) as { compilePolicy(o: object): Policy };
const { applyCors, corsRequestFromNode } = (await import(dist('adapters/node/index.js'))) as {
  applyCors(policy: Policy, req: object, res: MockRes): boolean | Promise<boolean>;
  corsRequestFromNode(req: object): object;
};
const cors = ((await import('cors')) as { default: (o: object) => Middleware }).default;

const ACAO = 'access-control-allow-origin';
let nexts = 0;
const next = () => {
  nexts++;
};

/** Source of an object literal like Node's `IncomingMessage`: method and fresh header strings. */
function nodeRequest(c: DecisionCase) {
  return (fresh: (value: string) => string) => {
    const headers = Object.entries(c.request.headers)
      .map(([name, value]) => `${JSON.stringify(name)}: ${fresh(value)}`)
      .join(', ');
    return `{ method: ${JSON.stringify(c.request.method)}, headers: { ${headers} } }`;
  };
}

function timeCompile(options: object, runs: number): number {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = process.hrtime.bigint();
    compilePolicy(options);
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  return summarize(times).median;
}

function outcomeOf(res: MockRes, c: DecisionCase): string {
  if (res.h.has(ACAO)) return 'allowed';
  return c.kind === 'not-cors' ? 'not-cors' : 'refused';
}

const policies = new Map<object, Policy>();
const middlewares = new Map<object, Middleware>();
const compile: { label: string; ms: number }[] = [];
const results: CaseResult[] = [];

interface Prepared {
  readonly c: DecisionCase;
  readonly policy: Policy;
  readonly mw: Middleware;
  readonly outcome: CaseResult['outcome'];
}

const prepared: Prepared[] = [];
for (const c of decisionCases()) {
  let policy = policies.get(c.corsproof);
  if (policy === undefined) {
    const ms = timeCompile(c.corsproof, input.samples >= 5 ? 3 : 1);
    if (c.group === 'origins' || c.group === 'patterns') {
      const what = c.group === 'origins' ? 'exact origins' : 'subdomain patterns';
      compile.push({ label: `${c.size.toLocaleString('en-US')} ${what}`, ms });
    }
    policy = compilePolicy(c.corsproof);
    policies.set(c.corsproof, policy);
  }
  let mw = middlewares.get(c.cors);
  if (mw === undefined) {
    mw = cors(c.cors);
    middlewares.set(c.cors, mw);
  }
  // Check the outcome once before timing: a wrong answer would make the figure meaningless.
  const probeReq = { method: c.request.method, headers: { ...c.request.headers } };
  const mine = new MockRes();
  const answered = applyCors(policy, probeReq, mine);
  const theirs = new MockRes();
  const before = nexts;
  mw(probeReq, theirs, next);
  const outcome = { corsproof: outcomeOf(mine, c), cors: outcomeOf(theirs, c) };
  let error: string | undefined;
  if (answered instanceof Promise) error = 'corsproof answered asynchronously';
  else if (outcome.corsproof !== c.expect) {
    error = `corsproof decided ${outcome.corsproof}, the case expects ${c.expect}`;
  } else if (nexts === before && theirs.n === 0) error = 'cors did not answer synchronously';
  if (error === undefined) prepared.push({ c, policy, mw, outcome });
  else {
    log(`${c.id}: ${error}; not timed`);
    results.push({ ...pick(c), outcome, error, variants: [] });
  }
}

// Mixed warm-up: every request of every case through both libraries, several times over, before
// anything is timed. Otherwise the first case measured runs on code optimized for its path alone
// (a real server sees mixed traffic), and the order of the cases shows in the figures.
for (let round = 0; round < 20; round++) {
  for (const { c, policy, mw } of prepared) {
    const times = c.group === 'adversarial' ? 2 : 100;
    for (let i = 0; i < times; i++) {
      const req = { method: c.request.method, headers: { ...c.request.headers } };
      applyCors(policy, req, new MockRes());
      policy.decide(corsRequestFromNode(req));
      mw(req, new MockRes(), next);
    }
  }
}

function variantsOf({ c, policy: p, mw: m }: Prepared): MicroVariant[] {
  const shape = nodeRequest(c);
  return [
    {
      name: 'harness',
      loop: compileLoop(shape, (req, res) => {
        escapeTo.req = req;
        escapeTo.res = res;
        return res.n;
      }),
    },
    {
      name: 'decide',
      loop: compileLoop(shape, (req, res) => {
        escapeTo.res = res;
        return (p.decide(corsRequestFromNode(req)) as Decision).headers.length;
      }),
    },
    {
      name: 'apply',
      loop: compileLoop(shape, (req, res) => {
        applyCors(p, req, res);
        return res.n;
      }),
    },
    {
      name: 'cors',
      loop: compileLoop(shape, (req, res) => {
        m(req, res, next);
        return res.n;
      }),
    },
  ];
}

log(`calibrating ${prepared.length} cases × 4 variants`);
const measured = measureInterleaved(prepared.map(variantsOf), input.sampleMs, input.samples, log);
prepared.forEach(({ c, outcome }, i) => {
  const variants = measured[i]!;
  const ns = (name: string) => summarize(variants.find((v) => v.name === name)!.samples).median;
  const net = (name: string) => (ns(name) - ns('harness')).toFixed(0);
  log(
    `${c.id}: decide ${net('decide')} ns, apply ${net('apply')} ns, cors ${net('cors')} ns (net)`,
  );
  results.push({ ...pick(c), outcome, variants });
});

function pick(c: DecisionCase) {
  return { id: c.id, group: c.group, label: c.label, size: c.size, kind: c.kind };
}

async function sharedTable(): Promise<readonly SharedResult[] | string> {
  const table = await loadSharedTable(input.dist);
  if (typeof table === 'string') return table;
  const rows: Omit<SharedResult, 'variants'>[] = [];
  const groups: MicroVariant[][] = [];
  const compiled = new Map<string, Policy>();
  for (const row of table.POLICY_CASES) {
    if (row.async || row.expected.throws !== undefined) continue;
    const options = table.POLICIES[row.policy];
    if (options === undefined) continue;
    let policy = compiled.get(row.policy);
    if (policy === undefined) {
      policy = compilePolicy(options);
      compiled.set(row.policy, policy);
    }
    const p = policy;
    const decision = p.decide(row.request);
    if (decision instanceof Promise) continue;
    const entries = Object.entries(row.request).filter(([, v]) => v !== undefined) as [
      string,
      string,
    ][];
    const shape = (fresh: (value: string) => string) =>
      `{ ${entries.map(([k, v]) => `${JSON.stringify(k)}: ${k === 'method' ? JSON.stringify(v) : fresh(v)}`).join(', ')} }`;
    rows.push({
      name: row.name,
      policy: row.policy,
      kind: decision.kind,
      matches: decision.kind === row.expected.kind,
    });
    groups.push([
      {
        name: 'harness',
        loop: compileLoop(shape, (req, res) => {
          escapeTo.req = req;
          return res.n;
        }),
      },
      {
        name: 'decide',
        loop: compileLoop(shape, (req) => (p.decide(req) as Decision).headers.length),
      },
    ]);
  }
  log(`shared table: ${rows.length} rows`);
  const measured = measureInterleaved(groups, input.sharedSampleMs, input.samples, log);
  return rows.map((row, i) => ({ ...row, variants: measured[i]! }));
}

const output: WorkerOutput = {
  cases: results,
  compile,
  shared: await sharedTable(),
  sink: sinkValue() + nexts,
};
process.stdout.write(`${JSON.stringify(output)}\n`);

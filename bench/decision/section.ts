/**
 * Section 2: decision cost alone, in-process, no network. The measurement runs in its own process
 * pinned to one core (decision/worker.ts); this file starts it and writes up what it found.
 *
 * Every figure is net of the harness: per sample, the time of the same loop that builds the same
 * fresh request and response and does nothing with them is subtracted (paired by sample, then the
 * median and range taken).
 */
import { join } from 'node:path';
import {
  fmtNs,
  fmtNum,
  fmtRange,
  fmtTimes,
  rangeVerdict,
  type TargetResult,
  table,
} from '../lib/format.js';
import { BENCH_BUILD } from '../lib/paths.js';
import { run, SERVER_CORE } from '../lib/procs.js';
import type { Context, SectionResult } from '../lib/section.js';
import { type Summary, summarize } from '../lib/stats.js';
import type { MicroResult } from './harness.js';
import { SHARED_CASES_FILE } from './shared-cases.js';
import type { CaseResult, WorkerInput, WorkerOutput } from './worker.js';

const TITLE = '2. Decision cost';

function samplesOf(variants: readonly MicroResult[], name: string): number[] {
  return variants.find((v) => v.name === name)?.samples ?? [];
}

/** Per-sample net ns of `name` (its sample minus the harness sample taken in the same round). */
function netSamples(variants: readonly MicroResult[], name: string): number[] {
  const h = samplesOf(variants, 'harness');
  return samplesOf(variants, name).map((x, i) => x - (h[i] ?? Number.NaN));
}

function net(variants: readonly MicroResult[], name: string): Summary {
  return summarize(netSamples(variants, name));
}

/** Per-sample ratio a/b of two net series, summarized. */
function ratio(a: readonly number[], b: readonly number[]): Summary {
  return summarize(a.map((x, i) => x / (b[i] ?? Number.NaN)));
}

export async function decisionSection(ctx: Context): Promise<SectionResult> {
  const { options, log } = ctx;
  const input: WorkerInput = {
    dist: options.target.lib,
    sampleMs: options.sampleMs,
    samples: options.samples,
    sharedSampleMs: options.quick ? 5 : 10,
  };
  const r = await run(
    process.execPath,
    ['--expose-gc', join(BENCH_BUILD, 'decision', 'worker.js'), JSON.stringify(input)],
    { core: SERVER_CORE, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  for (const line of r.stderr.split('\n')) if (line.startsWith('[decision]')) log(line);
  const last = r.stdout.trim().split('\n').pop() ?? '';
  if (r.code !== 0 || !last.startsWith('{')) {
    throw new Error(
      `decision worker failed (${r.code}): ${r.stderr.trim().split('\n').slice(-5).join(' ')}`,
    );
  }
  const out = JSON.parse(last) as WorkerOutput;
  const byId = new Map(out.cases.map((c) => [c.id, c]));
  const targets: TargetResult[] = [];
  const parts: string[] = [];

  parts.push(
    [
      `Each figure: ns per request, net of the harness, median (min–max) of ${options.samples} samples of ≥ ${options.sampleMs} ms each, all cases and variants interleaved sample by sample, after a warm-up that runs every case's request through both libraries (so no case runs on code optimized for it alone). The worker runs pinned to core ${SERVER_CORE}.`,
      "**decide**: `policy.decide(corsRequestFromNode(req))`, the decision alone. **decide + headers**: `applyCors(policy, req, res)` from corsproof's node adapter, i.e. the decision carried out on the response, which is what `cors` does: **cors** is the `cors` package's middleware function with the same policy (origins as an array, or anchored RegExps for patterns), on the same mock request and response (a Map-backed setHeader/getHeader/end).",
      "Header values are fresh strings every iteration (copied from a Buffer, as Node's parser makes them), so no hash or comparison result is cached across requests; values over 4 kB (the adversarial ones) are reused. The requested allowed origin sits in the middle of the list; the refused one is in none. Tables: bench/cases.ts (the tests' table has no `cors` equivalents; it is timed on its own below).",
    ].join('\n\n'),
  );

  const row = (c: CaseResult): string[] => {
    if (c.error !== undefined) return [c.label, `not timed: ${c.error}`, '', '', '', ''];
    const d = net(c.variants, 'decide');
    const a = net(c.variants, 'apply');
    const k = net(c.variants, 'cors');
    const h = summarize(samplesOf(c.variants, 'harness'));
    return [
      c.label,
      fmtRange(d, fmtNs),
      fmtRange(a, fmtNs),
      fmtRange(k, fmtNs),
      fmtRange(ratio(netSamples(c.variants, 'cors'), netSamples(c.variants, 'apply')), fmtTimes),
      fmtNs(h.median),
    ];
  };
  const head = [
    'case',
    'corsproof decide',
    'corsproof decide + headers',
    'cors',
    'cors ÷ corsproof',
    'harness (subtracted)',
  ];
  const groupTable = (group: string) =>
    table(head, out.cases.filter((c) => c.group === group).map(row));
  parts.push(`### Exact origins\n\n${groupTable('origins')}`);
  parts.push(
    `### Subdomain patterns\n\ncorsproof \`https://*.tenant-N.example.com\`; cors \`/^https:\\/\\/[a-z0-9.-]+\\.tenant-N\\.example\\.com$/\`.\n\n${groupTable('patterns')}`,
  );
  parts.push(`### Other requests\n\n${groupTable('other')}`);

  // Flatness: 10,000 against 1, paired by sample.
  const kinds = [
    ['actual-allowed', 'GET, allowed'],
    ['actual-refused', 'GET, refused'],
    ['preflight-allowed', 'preflight, allowed'],
    ['preflight-refused', 'preflight, refused'],
  ] as const;
  const flatRows: string[][] = [];
  for (const group of ['origins', 'patterns'] as const) {
    for (const [kind, label] of kinds) {
      const one = byId.get(`${group}-1-${kind}`);
      const many = byId.get(`${group}-10000-${kind}`);
      const mid = byId.get(`${group}-100-${kind}`);
      if (one === undefined || many === undefined || one.error || many.error) continue;
      const q = ratio(netSamples(many.variants, 'decide'), netSamples(one.variants, 'decide'));
      const v = rangeVerdict(q, '≤', 1.3);
      flatRows.push([
        `${label} (${group === 'origins' ? 'exact origins' : 'patterns'})`,
        fmtNs(net(one.variants, 'decide').median),
        mid === undefined || mid.error ? '—' : fmtNs(net(mid.variants, 'decide').median),
        fmtNs(net(many.variants, 'decide').median),
        fmtRange(q, fmtTimes),
        v,
      ]);
      targets.push({
        section: TITLE,
        target: `${label}: 10,000 ${group === 'origins' ? 'origins' : 'patterns'} ≤ 1.3× of 1`,
        figure: fmtRange(q, fmtTimes),
        verdict: v,
      });
    }
  }
  parts.push(
    `### Flat in the number of origins\n\ncorsproof decide, net; the ratio is taken per sample (the two cases were measured in the same round), then the median and range.\n\n${table(['request', '1', '100', '10,000', '10,000 ÷ 1', 'target ≤ 1.3×: met/missed'], flatRows)}`,
  );

  // Against cors at 100 origins.
  const vsRows: string[][] = [];
  for (const [kind, label] of kinds) {
    const c = byId.get(`origins-100-${kind}`);
    if (c === undefined || c.error) continue;
    const q = ratio(netSamples(c.variants, 'cors'), netSamples(c.variants, 'apply'));
    const v = rangeVerdict(q, '≥', 5);
    vsRows.push([
      label,
      fmtNs(net(c.variants, 'apply').median),
      fmtNs(net(c.variants, 'cors').median),
      fmtRange(q, fmtTimes),
      v,
    ]);
    targets.push({
      section: TITLE,
      target: `${label}, 100 origins: ≥ 5× faster than cors`,
      figure: fmtRange(q, fmtTimes),
      verdict: v,
    });
  }
  parts.push(
    `### Against \`cors\` at 100 origins\n\ncorsproof decide + headers against cors, both carrying the decision out on the same mock response.\n\n${table(['request', 'corsproof', 'cors', 'cors ÷ corsproof', 'target ≥ 5×: met/missed'], vsRows)}`,
  );

  // Adversarial input.
  const advRows = out.cases
    .filter((c) => c.group === 'adversarial')
    .map((c) => {
      if (c.error !== undefined) return [c.label, `not timed: ${c.error}`, '', '', 'n/a'];
      const a = net(c.variants, 'apply');
      const v = rangeVerdict(a, '≤', 100_000);
      targets.push({
        section: TITLE,
        target: `adversarial: ${c.label} ≤ 100 µs`,
        figure: fmtRange(a, fmtNs),
        verdict: v,
      });
      return [
        c.label,
        `${c.outcome.corsproof}`,
        fmtRange(a, fmtNs),
        `${fmtRange(net(c.variants, 'cors'), fmtNs)} (${c.outcome.cors})`,
        v,
      ];
    });
  parts.push(
    `### Adversarial input\n\nTarget: microseconds, not milliseconds (≤ 100 µs per request). Node itself answers 431 to request headers over 16 KiB in total (\`--max-http-header-size\`), so the 200 kB cases reach a policy only behind a server or proxy that accepts larger headers; \`cors\` never parses Access-Control-Request-Headers when \`allowedHeaders\` is set, which is why it is flat here.\n\n${table(['case', 'corsproof decides', 'corsproof decide + headers', 'cors (what it does)', 'target: met/missed'], advRows)}`,
  );

  parts.push(
    `### Compiling a policy\n\n\`compilePolicy\` (validation included), once per policy, median of ${options.samples >= 5 ? 3 : 1}.\n\n${table(
      ['policy', 'compilePolicy'],
      out.compile.map((c) => [c.label, `${fmtNum(c.ms)} ms`]),
    )}`,
  );

  // The tests' decision table.
  if (typeof out.shared === 'string') {
    parts.push(`### The tests' decision table\n\nNot timed: ${out.shared}.`);
  } else {
    const rows = out.shared.map((s) => ({ ...s, ns: net(s.variants, 'decide').median }));
    const all = summarize(rows.map((r) => r.ns));
    const wrong = rows.filter((r) => !r.matches);
    const slowest = [...rows].sort((a, b) => b.ns - a.ns).slice(0, 8);
    parts.push(
      [
        `### The tests' decision table (${SHARED_CASES_FILE})`,
        `${rows.length} rows (those that throw or answer asynchronously left out), \`policy.decide(request)\` on fresh strings, net, ${options.samples} samples of ≥ ${input.sharedSampleMs} ms. Median over rows ${fmtNs(all.median)}, fastest ${fmtNs(all.min)}, slowest ${fmtNs(all.max)}.${wrong.length > 0 ? ` **${wrong.length} row(s) decided differently from the table's expectation** (kind): ${wrong.map((w) => JSON.stringify(w.name)).join(', ')}.` : ' Every timed row decided the kind the table expects.'}`,
        table(
          ['slowest rows', 'policy', 'decision', 'decide'],
          slowest.map((r) => [
            r.name,
            r.policy,
            r.kind,
            fmtRange(net(r.variants, 'decide'), fmtNs),
          ]),
        ),
      ].join('\n\n'),
    );
  }
  return { title: TITLE, markdown: parts.join('\n\n'), targets };
}

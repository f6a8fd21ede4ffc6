/**
 * Explain's reports as text, for the terminal: one block per request, then the summary by cause.
 */
import type { ExplainedRequest, HarExplanation } from './explain-har.js';
import type { MessageExplanation } from './message.js';

const DISPLAY = { chromium: 'Chromium', firefox: 'Firefox', webkit: 'WebKit' } as const;

/** `1 request`, `2 requests`. */
export function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

const FRAMING = new Set(['connection', 'keep-alive', 'transfer-encoding', 'date']);

const MARK = { allowed: '✓ allowed', blocked: '✗ blocked', unknown: '? unknown' } as const;

function requestBlock(r: ExplainedRequest): string[] {
  const lines = [`${MARK[r.verdict]}  ${r.method} ${r.url}  (page ${r.pageOrigin})`];
  if (r.credentials.include) {
    const why =
      r.credentials.evidence === 'cookie'
        ? 'it carried a Cookie'
        : r.credentials.evidence === 'sec-fetch-storage-access'
          ? 'it carried Sec-Fetch-Storage-Access'
          : 'the browser failed it, and only a credentialed request fails so';
    lines.push(`  credentials: 'include' (${why})`);
  }
  for (const failure of r.failures) {
    lines.push(`  Console: ${failure.message}`);
    lines.push(`  Why: ${failure.explanation}`);
    lines.push(`  Fix: ${failure.fix.summary}`);
  }
  if (r.reason !== null) lines.push(`  Why unknown: ${r.reason}`);
  // Framing headers and CORS's own are hidden from every page: naming them helps nobody.
  const hidden = r.hiddenHeaders.filter(
    (name) => !FRAMING.has(name) && !name.startsWith('access-control-'),
  );
  if (r.verdict === 'allowed' && hidden.length > 0) {
    lines.push(`  Hidden from script: ${hidden.join(', ')} (not in Access-Control-Expose-Headers)`);
  }
  if (r.verdict !== 'allowed') lines.push(`  Reproduce: ${r.checkCommand}`);
  return lines;
}

export function formatHarExplanation(report: HarExplanation, source: string): string {
  const out = [
    `${plural(report.requests.length, 'cross-origin request')} in ${source}, judged with ${DISPLAY[report.browser]}'s rules.`,
  ];
  if (report.unattributed > 0) {
    out.push(
      `${plural(report.unattributed, 'request')} named no page origin (no Origin, Referer or page) and ${report.unattributed === 1 ? 'was' : 'were'} left out.`,
    );
  }
  for (const r of report.requests) out.push('', ...requestBlock(r));
  const { allowed, blocked, unknown, causes } = report.summary;
  out.push('', `Summary: ${allowed} allowed, ${blocked} blocked, ${unknown} unknown.`);
  for (const cause of causes) {
    out.push(`  ${cause.code} (${plural(cause.requests.length, 'request')}): ${cause.fix}`);
    for (const request of cause.requests) out.push(`    ${request}`);
  }
  return `${out.join('\n')}\n`;
}

export function formatMessageExplanation(e: MessageExplanation): string {
  const out = [
    `${DISPLAY[e.browser]}: ${e.code}${e.alternatives.length > 0 ? ` (or ${e.alternatives.join(', ')}: ${DISPLAY[e.browser]} words them alike)` : ''}`,
  ];
  if (e.url !== null) out.push(`URL: ${e.url}`);
  if (e.pageOrigin !== null) out.push(`Page origin: ${e.pageOrigin}`);
  out.push(
    `What it means: ${e.explanation ?? 'the line does not quote the response headers the details depend on; the check below shows them.'}`,
  );
  out.push(`What the server must send: ${e.fix.summary}`);
  if (e.fix.header !== null) out.push(`  ${e.fix.header.name}: ${e.fix.header.value}`);
  if (e.checkCommand !== null) out.push(`Reproduce: ${e.checkCommand}`);
  return `${out.join('\n')}\n`;
}

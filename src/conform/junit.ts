/**
 * JUnit XML for CI test reports (GitLab, Jenkins, GitHub test-report actions): one test case per
 * conformance case, a `<failure>` per case that differs from the policy, an `<error>` where the
 * live server gave no answer to judge.
 */
import type { ConformReport } from './conform.js';

/** XML 1.0 text: escapes markup and drops the control characters XML cannot carry. */
function xml(text: string): string {
  return (
    text
      // biome-ignore lint/suspicious/noControlCharactersInRegex: these are the characters removed.
      .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '')
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      .replace(/"/g, '&quot;')
  );
}

/**
 * Renders a report as one JUnit test suite.
 *
 * @example
 * await writeFile('conform.xml', toJUnit(await conform({ url, file })));
 */
export function toJUnit(report: ConformReport): string {
  const failed = report.cases.filter((r) => r.differences.some((d) => d.kind !== 'network-error'));
  const errored = report.cases.filter(
    (r) => r.differences.length > 0 && r.differences.every((d) => d.kind === 'network-error'),
  );
  const seconds = (report.durationMs / 1000).toFixed(3);
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="corsproof conform" tests="${report.cases.length}" failures="${failed.length}" errors="${errored.length}" time="${seconds}">`,
    `  <testsuite name="${xml(`corsproof conform ${report.url}`)}" tests="${report.cases.length}" failures="${failed.length}" errors="${errored.length}" time="${seconds}">`,
  ];
  for (const result of report.cases) {
    const c = result.case;
    const open = `    <testcase classname="${xml(c.pattern ?? c.path)}" name="${xml(`${c.id}: ${c.title}`)}"`;
    if (result.differences.length === 0) {
      lines.push(`${open}/>`);
      continue;
    }
    lines.push(`${open}>`);
    for (const d of result.differences) {
      const tag = d.kind === 'network-error' ? 'error' : 'failure';
      const body = [
        d.message,
        `expected: ${d.expected}`,
        `actual: ${d.actual}`,
        '',
        'Reproduce with:',
        ...d.curl,
      ].join('\n');
      lines.push(
        `      <${tag} type="${d.kind}" message="${xml(d.message)}">${xml(body)}</${tag}>`,
      );
    }
    lines.push('    </testcase>');
  }
  lines.push('  </testsuite>', '</testsuites>', '');
  return lines.join('\n');
}

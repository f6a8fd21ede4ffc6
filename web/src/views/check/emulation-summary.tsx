/**
 * An emulated checker's verdict over all its probes (Galxe's: GET and POST): it passes only if
 * each does. The form's probe is shown in full below; the others link to their own stored check.
 */
import { VerdictBadge } from '../../components/badges';
import { recordHref } from '../../router';
import type { CheckRecord } from '../../types';
import { typographic } from './words';

export function EmulationSummary({ records }: { records: readonly CheckRecord[] }) {
  const report = records[0]?.result.emulation;
  if (report === null || report === undefined) return null;
  const name = typographic(report.name);
  const passed = records.every((r) => r.result.verdict === 'allowed');
  const outcome = records.find((r) => r.result.emulation?.passed === passed)?.result.emulation;
  return (
    <section class="emulation-summary" aria-label={`${name} over all its probes`}>
      <p>
        <strong>
          {name} {passed ? 'passes' : 'fails'} over its {records.length} probes
        </strong>
        : {outcome?.outcome ?? report.outcome}
      </p>
      <ul>
        {records.map((r, i) => (
          <li key={r.id}>
            <code>{r.result.plan.method}</code> <VerdictBadge verdict={r.result.verdict} />{' '}
            {i === 0 ? '(shown below)' : <a href={recordHref('check', r.id)}>its check</a>}
          </li>
        ))}
      </ul>
    </section>
  );
}

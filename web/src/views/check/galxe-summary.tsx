/**
 * Galxe's CORS Check over all its probes (GET and POST): it passes only if each does. The form's
 * probe is shown in full below; the others link to their own stored check.
 */
import { VerdictBadge } from '../../components/badges';
import { recordHref } from '../../router';
import type { CheckRecord } from '../../types';

export function GalxeSummary({ records }: { records: readonly CheckRecord[] }) {
  const passed = records.every((r) => r.result.verdict === 'allowed');
  return (
    <section class="galxe-summary" aria-label="Galxe’s CORS Check over both probes">
      <p>
        <strong>
          Galxe’s CORS Check {passed ? 'passes' : 'fails'} over its {records.length} probes
        </strong>
        {passed ? ': the credential API can be saved.' : ': the dashboard refuses to save it.'}
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

/** What the browser makes of the call before sending anything: preflight or not, and why. */
import { RichText } from '../../components/rich-text';
import type { CheckResult } from '../../types';

export function RequestSummary({ result }: { result: CheckResult }) {
  const { plan } = result;
  return (
    <section class="card" aria-labelledby="plan-title">
      <h2 id="plan-title" class="card__title">
        Why {plan.preflight.needed ? 'a preflight' : 'no preflight'}
      </h2>
      {plan.sameOrigin ? (
        <p>The URL is on the page’s own origin: no CORS applies unless a redirect leaves it.</p>
      ) : plan.preflight.needed ? (
        <ul class="reasons">
          {plan.preflight.triggers.map((trigger) => (
            <li key={trigger.kind === 'method' ? 'method' : trigger.name}>
              <RichText text={trigger.detail} />
            </li>
          ))}
        </ul>
      ) : (
        <p>
          <code>{plan.method}</code> with only CORS-safelisted headers is a “simple” request: the
          browser sends it straight away and checks the response.
        </p>
      )}
      {plan.dropped.length > 0 ? (
        <p class="note">
          The browser silently drops{' '}
          {plan.dropped.map((header, i) => (
            <span key={header.name}>
              {i > 0 ? ', ' : ''}
              <code>{header.name}</code>
            </span>
          ))}
          : a page may not set {plan.dropped.length === 1 ? 'it' : 'them'}.
        </p>
      ) : null}
    </section>
  );
}

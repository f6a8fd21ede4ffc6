/** The verdict at a glance: colour, icon and words, never colour alone. */
import { adviceFor } from '../../advice';
import { VERDICT_WORDS, VerdictIcon } from '../../components/badges';
import { RichText } from '../../components/rich-text';
import type { CheckResult } from '../../types';
import { BROWSER_NAMES, emulationReportOf, judgeOf, typographic } from './words';

const TITLES: Readonly<Record<CheckResult['verdict'], string>> = {
  ...VERDICT_WORDS,
  blocked: 'Blocked by CORS',
  // No response: the CORS configuration was not looked at, so there is no verdict on it.
  error: 'Could not check',
};

function sentence(result: CheckResult): string {
  const browser = BROWSER_NAMES[result.browser];
  const origin = result.plan.origin;
  const emulation = emulationReportOf(result);
  if (emulation !== null) {
    const { name, passed, outcome } = emulation;
    return `${typographic(name)} ${passed ? 'passes' : 'fails'}: ${outcome}`;
  }
  switch (result.verdict) {
    case 'allowed':
      if (result.scope === 'preflight-only') {
        return `${browser} accepts the preflight. The actual request was not sent (preflight only).`;
      }
      return `${browser} lets a page on ${origin} read the response${
        result.plan.credentials === 'include' ? ', with credentials' : ''
      }.`;
    case 'blocked':
      return result.failures[0].explanation;
    case 'error':
      return `No HTTP response to judge: ${result.error.message}`;
    case 'inconclusive':
      return result.reason;
  }
}

function title(result: CheckResult): string {
  const emulation = emulationReportOf(result);
  if (emulation === null || result.verdict === 'error' || result.verdict === 'inconclusive') {
    return TITLES[result.verdict];
  }
  return `${emulation.passed ? 'Passes' : 'Fails'} ${typographic(emulation.name)}`;
}

export function VerdictBanner({ result }: { result: CheckResult }) {
  const { plan } = result;
  return (
    <section class={`verdict verdict--${result.verdict}`} aria-labelledby="verdict-title">
      <div class="verdict__icon">
        <VerdictIcon verdict={result.verdict} />
      </div>
      <div class="verdict__text">
        <p class="verdict__context">
          <span class="method">{plan.method}</span> <span class="verdict__url">{plan.url}</span>
          <span class="verdict__from">
            {' '}
            from {plan.origin} {judgeOf(result)}
          </span>
        </p>
        <h2 id="verdict-title" class="verdict__title">
          {title(result)}
        </h2>
        <p class="verdict__sentence">
          <RichText text={sentence(result)} />
        </p>
        {result.verdict === 'error' ? (
          <p class="verdict__advice">
            <strong>What to do:</strong> {adviceFor(result.error.code)}
          </p>
        ) : null}
      </div>
    </section>
  );
}

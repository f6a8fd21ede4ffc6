/** An audit's findings, most severe group first. */
import { SEVERITY_WORDS, SeverityBadge } from '../../components/badges';
import { CheckIcon } from '../../components/icons';
import type { Evidence, Finding, Severity } from '../../types';

const ORDER: readonly Severity[] = ['high', 'medium', 'low', 'info'];

function EvidenceList({ evidence }: { evidence: readonly Evidence[] }) {
  return (
    <details class="more">
      <summary>Evidence ({evidence.length})</summary>
      {evidence.map((item, i) => (
        <div key={i} class="evidence">
          <p class="evidence__line">
            <span class="method">{item.request.method}</span> {item.request.url}
            {item.response === undefined ? ' (no response)' : ` → ${item.response.status}`}
          </p>
          <pre class="evidence__headers">
            {item.request.headers.map(([n, v]) => `> ${n}: ${v}`).join('\n')}
            {item.response === undefined
              ? ''
              : `\n${item.response.headers.map(([n, v]) => `< ${n}: ${v}`).join('\n')}`}
          </pre>
        </div>
      ))}
    </details>
  );
}

function FindingCard({ finding }: { finding: Finding }) {
  return (
    <li class={`finding finding--${finding.severity}`}>
      <div class="finding__head">
        <SeverityBadge severity={finding.severity} />
        <h4 class="finding__title">{finding.title}</h4>
      </div>
      <p>{finding.message}</p>
      <dl class="facts">
        {finding.origin === '' ? null : (
          <div>
            <dt>Origin</dt>
            <dd>
              <code>{finding.origin}</code>
              {finding.credentials ? ' (with credentials)' : ''}
            </dd>
          </div>
        )}
        <div>
          <dt>Why it matters</dt>
          <dd>{finding.why}</dd>
        </div>
        <div>
          <dt>Fix</dt>
          <dd>{finding.fix}</dd>
        </div>
      </dl>
      {finding.evidence.length > 0 ? <EvidenceList evidence={finding.evidence} /> : null}
    </li>
  );
}

export function Findings({ findings }: { findings: readonly Finding[] }) {
  if (findings.length === 0) {
    return (
      <div class="verdict verdict--allowed">
        <div class="verdict__icon">
          <CheckIcon />
        </div>
        <div class="verdict__text">
          <h2 class="verdict__title">No findings</h2>
          <p class="verdict__sentence">None of the crafted origins was let in.</p>
        </div>
      </div>
    );
  }
  const groups = ORDER.map((severity) => ({
    severity,
    items: findings.filter((f) => f.severity === severity),
  })).filter((g) => g.items.length > 0);
  return (
    <>
      <div class="card severity-summary">
        <h2 class="card__title">
          {findings.length} finding{findings.length === 1 ? '' : 's'}
        </h2>
        <ul class="severity-summary__list">
          {ORDER.map((severity) => (
            <li key={severity}>
              <SeverityBadge
                severity={severity}
                count={findings.filter((f) => f.severity === severity).length}
              />
            </li>
          ))}
        </ul>
      </div>
      {groups.map((group) => (
        <section
          key={group.severity}
          class="card finding-group"
          aria-labelledby={`findings-${group.severity}`}
        >
          <h3 id={`findings-${group.severity}`} class="card__title">
            {SEVERITY_WORDS[group.severity]} severity ({group.items.length})
          </h3>
          <ul class="findings">
            {group.items.map((finding) => (
              <FindingCard key={`${finding.id}-${finding.origin}`} finding={finding} />
            ))}
          </ul>
        </section>
      ))}
    </>
  );
}

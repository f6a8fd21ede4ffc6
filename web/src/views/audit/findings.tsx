/** An audit's findings, most severe group first. */
import { SEVERITY_WORDS, SeverityBadge } from '../../components/badges';
import { CouldNotLook } from '../../components/could-not-look';
import { CheckIcon, QuestionIcon } from '../../components/icons';
import type { AuditProblem, AuditReport, Evidence, Finding, Severity } from '../../types';
import { auditState } from './audit-state';

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
        {/* Stored audits from before categories have none: they read as security findings. */}
        {finding.category === 'breakage' ? (
          <span class="meta" title="The trusted origin's own requests fail in every browser">
            breaks requests
          </span>
        ) : null}
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

/** Exchanges that got no answer: their origins were neither let in nor kept out. */
function Unjudged({ problems }: { problems: readonly AuditProblem[] }) {
  return (
    <details class="more">
      <summary>Exchanges that failed ({problems.length})</summary>
      <ul class="unjudged">
        {problems.map((p, i) => (
          <li key={i}>
            <code>{p.origin}</code> ({p.leg}): {p.message}
          </li>
        ))}
      </ul>
    </details>
  );
}

/**
 * An audit's result: the error state when the target could not be reached, findings otherwise,
 * with the exchanges that failed said up front (their origins were not judged).
 */
export function AuditResult({ report }: { report: AuditReport }) {
  const state = auditState(report);
  if (state.kind === 'unreachable') {
    return (
      <CouldNotLook
        title="Could not audit"
        code={state.problem.code}
        message={`The target did not answer the trusted origin’s own request, so nothing was audited. ${state.problem.message}`}
        detail={state.problem.detail}
      />
    );
  }
  if (state.kind === 'complete') return <Findings findings={report.findings} />;
  const n = state.problems.length;
  if (report.findings.length === 0) {
    return (
      <div class="verdict verdict--inconclusive">
        <div class="verdict__icon">
          <QuestionIcon />
        </div>
        <div class="verdict__text">
          <h2 class="verdict__title">Incomplete audit</h2>
          <p class="verdict__sentence">
            No finding among the exchanges that were answered, but {n} exchange
            {n === 1 ? '' : 's'} failed: the origins they carried were not judged. Run it again when
            the target answers reliably.
          </p>
          <Unjudged problems={state.problems} />
        </div>
      </div>
    );
  }
  return (
    <>
      <div class="notice notice--warning" role="note">
        <strong>Incomplete.</strong> {n} exchange{n === 1 ? '' : 's'} failed and{' '}
        {n === 1 ? 'its origin was' : 'their origins were'} not judged; there may be more findings.
        <Unjudged problems={state.problems} />
      </div>
      <Findings findings={report.findings} />
    </>
  );
}

/** Findings of an audit that looked at every crafted origin. */
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

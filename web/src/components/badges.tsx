/** Small labelled pills: a verdict or a severity, in colour, icon and words. */
import type { MonitorStatus, Severity, Verdict } from '../types';
import { AlertIcon, BlockedIcon, CheckIcon, InfoIcon, QuestionIcon } from './icons';

export const VERDICT_WORDS: Readonly<Record<Verdict, string>> = {
  allowed: 'Allowed',
  blocked: 'Blocked',
  error: 'Network error',
  inconclusive: 'Inconclusive',
};

export function VerdictIcon({ verdict }: { verdict: Verdict }) {
  switch (verdict) {
    case 'allowed':
      return <CheckIcon />;
    case 'blocked':
      return <BlockedIcon />;
    case 'error':
      return <AlertIcon />;
    case 'inconclusive':
      return <QuestionIcon />;
  }
}

export function VerdictBadge({ verdict }: { verdict: Verdict }) {
  return (
    <span class={`badge badge--${verdict}`}>
      <VerdictIcon verdict={verdict} />
      {VERDICT_WORDS[verdict]}
    </span>
  );
}

export const SEVERITY_WORDS: Readonly<Record<Severity, string>> = {
  high: 'High',
  medium: 'Medium',
  low: 'Low',
  info: 'Info',
};

export function SeverityBadge({ severity, count }: { severity: Severity; count?: number }) {
  return (
    <span class={`badge badge--${severity}`}>
      {severity === 'info' ? <InfoIcon /> : <AlertIcon />}
      {SEVERITY_WORDS[severity]}
      {count === undefined ? null : <span class="badge__count">{count}</span>}
    </span>
  );
}

const OUTCOME_WORDS: Readonly<Record<MonitorStatus, string>> = {
  passed: 'Passing',
  failed: 'Failing',
  error: 'Error',
  pending: 'Pending',
};

/** A monitor's or a batch target's outcome: passed (allowed), failed (blocked), error. */
export function OutcomeBadge({ outcome }: { outcome: MonitorStatus }) {
  const tone = { passed: 'allowed', failed: 'blocked', error: 'error', pending: 'pending' }[
    outcome
  ];
  return (
    <span class={`badge badge--${tone}`}>
      {outcome === 'passed' ? (
        <CheckIcon />
      ) : outcome === 'failed' ? (
        <BlockedIcon />
      ) : outcome === 'error' ? (
        <AlertIcon />
      ) : (
        <QuestionIcon />
      )}
      {OUTCOME_WORDS[outcome]}
    </span>
  );
}

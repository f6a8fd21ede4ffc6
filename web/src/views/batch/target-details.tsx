/** One batch target's full result, the same views as a single check or audit. */
import type { RefObject } from 'preact';
import { CouldNotLook } from '../../components/could-not-look';
import { ServiceNotices } from '../../components/notice';
import type { BatchTarget } from '../../types';
import { AuditResult } from '../audit/findings';
import { CheckResultBody } from '../check/check-result';
import { VerdictBanner } from '../check/verdict-banner';
import { targetResult } from './target-row';

function Body({ target }: { target: BatchTarget }) {
  const found = targetResult(target);
  switch (found.kind) {
    case 'check':
      return (
        <>
          <VerdictBanner result={found.result} />
          <CheckResultBody result={found.result} notices={target.notices} />
        </>
      );
    case 'audit':
      return (
        <>
          <ServiceNotices notices={target.notices} />
          <AuditResult report={found.result} />
        </>
      );
    case 'failure':
      return (
        <CouldNotLook
          title="Not run"
          code={found.result.error.code}
          message={found.result.error.message}
        />
      );
    case 'none':
      return <p class="meta">Not finished yet.</p>;
  }
}

export function TargetDetails({
  target,
  onClose,
  focusRef,
}: {
  target: BatchTarget;
  onClose: () => void;
  /** Focused when the details open, so keyboard and screen-reader users land on them. */
  focusRef: RefObject<HTMLElement | null>;
}) {
  return (
    <section
      class="target-details"
      aria-labelledby="target-details-title"
      tabIndex={-1}
      ref={focusRef}
    >
      <div class="card__head">
        <h2 id="target-details-title" class="section-title">
          Target {target.position + 1}: <span class="cell-code">{target.input.url}</span>
        </h2>
        <button type="button" class="button button--small" onClick={onClose}>
          Close details
        </button>
      </div>
      <Body target={target} />
    </section>
  );
}

/** A check's result, verdict first, then the evidence, the fix and the way to reproduce it. */
import { ServiceNotices } from '../../components/notice';
import { ShareLink } from '../../components/share-link';
import { dateTime } from '../../format';
import { recordHref } from '../../router';
import type { CheckRecord, CheckResult, Notice } from '../../types';
import { CurlPanel } from './curl-panel';
import { FailurePanel } from './failure-panel';
import { FixPanel } from './fix-panel';
import { NotesPanel } from './notes-panel';
import { RequestSummary } from './request-summary';
import { ResponsePanel } from './response-panel';
import { SequenceDiagram } from './sequence-diagram';
import { emulationReportOf } from './words';

/** Everything below the verdict; also used for batch targets, which have no record of their own. */
export function CheckResultBody({
  result,
  notices,
}: {
  result: CheckResult;
  notices: readonly Notice[] | undefined;
}) {
  return (
    <>
      <ServiceNotices notices={notices} />
      {result.verdict === 'blocked' ? (
        <FailurePanel failures={result.failures} emulation={emulationReportOf(result)} />
      ) : null}
      {result.verdict === 'blocked' ? <FixPanel fix={result.failures[0].fix} /> : null}
      <SequenceDiagram result={result} />
      <div class="result__side">
        <RequestSummary result={result} />
        <NotesPanel warnings={result.warnings} emulation={emulationReportOf(result)} />
        <ResponsePanel
          response={result.verdict === 'allowed' ? result.response : null}
          cache={result.preflightCache}
        />
      </div>
      <CurlPanel steps={result.steps} />
    </>
  );
}

export function CheckResultView({ record }: { record: CheckRecord }) {
  return (
    <div class="result">
      <div class="result__meta">
        <ShareLink href={recordHref('check', record.id)} what="result" />
        <time class="meta" dateTime={record.createdAt}>
          Checked {dateTime(record.createdAt)}
        </time>
      </div>
      <CheckResultBody result={record.result} notices={record.notices} />
    </div>
  );
}

/** The check page: the form, then the stored result it produced (or the one the link names). */
import { useEffect, useRef, useState } from 'preact/hooks';
import { type ApiError, createCheck, getCheck } from '../../api';
import { ErrorNotice, Loading } from '../../components/notice';
import { PageHeading } from '../../components/page-heading';
import { toApiError } from '../../hooks/use-resource';
import { navigate, recordHref } from '../../router';
import { scrollBelowHeader } from '../../scroll';
import type { CheckRecord } from '../../types';
import { CheckForm } from './check-form';
import { CheckResultView } from './check-result';
import { EmulationSummary } from './emulation-summary';
import { type CheckFormValues, checkInputsOf, EMPTY_FORM, fromStoredInput } from './form-model';
import { VerdictBanner } from './verdict-banner';

export function CheckView({ id }: { id: string | null }) {
  const [values, setValues] = useState<CheckFormValues>(EMPTY_FORM);
  const [record, setRecord] = useState<CheckRecord | null>(null);
  /** With an emulation, the checks of the checker's other probes, run with the form's one. */
  const [companions, setCompanions] = useState<readonly CheckRecord[]>([]);
  const [busy, setBusy] = useState(false);
  const [submitError, setSubmitError] = useState<ApiError | null>(null);
  const [loadError, setLoadError] = useState<ApiError | null>(null);
  const [loading, setLoading] = useState(false);
  const verdictSlot = useRef<HTMLDivElement>(null);

  useEffect(() => {
    setLoadError(null);
    if (id === null) {
      setRecord(null);
      return;
    }
    // Just submitted: the record is already here.
    if (record?.id === id) return;
    setCompanions([]);
    let live = true;
    setLoading(true);
    getCheck(id)
      .then(
        (stored) => {
          if (!live) return;
          setRecord(stored);
          setValues(fromStoredInput(stored.input));
        },
        (error: unknown) => live && setLoadError(toApiError(error)),
      )
      .finally(() => live && setLoading(false));
    return () => {
      live = false;
    };
    // Only a new id means a record to load; `record` changing must not reload it.
  }, [id]);

  const submit = async () => {
    setBusy(true);
    setSubmitError(null);
    try {
      const [input, ...others] = checkInputsOf(values);
      if (input === undefined) return;
      const created = await createCheck(input);
      const more: CheckRecord[] = [];
      for (const other of others) more.push(await createCheck(other));
      setRecord(created);
      setCompanions(more);
      navigate(recordHref('check', created.id));
      // After the render that shows the verdict: its position is known only then.
      requestAnimationFrame(() => {
        if (verdictSlot.current !== null) scrollBelowHeader(verdictSlot.current);
      });
    } catch (error) {
      const refusal = toApiError(error);
      setSubmitError(refusal);
      // Take the user to the field the service refused; its message is in its description.
      const field = refusal.field?.split(/[.[]/)[0];
      if (field) document.getElementById(`check-${field}`)?.focus();
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <PageHeading title="Check a cross-origin request">
        What a browser does with a <code>fetch()</code> from your page: the preflight, the response,
        the verdict and the fix. The service sends the requests, imitating the browser.
      </PageHeading>
      <CheckForm
        values={values}
        onValues={setValues}
        onSubmit={submit}
        busy={busy}
        error={submitError}
      />
      {submitError !== null && submitError.field === null ? (
        <ErrorNotice error={submitError} title="The check could not run." />
      ) : null}
      {loading ? <Loading what="the stored check" /> : null}
      {loadError === null ? null : <ErrorNotice error={loadError} title="No such check." />}
      <div class="verdict-slot" ref={verdictSlot} aria-live="polite">
        {record === null ? null : <VerdictBanner result={record.result} />}
        {record === null || companions.length === 0 ? null : (
          <EmulationSummary records={[record, ...companions]} />
        )}
      </div>
      {record === null ? null : <CheckResultView record={record} />}
    </>
  );
}

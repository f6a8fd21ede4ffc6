/** The audit page: probe an endpoint with crafted origins, and list what got through. */
import { useEffect, useState } from 'preact/hooks';
import { type ApiError, createAudit, getAudit } from '../../api';
import { ErrorNotice, Loading, ServiceNotices } from '../../components/notice';
import { PageHeading } from '../../components/page-heading';
import { ShareLink } from '../../components/share-link';
import { toApiError } from '../../hooks/use-resource';
import { navigate, recordHref } from '../../router';
import type { AuditRecord } from '../../types';
import { DEMO_ORIGIN } from '../check/form-model';
import { AuditForm, type AuditFormValues, DEFAULT_AUDIT_METHOD } from './audit-form';
import { auditSummary } from './audit-state';
import { AuditResult } from './findings';

const EMPTY: AuditFormValues = {
  url: '',
  origin: DEMO_ORIGIN,
  method: DEFAULT_AUDIT_METHOD,
  credentials: false,
};

function summary(record: AuditRecord): string {
  return `Audit finished. ${auditSummary(record.result)}`;
}

export function AuditView({ id }: { id: string | null }) {
  const [values, setValues] = useState<AuditFormValues>(EMPTY);
  const [record, setRecord] = useState<AuditRecord | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [loading, setLoading] = useState(false);

  useEffect(() => {
    if (id === null) {
      setRecord(null);
      return;
    }
    if (record?.id === id) return;
    let live = true;
    setLoading(true);
    getAudit(id)
      .then(
        (stored) => {
          if (!live) return;
          setRecord(stored);
          setValues({
            url: stored.input.url,
            origin: stored.input.origin,
            method: stored.input.method,
            credentials: stored.input.credentials,
          });
        },
        (caught: unknown) => live && setError(toApiError(caught)),
      )
      .finally(() => live && setLoading(false));
    return () => {
      live = false;
    };
    // Only a new id means a record to load; `record` changing must not reload it.
  }, [id]);

  const submit = async () => {
    setBusy(true);
    setError(null);
    try {
      const created = await createAudit(values);
      setRecord(created);
      navigate(recordHref('audit', created.id));
    } catch (caught) {
      setError(toApiError(caught));
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <PageHeading title="Audit an endpoint">
        Sends requests from crafted origins (look-alike domains, <code>null</code>, subdomains,
        http:) and reports every one the server lets in.
      </PageHeading>
      <AuditForm values={values} onValues={setValues} onSubmit={submit} busy={busy} error={error} />
      {error !== null && error.field === null ? <ErrorNotice error={error} /> : null}
      {loading ? <Loading what="the audit" /> : null}
      <p class="visually-hidden" aria-live="polite">
        {record === null ? '' : summary(record)}
      </p>
      {record === null ? null : (
        <div class="result">
          <div class="result__meta">
            <ShareLink href={recordHref('audit', record.id)} what="audit" />
          </div>
          <ServiceNotices notices={record.notices} />
          <AuditResult report={record.result} />
        </div>
      )}
    </>
  );
}

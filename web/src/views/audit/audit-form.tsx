/** What to audit: the endpoint, and the origin it is meant to trust (the probes derive from it). */
import type { ApiError } from '../../api';
import { TextField, Toggle } from '../../components/field';

export interface AuditFormValues {
  readonly url: string;
  readonly origin: string;
  /** The state-changing method the preflights stand for. */
  readonly method: string;
  readonly credentials: boolean;
}

/**
 * `corsproof audit`'s default method: the preflights ask whether a data-changing request would be
 * let in, which is what a CORS mistake exposes. The auditor never sends the PUT itself.
 */
export const DEFAULT_AUDIT_METHOD = 'PUT';

export function AuditForm({
  values,
  onValues,
  onSubmit,
  busy,
  error,
}: {
  values: AuditFormValues;
  onValues: (values: AuditFormValues) => void;
  onSubmit: () => void;
  busy: boolean;
  error: ApiError | null;
}) {
  const fieldError = (field: string) =>
    error !== null && error.field === field ? error.message : null;
  return (
    <form
      class="card form"
      aria-label="Audit an endpoint"
      onSubmit={(event) => {
        event.preventDefault();
        onSubmit();
      }}
    >
      <div class="form__grid">
        <div class="span-all">
          <TextField
            id="audit-url"
            label="Endpoint URL"
            type="url"
            required
            code
            placeholder="https://api.example.com/me"
            value={values.url}
            onValue={(url) => onValues({ ...values, url })}
            error={fieldError('url')}
          />
        </div>
        <TextField
          id="audit-origin"
          label="Trusted origin"
          required
          code
          placeholder="https://app.example.com"
          value={values.origin}
          onValue={(origin) => onValues({ ...values, origin })}
          hint="The origin that should be allowed; the crafted attacker origins are derived from it."
          error={fieldError('origin')}
        />
        <TextField
          id="audit-method"
          label="Method"
          required
          code
          placeholder={DEFAULT_AUDIT_METHOD}
          value={values.method}
          onValue={(method) => onValues({ ...values, method })}
          hint={
            <>
              The state-changing method the preflights ask for, as with{' '}
              <code>corsproof audit -X</code>. Only the preflights name it; it is never sent.
            </>
          }
          error={fieldError('method')}
        />
        <Toggle
          id="audit-credentials"
          label="Probe with credentials"
          hint="Also send credentialed requests: a finding proven with credentials is more severe."
          checked={values.credentials}
          onChecked={(credentials) => onValues({ ...values, credentials })}
        />
      </div>
      <div class="form__actions">
        <button type="submit" class="button button--primary" disabled={busy} aria-busy={busy}>
          {busy ? 'Auditing…' : 'Run audit'}
        </button>
      </div>
    </form>
  );
}

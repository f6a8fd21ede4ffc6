/** What to audit: the endpoint, and the origin it is meant to trust (the probes derive from it). */
import type { ApiError } from '../../api';
import { TextField, Toggle } from '../../components/field';

export interface AuditFormValues {
  readonly url: string;
  readonly origin: string;
  readonly credentials: boolean;
}

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

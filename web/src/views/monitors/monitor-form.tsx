/** A new monitor: a check to repeat on a schedule. */
import { useState } from 'preact/hooks';
import { type ApiError, createMonitor } from '../../api';
import { Segmented, TextField } from '../../components/field';
import { ErrorNotice } from '../../components/notice';
import { toApiError } from '../../hooks/use-resource';
import type { Monitor } from '../../types';
import { DEMO_ORIGIN, type FormCredentials } from '../check/form-model';

const INTERVALS: readonly { value: string; label: string }[] = [
  { value: '60', label: '1 min' },
  { value: '300', label: '5 min' },
  { value: '900', label: '15 min' },
  { value: '3600', label: '1 h' },
];

const CREDENTIALS: readonly { value: FormCredentials; label: string }[] = [
  { value: 'omit', label: 'omit' },
  { value: 'include', label: 'include' },
];

export function MonitorForm({ onCreated }: { onCreated: (monitor: Monitor) => void }) {
  const [url, setUrl] = useState('');
  const [origin, setOrigin] = useState(DEMO_ORIGIN);
  const [method, setMethod] = useState('GET');
  const [credentials, setCredentials] = useState<FormCredentials>('omit');
  const [interval, setInterval] = useState('300');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const fieldError = (field: string) => (error?.field === field ? error.message : null);

  const submit = async () => {
    setBusy(true);
    setError(null);
    try {
      const monitor = await createMonitor({
        url: url.trim(),
        origin: origin.trim(),
        method: method.trim() || 'GET',
        credentials,
        intervalSeconds: Number(interval),
      });
      setUrl('');
      onCreated(monitor);
    } catch (caught) {
      setError(toApiError(caught));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form
      class="card form"
      aria-label="Add a monitor"
      onSubmit={(event) => {
        event.preventDefault();
        void submit();
      }}
    >
      <h2 class="card__title">Add a monitor</h2>
      <div class="form__grid">
        <div class="span-all">
          <TextField
            id="monitor-url"
            label="URL"
            type="url"
            required
            code
            placeholder="https://api.example.com/items"
            value={url}
            onValue={setUrl}
            error={fieldError('url')}
          />
        </div>
        <TextField
          id="monitor-origin"
          label="Page origin"
          required
          code
          value={origin}
          onValue={setOrigin}
          error={fieldError('origin')}
        />
        <TextField
          id="monitor-method"
          label="Method"
          code
          value={method}
          onValue={setMethod}
          error={fieldError('method')}
        />
        <Segmented
          name="monitor-credentials"
          legend="Credentials"
          options={CREDENTIALS}
          value={credentials}
          onValue={setCredentials}
        />
        <div class="field">
          <label class="field__label" for="monitor-interval">
            Check every
          </label>
          <select
            id="monitor-interval"
            class="input"
            value={interval}
            onChange={(event) => setInterval(event.currentTarget.value)}
          >
            {INTERVALS.map((option) => (
              <option key={option.value} value={option.value}>
                {option.label}
              </option>
            ))}
          </select>
        </div>
      </div>
      {error !== null && error.field === null ? <ErrorNotice error={error} /> : null}
      <div class="form__actions">
        <button type="submit" class="button button--primary" disabled={busy} aria-busy={busy}>
          {busy ? 'Adding…' : 'Add monitor'}
        </button>
      </div>
    </form>
  );
}

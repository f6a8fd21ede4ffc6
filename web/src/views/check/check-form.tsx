/** The check form: what the page would call, from which origin, in which browser. */
import type { ApiError } from '../../api';
import { Segmented, TextField, Toggle } from '../../components/field';
import { HeaderRows } from '../../components/header-rows';
import {
  type CheckFormValues,
  EMULATIONS,
  emulationOf,
  type FormCredentials,
  METHODS,
  mayChangeData,
  methodTakesBody,
  ORIGIN_PRESETS,
} from './form-model';
import { typographic } from './words';

const CREDENTIALS: readonly { value: FormCredentials; label: string }[] = [
  { value: 'omit', label: 'omit' },
  { value: 'include', label: 'include' },
];

const BROWSERS: readonly { value: CheckFormValues['browser']; label: string }[] = [
  { value: 'chromium', label: 'Chromium' },
  { value: 'firefox', label: 'Firefox' },
  { value: 'webkit', label: 'WebKit' },
];

export function CheckForm({
  values,
  onValues,
  onSubmit,
  busy,
  error,
}: {
  values: CheckFormValues;
  onValues: (values: CheckFormValues) => void;
  onSubmit: () => void;
  busy: boolean;
  error: ApiError | null;
}) {
  const set = <K extends keyof CheckFormValues>(key: K, value: CheckFormValues[K]) =>
    onValues({ ...values, [key]: value });
  const emulation = emulationOf(values.emulate);
  // The service names the field as a path: `headers[0][0]` is about the headers.
  const fieldError = (field: string) =>
    error !== null && error.field !== null && error.field.split(/[.[]/)[0] === field
      ? error.message
      : null;

  return (
    <form
      class="card form check-form"
      aria-label="Check a cross-origin request"
      onSubmit={(event) => {
        event.preventDefault();
        onSubmit();
      }}
    >
      <div class="form__grid">
        <div class="span-all">
          <TextField
            id="check-url"
            label="URL the page fetches"
            type="url"
            required
            code
            placeholder="https://api.example.com/items"
            value={values.url}
            onValue={(url) => set('url', url)}
            error={fieldError('url')}
          />
        </div>
        <div class="origin-field">
          <TextField
            id="check-origin"
            label="Page origin"
            required
            code
            placeholder="https://app.example.com"
            value={emulation?.origin ?? values.origin}
            disabled={emulation !== undefined}
            onValue={(origin) => set('origin', origin)}
            hint={
              emulation === undefined
                ? undefined
                : `${typographic(emulation.name)} always sends from its own origin.`
            }
            error={fieldError('origin')}
          />
          <fieldset class="presets" disabled={emulation !== undefined}>
            <legend class="visually-hidden">Origin presets</legend>
            {ORIGIN_PRESETS.map((preset) => (
              <button
                key={preset.origin}
                type="button"
                class="chip"
                aria-pressed={values.origin === preset.origin}
                title={preset.origin}
                onClick={() => set('origin', preset.origin)}
              >
                {preset.label}
              </button>
            ))}
          </fieldset>
        </div>
        <TextField
          id="check-method"
          label="Method"
          code
          list="check-methods"
          value={values.method}
          onValue={(method) => set('method', method)}
          hint="Case matters: only standard methods are upper-cased by fetch()."
          error={fieldError('method')}
        />
        <datalist id="check-methods">
          {METHODS.map((m) => (
            <option key={m} value={m} />
          ))}
        </datalist>
        <Segmented
          name="credentials"
          legend="Credentials"
          options={CREDENTIALS}
          value={values.credentials}
          onValue={(credentials) => set('credentials', credentials)}
        />
        <Segmented
          name="browser"
          legend="Browser"
          options={BROWSERS}
          value={values.browser}
          onValue={(browser) => set('browser', browser)}
        />
        <div class="form__toggles">
          <Toggle
            id="check-preflight-only"
            label="Preflight only"
            hint="Never send the actual request (safe for endpoints that change data)."
            checked={values.preflightOnly}
            onChecked={(on) => set('preflightOnly', on)}
          />
          {mayChangeData(values.method) ? (
            <Toggle
              id="check-unsafe"
              label={`Send the ${values.method.trim().toUpperCase()} for real`}
              hint="It may change data on the target; without this the service sends only the preflight."
              checked={values.allowUnsafeMethods && !values.preflightOnly}
              disabled={values.preflightOnly}
              onChecked={(on) => set('allowUnsafeMethods', on)}
            />
          ) : null}
          {EMULATIONS.map((e) => (
            <Toggle
              key={e.id}
              id={`check-emulate-${e.id}`}
              label={`${e.platform} mode`}
              hint={`Judge as ${typographic(e.name)} does, from ${e.origin}, instead of a browser.`}
              checked={values.emulate === e.id}
              onChecked={(on) => set('emulate', on ? e.id : '')}
            />
          ))}
        </div>
        <div class="span-all">
          <HeaderRows
            idBase="check-header"
            rows={values.headers}
            onRows={(headers) => set('headers', headers)}
            error={fieldError('headers')}
          />
        </div>
        {methodTakesBody(values.method) ? (
          <div class="span-all field">
            <label class="field__label" for="check-body">
              Body
            </label>
            <textarea
              id="check-body"
              class="input input--code"
              rows={3}
              value={values.body}
              spellcheck={false}
              onInput={(event) => set('body', event.currentTarget.value)}
            />
          </div>
        ) : null}
      </div>
      <div class="form__actions">
        <button type="submit" class="button button--primary" disabled={busy} aria-busy={busy}>
          {busy ? 'Checking…' : 'Run check'}
        </button>
      </div>
    </form>
  );
}

/** Starting a batch: a pasted list or an uploaded CSV, with defaults for what a line leaves out. */
import { useState } from 'preact/hooks';
import {
  type Parsed,
  parseCsvTargets,
  parseTargetList,
  type TargetDefaults,
} from '../../../../src/targets/index.js';
import { type ApiError, createBatch } from '../../api';
import { Segmented, TextField } from '../../components/field';
import { ErrorNotice } from '../../components/notice';
import { toApiError } from '../../hooks/use-resource';
import { navigate, recordHref } from '../../router';
import type { BatchKind } from '../../types';
import { DEMO_ORIGIN } from '../check/form-model';
import { toBatchRequest } from './batch-request';

const KINDS: readonly { value: BatchKind; label: string }[] = [
  { value: 'check', label: 'Checks' },
  { value: 'audit', label: 'Audits' },
];

const CREDENTIALS: readonly { value: TargetDefaults['credentials']; label: string }[] = [
  { value: 'omit', label: 'omit' },
  { value: 'include', label: 'include' },
];

interface UploadedFile {
  readonly name: string;
  readonly text: string;
}

export function BatchForm() {
  const [kind, setKind] = useState<BatchKind>('check');
  const [list, setList] = useState('');
  const [file, setFile] = useState<UploadedFile | null>(null);
  const [defaults, setDefaults] = useState<TargetDefaults>({
    origin: DEMO_ORIGIN,
    method: 'GET',
    credentials: 'omit',
  });
  const [problems, setProblems] = useState<readonly string[]>([]);
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);

  const readFile = async (input: HTMLInputElement) => {
    const chosen = input.files?.[0];
    if (chosen === undefined) return;
    setFile({ name: chosen.name, text: await chosen.text() });
    setProblems([]);
  };

  const submit = async () => {
    const parsed: Parsed =
      file === null ? parseTargetList(list, defaults) : parseCsvTargets(file.text, defaults);
    if (!parsed.ok) {
      setProblems(parsed.problems);
      return;
    }
    setProblems([]);
    setError(null);
    setBusy(true);
    try {
      const created = await createBatch(toBatchRequest(kind, parsed.targets));
      navigate(recordHref('batch', created.id));
    } catch (caught) {
      const refusal = toApiError(caught);
      // `targets[3].url`: say which line of the list or row of the file it came from.
      const index = /^targets\[(\d+)\]/.exec(refusal.field ?? '')?.[1];
      const target = index === undefined ? undefined : parsed.targets[Number(index)];
      if (target === undefined) setError(refusal);
      else setProblems([`${file === null ? 'Line' : 'Row'} ${target.line}: ${refusal.message}`]);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form
      class="card form"
      aria-label="Start a batch"
      onSubmit={(event) => {
        event.preventDefault();
        void submit();
      }}
    >
      <div class="form__grid">
        <Segmented name="batch-kind" legend="Run" options={KINDS} value={kind} onValue={setKind} />
        <Segmented
          name="batch-credentials"
          legend="Credentials"
          options={CREDENTIALS}
          value={defaults.credentials}
          onValue={(credentials) => setDefaults({ ...defaults, credentials })}
        />
        <TextField
          id="batch-origin"
          label={kind === 'audit' ? 'Trusted origin' : 'Page origin'}
          code
          value={defaults.origin}
          onValue={(origin) => setDefaults({ ...defaults, origin })}
          hint="For lines that name no origin."
        />
        {kind === 'check' ? (
          <TextField
            id="batch-method"
            label="Method"
            code
            value={defaults.method}
            onValue={(method) => setDefaults({ ...defaults, method })}
            hint="For lines that name no method."
          />
        ) : null}
        <div class="span-all field">
          <label class="field__label" for="batch-list">
            Targets, one per line
          </label>
          <textarea
            id="batch-list"
            class="input input--code"
            rows={6}
            value={list}
            disabled={file !== null}
            spellcheck={false}
            placeholder={
              'https://api.example.com/items\nhttps://api.example.com/admin https://app.example.com PUT'
            }
            aria-describedby="batch-list-hint"
            onInput={(event) => setList(event.currentTarget.value)}
          />
          <p class="field__hint" id="batch-list-hint">
            <code>url [origin] [method]</code>, separated by spaces or commas. Lines starting with{' '}
            <code>#</code> are skipped.
          </p>
        </div>
        <div class="span-all field">
          <span class="field__label" id="batch-file-label">
            Or upload a CSV
          </span>
          {file === null ? (
            <>
              <input
                id="batch-file"
                class="file"
                type="file"
                accept=".csv,text/csv"
                aria-labelledby="batch-file-label"
                aria-describedby="batch-file-hint"
                onChange={(event) => void readFile(event.currentTarget)}
              />
              <p class="field__hint" id="batch-file-hint">
                A header row naming the columns: <code>url</code>, and optionally{' '}
                <code>origin</code>, <code>method</code>, <code>headers</code> (
                <code>Name: value; Other: value</code> or a JSON object), <code>credentials</code>.
              </p>
            </>
          ) : (
            <p class="file-chosen">
              Using <strong>{file.name}</strong>{' '}
              <button type="button" class="button button--small" onClick={() => setFile(null)}>
                Remove file
              </button>
            </p>
          )}
        </div>
      </div>
      {problems.length > 0 ? (
        <div class="notice notice--error" role="alert">
          <strong>Fix these lines first:</strong>
          <ul>
            {problems.map((problem) => (
              <li key={problem}>{problem}</li>
            ))}
          </ul>
        </div>
      ) : null}
      {error === null ? null : <ErrorNotice error={error} title="The batch could not start." />}
      <div class="form__actions">
        <button type="submit" class="button button--primary" disabled={busy} aria-busy={busy}>
          {busy ? 'Starting…' : 'Start batch'}
        </button>
      </div>
    </form>
  );
}

/**
 * Starting a batch: a pasted list or an uploaded CSV, with defaults for what a line leaves out,
 * or the operations of an API description.
 */
import { useState } from 'preact/hooks';
import type { RawTarget, TargetDefaults } from '../../../../src/targets/index.js';
import { type ApiError, createBatch } from '../../api';
import { Segmented, TextField } from '../../components/field';
import { ErrorNotice } from '../../components/notice';
import { toApiError } from '../../hooks/use-resource';
import { navigate, recordHref } from '../../router';
import type { BatchKind } from '../../types';
import { DEMO_ORIGIN } from '../check/form-model';
import { type OpenApiFields, toBatchRequest, toOpenApiRequest } from './batch-request';
import { parseCsvSkipping, parseListSkipping } from './lenient-parse';
import { OpenApiInput } from './openapi-fields';
import { rememberSkipped } from './skipped-lines';

/**
 * Targets the service refuses are dropped and the batch sent again, up to this many times: past
 * it, the list is more wrong than right and is better fixed first.
 */
const MAX_REFUSED = 10;

const KINDS: readonly { value: BatchKind; label: string }[] = [
  { value: 'check', label: 'Checks' },
  { value: 'audit', label: 'Audits' },
];

const CREDENTIALS: readonly { value: TargetDefaults['credentials']; label: string }[] = [
  { value: 'omit', label: 'omit' },
  { value: 'include', label: 'include' },
];

type Source = 'list' | 'openapi';

const SOURCES: readonly { value: Source; label: string }[] = [
  { value: 'list', label: 'URL list' },
  { value: 'openapi', label: 'API description' },
];

const NO_DESCRIPTION: OpenApiFields = { text: '', url: '', baseUrl: '', include: '', exclude: '' };

interface UploadedFile {
  readonly name: string;
  readonly text: string;
}

export function BatchForm() {
  const [kind, setKind] = useState<BatchKind>('check');
  const [source, setSource] = useState<Source>('list');
  const [description, setDescription] = useState<OpenApiFields>(NO_DESCRIPTION);
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

  /** One request: the service expands the description, or says what is wrong with it. */
  const submitDescription = async () => {
    setError(null);
    setProblems([]);
    if (description.text.trim() === '' && description.url.trim() === '') {
      setProblems(['No API description: paste or upload one, or give a link to it.']);
      return;
    }
    setBusy(true);
    try {
      const created = await createBatch(toOpenApiRequest(kind, description, defaults));
      navigate(recordHref('batch', created.id));
    } catch (caught) {
      setError(toApiError(caught));
    } finally {
      setBusy(false);
    }
  };

  const submit = async () => {
    if (source === 'openapi') {
      await submitDescription();
      return;
    }
    const parsed =
      file === null ? parseListSkipping(list, defaults) : parseCsvSkipping(file.text, defaults);
    const where = file === null ? 'Line' : 'Row';
    const skipped = [...parsed.skipped];
    let targets: readonly RawTarget[] = parsed.targets;
    setError(null);
    if (targets.length === 0) {
      setProblems([...skipped, 'No targets to run: add at least one valid URL.']);
      return;
    }
    setBusy(true);
    try {
      for (;;) {
        try {
          const created = await createBatch(toBatchRequest(kind, targets));
          rememberSkipped(created.id, skipped);
          navigate(recordHref('batch', created.id));
          return;
        } catch (caught) {
          const refusal = toApiError(caught);
          // `targets[3].url`: skip that target, say which line it came from, and send the rest.
          const index = /^targets\[(\d+)\]/.exec(refusal.field ?? '')?.[1];
          const target = index === undefined ? undefined : targets[Number(index)];
          if (target === undefined || skipped.length >= MAX_REFUSED) {
            setProblems(skipped);
            setError(refusal);
            return;
          }
          skipped.push(`${where} ${target.line}: ${refusal.message.replace(/^corsproof: /, '')}`);
          targets = targets.filter((t) => t !== target);
          if (targets.length === 0) {
            setProblems([...skipped, 'No targets to run: every line was skipped.']);
            return;
          }
        }
      }
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
          name="batch-source"
          legend="Targets from"
          options={SOURCES}
          value={source}
          onValue={setSource}
        />
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
          hint={source === 'openapi' ? 'For every operation.' : 'For lines that name no origin.'}
        />
        {source === 'openapi' ? (
          <OpenApiInput fields={description} onFields={setDescription} />
        ) : null}
        {kind === 'check' && source === 'list' ? (
          <TextField
            id="batch-method"
            label="Method"
            code
            value={defaults.method}
            onValue={(method) => setDefaults({ ...defaults, method })}
            hint="For lines that name no method."
          />
        ) : null}
        {source === 'list' ? (
          <>
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
                <code>url [origin] [method]</code>, separated by spaces or commas. Lines starting
                with <code>#</code> are skipped.
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
                    <code>Name: value; Other: value</code> or a JSON object),{' '}
                    <code>credentials</code>.
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
          </>
        ) : null}
      </div>
      {problems.length > 0 ? (
        <div class="notice notice--warning" role="alert">
          <strong>
            {source === 'openapi'
              ? 'Nothing to run:'
              : `Skipped ${problems.length === 1 ? 'this line' : 'these lines'}:`}
          </strong>
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

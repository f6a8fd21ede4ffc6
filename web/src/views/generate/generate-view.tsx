/**
 * The generate page: a policy (in a form, or the full policy file as JSON) and a target server
 * in, that server's configuration out, with every way it differs from the policy. The generators
 * run in this page; nothing is sent to the service.
 */
import { useMemo, useState } from 'preact/hooks';
import { CodeBlock } from '../../components/code-block';
import { Segmented, SelectField, TextAreaField, TextField, Toggle } from '../../components/field';
import { PageHeading } from '../../components/page-heading';
import {
  formToDocument,
  type GenerateOutcome,
  INITIAL_FORM,
  outcomeSummary,
  type PolicyFormValues,
  type PolicyIssue,
  readDocument,
  runGenerate,
  TARGET_CHOICES,
} from './generate-model';

type Editor = 'form' | 'json';

const TARGET_OPTIONS = TARGET_CHOICES.map((t) => ({ value: t.name, label: t.name }));

function PolicyForm({
  values,
  onValues,
}: {
  values: PolicyFormValues;
  onValues: (values: PolicyFormValues) => void;
}) {
  return (
    <>
      <TextAreaField
        id="generate-origins"
        label="Allowed origins, one per line"
        rows={3}
        value={values.origins}
        onValue={(origins) => onValues({ ...values, origins })}
        hint={
          <>
            Exact origins (<code>https://app.example.com</code>), patterns (
            <code>https://*.example.com</code>) or <code>*</code>.
          </>
        }
      />
      <TextField
        id="generate-methods"
        label="Methods"
        code
        value={values.methods}
        onValue={(methods) => onValues({ ...values, methods })}
        hint="Comma-separated; empty for the default."
      />
      <TextField
        id="generate-request-headers"
        label="Request headers"
        code
        value={values.requestHeaders}
        onValue={(requestHeaders) => onValues({ ...values, requestHeaders })}
        hint="Headers the page may send."
      />
      <TextField
        id="generate-expose-headers"
        label="Exposed headers"
        code
        value={values.exposeHeaders}
        onValue={(exposeHeaders) => onValues({ ...values, exposeHeaders })}
        hint="Response headers the page may read."
      />
      <TextField
        id="generate-max-age"
        label="Max age (seconds)"
        code
        value={values.maxAge}
        onValue={(maxAge) => onValues({ ...values, maxAge })}
        hint="How long a browser may cache a preflight."
      />
      <Toggle
        id="generate-credentials"
        label="Allow credentials"
        hint="Cookies and HTTP authentication go with the request."
        checked={values.credentials}
        onChecked={(credentials) => onValues({ ...values, credentials })}
      />
      <Toggle
        id="generate-private-network"
        label="Allow private network access"
        hint="Answer Chrome's preflight from a public page to this private address."
        checked={values.privateNetwork}
        onChecked={(privateNetwork) => onValues({ ...values, privateNetwork })}
      />
    </>
  );
}

function JsonEditor({ text, onText }: { text: string; onText: (text: string) => void }) {
  return (
    <TextAreaField
      id="generate-json"
      label="Policy file (JSON)"
      rows={16}
      value={text}
      onValue={onText}
      hint={
        <>
          The full format of <code>corsproof generate</code>: one policy, or <code>default</code>,
          named <code>policies</code> and a <code>paths</code> table.
        </>
      }
    />
  );
}

/** The policy's problems, beside the form that has them: where, why, and what to write. */
function PolicyProblems({ issues }: { issues: readonly PolicyIssue[] }) {
  return (
    <div class="notice notice--error">
      <strong>
        The policy has {issues.length === 1 ? 'a problem' : `${issues.length} problems`}
      </strong>
      <ul>
        {issues.map((issue, i) => (
          <li key={i} class="tool-list__item">
            {issue.path === '' ? null : <code>{issue.path}</code>} {issue.reason} (
            <code>{issue.code}</code>). <em>Fix:</em> {issue.fix}
          </li>
        ))}
      </ul>
    </div>
  );
}

function Output({ outcome, target }: { outcome: GenerateOutcome; target: string }) {
  switch (outcome.kind) {
    case 'unreadable':
      return (
        <div class="notice notice--error">
          <strong>Not JSON</strong> {outcome.message}
        </div>
      );
    case 'invalid':
      return (
        <div class="notice notice--error">
          <strong>Nothing generated</strong> Fix the policy's problems first.
        </div>
      );
    case 'refused':
      return (
        <div class="notice notice--error">
          <strong>Cannot generate for {target}</strong> {outcome.message}{' '}
          <code>({outcome.code})</code>
        </div>
      );
    case 'generated':
      return (
        <>
          {outcome.warnings.length === 0 ? (
            <div class="notice notice--ok">
              <strong>Generated</strong> It answers exactly as the policy decides.
            </div>
          ) : (
            <div class="notice notice--warning">
              <strong>
                Generated, stricter than the policy in {outcome.warnings.length}{' '}
                {outcome.warnings.length === 1 ? 'way' : 'ways'}
              </strong>
              <ul>
                {outcome.warnings.map((warning, i) => (
                  <li key={i} class="tool-list__item">
                    <code>{warning.code}</code>
                    {warning.path === '' ? '' : ` at ${warning.path}`}: {warning.message}
                  </li>
                ))}
              </ul>
            </div>
          )}
          <CodeBlock
            title={outcome.fileName}
            code={outcome.config}
            copyLabel={`Copy the ${target} configuration`}
          />
        </>
      );
  }
}

export function GenerateView() {
  const [editor, setEditor] = useState<Editor>('form');
  const [values, setValues] = useState<PolicyFormValues>(INITIAL_FORM);
  const [json, setJson] = useState(() => JSON.stringify(formToDocument(INITIAL_FORM), null, 2));
  // The JSON last written from the form: while the editor still holds it, the user has not
  // edited the file, so it may follow the form.
  const [fromForm, setFromForm] = useState(json);
  const [target, setTarget] = useState(TARGET_CHOICES[0]?.name ?? 'nginx');

  const outcome = useMemo(() => {
    if (editor === 'form') return runGenerate(formToDocument(values), target);
    const read = readDocument(json);
    return 'document' in read ? runGenerate(read.document, target) : read;
  }, [editor, values, json, target]);

  const chooseEditor = (next: Editor) => {
    // The JSON editor starts from what the form says, unless it holds a file the user wrote:
    // switching back and forth never throws that away.
    if (next === 'json' && editor === 'form' && json === fromForm) {
      const text = JSON.stringify(formToDocument(values), null, 2);
      setJson(text);
      setFromForm(text);
    }
    setEditor(next);
  };
  const summary = TARGET_CHOICES.find((t) => t.name === target)?.summary;

  return (
    <>
      <PageHeading title="Generate a server's CORS configuration">
        Write the policy once; get the configuration of the server you run, never looser than the
        policy. This runs in your browser: the policy is not sent anywhere.
      </PageHeading>
      <div class="tool-layout">
        <form
          class="card form"
          aria-label="Policy and target"
          onSubmit={(event) => event.preventDefault()}
        >
          <div class="form__grid">
            <SelectField
              id="generate-target"
              label="Target server"
              options={TARGET_OPTIONS}
              value={target}
              onValue={setTarget}
              hint={summary}
            />
            <Segmented<Editor>
              name="generate-editor"
              legend="Edit the policy as"
              options={[
                { value: 'form', label: 'Form' },
                { value: 'json', label: 'JSON' },
              ]}
              value={editor}
              onValue={chooseEditor}
            />
            {editor === 'form' ? (
              <PolicyForm values={values} onValues={setValues} />
            ) : (
              <JsonEditor text={json} onText={setJson} />
            )}
            {outcome.kind === 'invalid' ? (
              <div class="span-all">
                <PolicyProblems issues={outcome.issues} />
              </div>
            ) : null}
          </div>
        </form>
        <section class="tool-output" aria-label="Generated configuration">
          <p class="visually-hidden" aria-live="polite">
            {outcomeSummary(outcome, target)}
          </p>
          <Output outcome={outcome} target={target} />
        </section>
      </div>
    </>
  );
}

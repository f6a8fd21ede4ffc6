/**
 * The explain page: a HAR file from the browser's Network panel, or a CORS line from its console,
 * judged in this page with the checker's rules. Nothing is sent to the service: the file is read
 * with FileReader and never leaves the machine.
 */
import { useMemo, useState } from 'preact/hooks';
import type { ExplainedRequest } from '../../../../src/explain/index.js';
import { CodeBlock } from '../../components/code-block';
import { SelectField, TextAreaField } from '../../components/field';
import { PageHeading } from '../../components/page-heading';
import { BROWSER_NAMES } from '../check/words';
import {
  type BrowserChoice,
  explainHarText,
  explainLine,
  type HarOutcome,
  harSummary,
  type MessageOutcome,
  UNDERSTOOD_WORDINGS,
} from './explain-model';

const BROWSER_OPTIONS: readonly { readonly value: BrowserChoice; readonly label: string }[] = [
  { value: 'auto', label: 'The browser that recorded it' },
  { value: 'chromium', label: 'Chromium' },
  { value: 'firefox', label: 'Firefox' },
  { value: 'webkit', label: 'WebKit (Safari)' },
];

const VERDICT_LABEL = {
  allowed: 'Allowed',
  blocked: 'Blocked',
  unknown: 'Not in the recording',
} as const;

const VERDICT_CLASS = {
  allowed: 'badge badge--allowed',
  blocked: 'badge badge--blocked',
  unknown: 'badge badge--inconclusive',
} as const;

function RequestItem({ request }: { request: ExplainedRequest }) {
  return (
    <li class="finding">
      <div class="finding__head">
        <span class={VERDICT_CLASS[request.verdict]}>{VERDICT_LABEL[request.verdict]}</span>
        <h3 class="finding__title">
          <code>
            {request.method} {request.url}
          </code>
        </h3>
      </div>
      <p>
        From the page at <code>{request.pageOrigin}</code>
        {request.credentials.include ? ", with credentials: 'include'" : ''}.
      </p>
      {request.failures.map((failure) => (
        <div key={failure.code}>
          <p>
            <strong>{failure.code}</strong>: <q>{failure.message}</q>
          </p>
          <p>{failure.explanation}</p>
          <p>
            <strong>Fix:</strong> {failure.fix.summary}
          </p>
        </div>
      ))}
      {request.reason === null ? null : <p>{request.reason}</p>}
      {request.verdict === 'allowed' ? null : (
        <CodeBlock
          title="Reproduce it live"
          code={request.checkCommand}
          language="shell"
          copyLabel="Copy the check command"
        />
      )}
    </li>
  );
}

function HarOutput({ outcome }: { outcome: HarOutcome }) {
  if (outcome.kind === 'unreadable') {
    return (
      <div class="notice notice--error">
        <strong>Could not read {outcome.name}</strong> {outcome.message}
      </div>
    );
  }
  const { report } = outcome;
  const { causes } = report.summary;
  return (
    <section aria-labelledby="explain-har-title">
      <h2 class="section-title tool-output__first" id="explain-har-title">
        {outcome.name}
      </h2>
      <p>{harSummary(outcome)}</p>
      {causes.length === 0 ? null : (
        <ul>
          {causes.map((cause) => (
            <li key={cause.code} class="tool-list__item">
              <code>{cause.code}</code> ({cause.requests.length}): {cause.fix}
            </li>
          ))}
        </ul>
      )}
      <ul class="findings">
        {report.requests.map((request) => (
          <RequestItem key={request.entry} request={request} />
        ))}
      </ul>
    </section>
  );
}

function MessageOutput({ outcome }: { outcome: MessageOutcome }) {
  if (outcome.kind === 'empty') return null;
  if (outcome.kind === 'unknown') {
    return (
      <div class="notice notice--error">
        <strong>Not a CORS line this page knows.</strong> Paste the whole line from the console. It
        understands:
        <ul>
          {UNDERSTOOD_WORDINGS.map((wording) => (
            <li key={wording}>{wording}</li>
          ))}
        </ul>
      </div>
    );
  }
  const e = outcome.explanation;
  return (
    <section aria-labelledby="explain-message-title">
      <h2 class="section-title tool-output__first" id="explain-message-title">
        <code>{e.code}</code> ({BROWSER_NAMES[e.browser]})
      </h2>
      {e.alternatives.length === 0 ? null : (
        <p>The browser words {e.alternatives.join(', ')} the same way.</p>
      )}
      <p>
        {e.explanation ??
          'The line does not quote the response headers the details depend on; the check below shows them.'}
      </p>
      <p>
        <strong>What the server must send:</strong> {e.fix.summary}
      </p>
      {e.checkCommand === null ? null : (
        <CodeBlock
          title="Reproduce it live"
          code={e.checkCommand}
          language="shell"
          copyLabel="Copy the check command"
        />
      )}
    </section>
  );
}

export function ExplainView() {
  const [browser, setBrowser] = useState<BrowserChoice>('auto');
  const [file, setFile] = useState<{ name: string; text: string } | null>(null);
  const [line, setLine] = useState('');

  const har = useMemo(
    () => (file === null ? null : explainHarText(file.name, file.text, browser)),
    [file, browser],
  );
  const message = useMemo(() => explainLine(line), [line]);

  const read = (chosen: File | undefined) => {
    if (chosen === undefined) return;
    chosen.text().then((text) => setFile({ name: chosen.name, text }));
  };

  return (
    <>
      <PageHeading title="Explain a CORS failure">
        Drop the HAR file your browser's Network panel saved, or paste the error from its console;
        get each failure in the browser's words, why, and the fix. This runs in your browser: the
        HAR file never leaves this machine.
      </PageHeading>
      <div class="tool-layout">
        <form
          class="card form"
          aria-label="What to explain"
          onSubmit={(event) => event.preventDefault()}
          onDragOver={(event) => event.preventDefault()}
          onDrop={(event) => {
            event.preventDefault();
            read(event.dataTransfer?.files[0]);
          }}
        >
          <div class="form__grid">
            <div class="span-all field">
              <label class="field__label" for="explain-har">
                HAR file
              </label>
              <input
                id="explain-har"
                class="input"
                type="file"
                accept=".har,application/json"
                aria-describedby="explain-har-hint"
                onChange={(event) => read(event.currentTarget.files?.[0])}
              />
              <p class="field__hint" id="explain-har-hint">
                Choose it or drop it here. In the Network panel: "Save all as HAR" (Chromium) or
                "Save All As HAR" (Firefox). It is read here, never uploaded.
              </p>
            </div>
            <SelectField
              id="explain-browser"
              label="Judge with the rules of"
              options={BROWSER_OPTIONS}
              value={browser}
              onValue={setBrowser}
            />
            <TextAreaField
              id="explain-message"
              label="Console error"
              rows={5}
              value={line}
              onValue={setLine}
              hint={
                <>
                  The whole line, e.g.{' '}
                  <code>
                    Access to fetch at '…' from origin '…' has been blocked by CORS policy: …
                  </code>
                </>
              }
            />
          </div>
        </form>
        <section class="tool-output" aria-label="Explanation">
          <p class="visually-hidden" aria-live="polite">
            {har === null ? '' : harSummary(har)}
          </p>
          <MessageOutput outcome={message} />
          {har === null ? null : <HarOutput outcome={har} />}
          {har === null && message.kind === 'empty' ? (
            <p>Nothing to explain yet: drop a HAR file or paste a console error.</p>
          ) : null}
        </section>
      </div>
    </>
  );
}

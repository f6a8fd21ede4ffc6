/**
 * The import page: an existing CORS configuration in (Flask-CORS, nginx, django, FastAPI, the
 * `cors` package, ASP.NET Core), the policy file it amounts to out, with what the original gets
 * wrong. The importer runs in this page; nothing is sent to the service.
 */
import { useMemo, useState } from 'preact/hooks';
import { SeverityBadge } from '../../components/badges';
import { CodeBlock } from '../../components/code-block';
import { SelectField, TextAreaField } from '../../components/field';
import { PageHeading } from '../../components/page-heading';
import {
  IMPORT_SOURCES,
  type ImportOutcome,
  type ImportSource,
  importSummary,
  runImport,
  SOURCE_EXAMPLES,
  SOURCE_LABELS,
} from './import-model';

const SOURCE_OPTIONS = IMPORT_SOURCES.map((name) => ({ value: name, label: SOURCE_LABELS[name] }));

function Output({ outcome }: { outcome: ImportOutcome }) {
  if (outcome.kind === 'unreadable') {
    return (
      <div class="notice notice--error">
        <strong>Could not read line {outcome.line}</strong> {outcome.message}
      </div>
    );
  }
  return (
    <>
      {outcome.findings.length === 0 ? (
        <div class="notice notice--ok">
          <strong>No findings</strong> The importer found no mistake in this configuration.
        </div>
      ) : (
        <section aria-labelledby="import-findings-title">
          <h2 class="section-title tool-output__first" id="import-findings-title">
            Findings ({outcome.findings.length})
          </h2>
          <ul class="findings">
            {outcome.findings.map((finding, i) => (
              <li key={i} class={`finding finding--${finding.severity}`}>
                <div class="finding__head">
                  <SeverityBadge severity={finding.severity} />
                  <h3 class="finding__title">
                    <code>{finding.id}</code>
                  </h3>
                  {finding.line === undefined ? null : (
                    <span class="finding__line">line {finding.line}</span>
                  )}
                </div>
                <p>{finding.message}</p>
              </li>
            ))}
          </ul>
        </section>
      )}
      <CodeBlock
        title="cors.json"
        code={outcome.json}
        language="json"
        copyLabel="Copy the policy file"
      />
      {outcome.notes.length === 0 ? null : (
        <section aria-labelledby="import-notes-title">
          <h2 class="section-title" id="import-notes-title">
            Where the policy file differs
          </h2>
          <ul>
            {outcome.notes.map((note, i) => (
              <li key={i} class="tool-list__item">
                {note}
              </li>
            ))}
          </ul>
        </section>
      )}
    </>
  );
}

export function ImportView() {
  const [source, setSource] = useState<ImportSource>('flask');
  const [text, setText] = useState(SOURCE_EXAMPLES.flask);

  const outcome = useMemo(() => runImport(source, text), [source, text]);

  const chooseSource = (next: ImportSource) => {
    // An untouched example follows the source; the user's own text stays.
    if (text.trim() === '' || text === SOURCE_EXAMPLES[source]) setText(SOURCE_EXAMPLES[next]);
    setSource(next);
  };

  return (
    <>
      <PageHeading title="Import a CORS configuration">
        Paste the configuration you have; get the corsproof policy file it amounts to, and what it
        gets wrong. This runs in your browser: the text is not sent anywhere.
      </PageHeading>
      <div class="tool-layout">
        <form
          class="card form"
          aria-label="Configuration to import"
          onSubmit={(event) => event.preventDefault()}
        >
          <div class="form__grid">
            <SelectField
              id="import-source"
              label="Configuration of"
              options={SOURCE_OPTIONS}
              value={source}
              onValue={chooseSource}
            />
            <TextAreaField
              id="import-text"
              label="Configuration"
              rows={12}
              value={text}
              onValue={setText}
              hint={
                <>
                  The <code>CORS(...)</code> call, the <code>server</code> or <code>location</code>{' '}
                  block, the settings, the <code>add_middleware(...)</code> call, the options object
                  or the builder chain, as it is in your code.
                </>
              }
            />
          </div>
        </form>
        <section class="tool-output" aria-label="Imported policy">
          <p class="visually-hidden" aria-live="polite">
            {importSummary(outcome)}
          </p>
          <Output outcome={outcome} />
        </section>
      </div>
    </>
  );
}

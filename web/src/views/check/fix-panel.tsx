/** The fix: the header to send, and the configuration per framework, ready to paste. */
import { CodeBlock } from '../../components/code-block';
import { RichText } from '../../components/rich-text';
import { Tabs } from '../../components/tabs';
import type { Fix } from '../../types';

const WHERE: Readonly<Record<Fix['where'], string>> = {
  preflight: 'the server’s answer to the preflight (OPTIONS)',
  response: 'the server’s response',
  both: 'the preflight answer and the response',
  server: 'the server',
  client: 'the page’s code',
};

export function FixPanel({ fix }: { fix: Fix }) {
  return (
    <section class="card" aria-labelledby="fix-title">
      <h2 id="fix-title" class="card__title">
        How to fix it
      </h2>
      <p>
        <RichText text={fix.summary} />
      </p>
      <p class="meta">Change {WHERE[fix.where]}.</p>
      {fix.header === null ? null : (
        <CodeBlock
          title="Header to send"
          code={`${fix.header.name}: ${fix.header.value}`}
          copyLabel="Copy the header"
        />
      )}
      {fix.snippets.length === 0 ? null : (
        <Tabs
          label="Configuration per framework"
          items={fix.snippets.map((snippet) => ({
            key: snippet.framework,
            label: snippet.label,
            panel: () => (
              <CodeBlock
                title={snippet.label}
                code={snippet.code}
                language={snippet.language}
                copyLabel={`Copy the ${snippet.label} configuration`}
              />
            ),
          }))}
        />
      )}
    </section>
  );
}

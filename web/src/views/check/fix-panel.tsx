/**
 * The fix: the header to send, and the configuration per server as the service rendered it with
 * corsproof generate's generators (with each one's warnings, or why it cannot express the fix).
 */
import { CodeBlock } from '../../components/code-block';
import { RichText } from '../../components/rich-text';
import { Tabs } from '../../components/tabs';
import type { Fix, FixSnippet } from '../../types';

const WHERE: Readonly<Record<Fix['where'], string>> = {
  preflight: 'the server’s answer to the preflight (OPTIONS)',
  response: 'the server’s response',
  both: 'the preflight answer and the response',
  server: 'the server',
  client: 'the page’s code',
};

export function FixPanel({ fix }: { fix: Fix }) {
  const snippets = fix.snippets ?? [];
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
      {snippets.length === 0 ? null : (
        <Tabs
          label="Configuration per server"
          items={snippets.map((snippet) => ({
            key: snippet.target,
            label: snippet.target,
            panel: () => <SnippetPanel snippet={snippet} />,
          }))}
        />
      )}
    </section>
  );
}

function SnippetPanel({ snippet }: { snippet: FixSnippet }) {
  if (snippet.code === null) {
    return (
      <p class="notice notice--error">
        <RichText text={snippet.error ?? `${snippet.target} cannot express this fix.`} />
      </p>
    );
  }
  return (
    <>
      <CodeBlock
        title={`${snippet.fileName ?? snippet.target} (corsproof generate --for ${snippet.target})`}
        code={snippet.code}
        language={snippet.target}
        copyLabel={`Copy the ${snippet.target} configuration`}
      />
      {snippet.warnings.length === 0 ? null : (
        <ul class="warnings">
          {snippet.warnings.map((w) => (
            <li key={w.code} class="warning">
              <RichText text={w.message} />
            </li>
          ))}
        </ul>
      )}
    </>
  );
}

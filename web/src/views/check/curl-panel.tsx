/** The curl commands that replay each step, one copy button each and one for all. */

import { CodeBlock } from '../../components/code-block';
import { CopyButton } from '../../components/copy-button';
import type { Step } from '../../types';
import { stepTitle } from './words';

export function CurlPanel({ steps }: { steps: readonly Step[] }) {
  if (steps.length === 0) return null;
  const all = steps.map((step, i) => `# ${i + 1}. ${stepTitle(step)}\n${step.curl}`).join('\n\n');
  return (
    <section class="card" aria-labelledby="curl-title">
      <div class="card__head">
        <h2 id="curl-title" class="card__title">
          Reproduce with curl
        </h2>
        {steps.length > 1 ? <CopyButton text={all} label="Copy all curl commands" /> : null}
      </div>
      {steps.map((step, i) => (
        <CodeBlock
          key={i}
          title={`${i + 1}. ${stepTitle(step)}`}
          code={step.curl}
          language="sh"
          copyLabel={`Copy the curl command for step ${i + 1}`}
        />
      ))}
    </section>
  );
}

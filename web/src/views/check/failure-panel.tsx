/** The failure in the browser console's own words, then in plain ones. */
import { RichText } from '../../components/rich-text';
import type { Failure } from '../../types';

export function FailurePanel({ failures }: { failures: readonly [Failure, ...Failure[]] }) {
  const [first, ...more] = failures;
  const galxe = first.code.startsWith('Galxe');
  return (
    <section class="card" aria-labelledby="failure-title">
      <h2 id="failure-title" class="card__title">
        {galxe ? 'What Galxe says' : 'What the browser says'}
      </h2>
      <div class="console">
        <span class="console__mark" aria-hidden="true">
          ✗
        </span>
        <p class="console__message">{first.message}</p>
      </div>
      <p>
        <RichText text={first.explanation} />
      </p>
      <p class="meta">
        {galxe ? 'Galxe’s check reports' : 'DevTools reports'} <code>{first.code}</code>
        {first.failedParameter === '' ? null : (
          <>
            {' '}
            with failed parameter <code>{first.failedParameter}</code>
          </>
        )}
        {first.step === null ? ', before anything was sent.' : ` at step ${first.step + 1}.`}
      </p>
      {more.length > 0 ? (
        <details class="more">
          <summary>
            {more.length === 1
              ? 'One more failure surfaces once this one is fixed'
              : `${more.length} more failures surface once this one is fixed`}
          </summary>
          <ul>
            {more.map((failure) => (
              <li key={`${failure.step}-${failure.code}`}>
                <code>{failure.code}</code>
                {failure.step === null ? '' : ` (step ${failure.step + 1})`}: {failure.message}
              </li>
            ))}
          </ul>
        </details>
      ) : null}
    </section>
  );
}

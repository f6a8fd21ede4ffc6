/** The failure in the browser console's own words (or the emulated checker's), then in plain ones. */
import { RichText } from '../../components/rich-text';
import type { EmulationReport, Failure } from '../../types';

export function FailurePanel({
  failures,
  emulation,
}: {
  failures: readonly [Failure, ...Failure[]];
  emulation: EmulationReport | null;
}) {
  const [first, ...more] = failures;
  return (
    <section class="card" aria-labelledby="failure-title">
      <h2 id="failure-title" class="card__title">
        {emulation === null ? 'What the browser says' : `What ${emulation.platform} says`}
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
        {emulation === null ? 'DevTools reports' : `${emulation.platform}’s check reports`}{' '}
        <code>{first.code}</code>
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

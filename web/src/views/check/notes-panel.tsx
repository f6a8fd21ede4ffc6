/** Warnings, and in Galxe mode what Galxe's own check makes of it. */
import { AlertIcon } from '../../components/icons';
import { RichText } from '../../components/rich-text';
import type { GalxeReport, Warning } from '../../types';

export function NotesPanel({
  warnings,
  galxe,
}: {
  warnings: readonly Warning[];
  galxe: GalxeReport | null;
}) {
  if (warnings.length === 0 && galxe === null) return null;
  return (
    <section class="card" aria-labelledby="notes-title">
      <h2 id="notes-title" class="card__title">
        Worth knowing
      </h2>
      {galxe === null ? null : (
        <div class={`notice ${galxe.passed ? 'notice--ok' : 'notice--error'}`}>
          <strong>Galxe CORS Check {galxe.passed ? 'passes' : 'fails'}</strong> from{' '}
          <code>{galxe.origin}</code>.
          {galxe.trap ? (
            <> Browsers would let the request through, but Galxe’s own preflight fails.</>
          ) : null}
          {galxe.notes.length > 0 ? (
            <ul>
              {galxe.notes.map((note) => (
                <li key={note}>
                  <RichText text={note} />
                </li>
              ))}
            </ul>
          ) : null}
        </div>
      )}
      {warnings.length === 0 ? null : (
        <ul class="warnings">
          {warnings.map((warning) => (
            <li key={`${warning.code}-${warning.message}`} class="warning">
              <AlertIcon />
              <span>
                <RichText text={warning.message} />
              </span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

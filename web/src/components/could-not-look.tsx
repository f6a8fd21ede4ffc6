/**
 * The error state of a run that could not look at its target: what happened and what to do, in
 * the error colour, with an icon and words. Never shown as "clean": no answer is no verdict.
 */
import { adviceFor } from '../advice';
import { AlertIcon } from './icons';
import { RichText } from './rich-text';

export function CouldNotLook({
  title,
  code,
  message,
  detail,
}: {
  title: string;
  code: string;
  message: string;
  /** The low-level cause, for whoever debugs it. */
  detail?: string;
}) {
  return (
    <section class="verdict verdict--error could-not-look" aria-labelledby="could-not-look-title">
      <div class="verdict__icon">
        <AlertIcon />
      </div>
      <div class="verdict__text">
        <h2 id="could-not-look-title" class="verdict__title">
          {title}
        </h2>
        <p class="verdict__sentence">
          <RichText text={message.replace(/^corsproof: /, '')} />
        </p>
        <p class="verdict__advice">
          <strong>What to do:</strong> {adviceFor(code)}
        </p>
        {detail === undefined || detail === '' ? null : (
          <p class="meta">
            <code>{code}</code> {detail}
          </p>
        )}
      </div>
    </section>
  );
}

import type { ApiError } from '../api';
import type { Notice } from '../types';
import { InfoIcon } from './icons';
import { RichText } from './rich-text';

/** A failed request to the service, announced as it appears. */
export function ErrorNotice({ error, title }: { error: ApiError; title?: string }) {
  return (
    <div class="notice notice--error" role="alert">
      <strong>{title ?? (error.status === 0 ? 'No answer' : 'Refused')}</strong>{' '}
      <RichText text={error.message} />
    </div>
  );
}

export function Loading({ what }: { what: string }) {
  return (
    <p class="loading" role="status">
      <span class="spinner" aria-hidden="true" />
      Loading {what}…
    </p>
  );
}

/** What the service changed about the request (e.g. sent only the preflight), said up front. */
export function ServiceNotices({ notices }: { notices: readonly Notice[] | undefined }) {
  if (notices === undefined || notices.length === 0) return null;
  return (
    <div class="notice notice--info">
      {notices.map((notice) => (
        <p key={notice.code} class="notice__line">
          <InfoIcon />
          <span>
            <RichText text={capitalize(notice.message.replace(/^corsproof: /, ''))} />
            {notice.code === 'PREFLIGHT_ONLY_UNSAFE_METHOD'
              ? ' (on this page: the “Send … for real” option).'
              : ''}
          </span>
        </p>
      ))}
    </div>
  );
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

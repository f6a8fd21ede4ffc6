import { absoluteHref } from '../router';
import { CopyButton } from './copy-button';
import { LinkIcon } from './icons';

/** The stored result's address, readable, selectable and copyable. */
export function ShareLink({ href, what }: { href: string; what: string }) {
  const url = absoluteHref(href);
  return (
    <div class="share">
      <LinkIcon />
      <a class="share__url" href={href}>
        {url}
      </a>
      <CopyButton text={url} label={`Copy the link to this ${what}`} />
    </div>
  );
}
